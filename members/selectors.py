from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from members.models import Member, Organization, OrganizationRole
from members.permissions import members_visible_to, organizations_visible_to, reach_of


@dataclass(frozen=True)
class NavigationItem:
    label: str | Promise
    url_name: str


def navigation_for(*, user: AbstractBaseUser | AnonymousUser) -> list[NavigationItem]:
    """What the navbar offers this user: only pages their roles can reach."""
    items = [NavigationItem(_("Open trainings"), "cohorts:home")]
    if not user.is_authenticated:
        return items
    items.append(NavigationItem(_("My dashboard"), "members:dashboard"))
    items.append(NavigationItem(_("Curricula"), "curriculum:catalogue"))
    reach = reach_of(user)
    if reach.is_superuser or reach.any_organization:
        items.append(NavigationItem(_("Members"), "members:member_list"))
        items.append(NavigationItem(_("Organizations"), "members:organization_tree"))
    if reach.is_organizer:
        items.append(NavigationItem(_("Manage cohorts"), "cohorts:manage"))
        items.append(NavigationItem(_("Calendar"), "cohorts:calendar"))
        items.append(NavigationItem(_("Reach report"), "cohorts:reach"))
    trains_sessions = _member_trains_sessions(user)
    if reach.trainer_for or trains_sessions:
        items.append(NavigationItem(_("My schedule"), "cohorts:my_sessions"))
    if trains_sessions is not None:
        items.append(NavigationItem(_("My trainings"), "cohorts:my_trainings"))
        items.append(NavigationItem(_("My profile"), "members:profile"))
    if user.is_staff:
        items.append(NavigationItem(_("Administration"), "admin:index"))
    return items


def _member_trains_sessions(user: AbstractBaseUser) -> bool | None:
    """Whether the user's member record is on some session's trainers (``None``: the user
    has no member record); one query either way."""
    trains = Exists(Member.trained_sessions.through.objects.filter(member_id=OuterRef("pk")))
    return Member.objects.filter(user=user).order_by().values_list(trains, flat=True).first()


def organizations_for_role(
    *, user: AbstractBaseUser, role: OrganizationRole.Role
) -> QuerySet[Organization]:
    return Organization.objects.filter(roles__user=user, roles__role=role).select_related("region")


def member_for_user(*, user: AbstractBaseUser) -> Member | None:
    return Member.objects.select_related("organization", "region").filter(user=user).first()


_SUBTREE_SQL = """
WITH RECURSIVE subtree(id) AS (
    SELECT id FROM members_organization WHERE id = %s
    UNION
    SELECT child.id FROM members_organization child JOIN subtree ON child.parent_id = subtree.id
)
SELECT id FROM subtree
"""


def organization_subtree_ids(*, root: Organization) -> RawSQL:
    """The ids of ``root`` and everything below it, as a subquery (one query, any depth)."""
    return RawSQL(_SUBTREE_SQL, [root.pk])  # noqa: S611 - constant SQL, bound parameter


def organization_subtree(*, root: Organization) -> QuerySet[Organization]:
    return Organization.objects.filter(id__in=organization_subtree_ids(root=root))


def member_list(*, user: AbstractBaseUser) -> QuerySet[Member]:
    return members_visible_to(user).select_related("organization", "region__parent")


def member_get(*, user: AbstractBaseUser, pk: int) -> Member:
    """A member within the user's reach; anything else raises ``Member.DoesNotExist``."""
    return (
        members_visible_to(user)
        .select_related(
            "organization__parent", "region__parent", "user", "created_by", "updated_by"
        )
        .get(pk=pk)
    )


def organization_forest(*, user: AbstractBaseUser) -> list["OrganizationNode"]:
    """The organizations in the user's reach as trees, with member counts (one query)."""
    organizations = list(
        organizations_visible_to(user)
        .select_related("region")
        .annotate(member_count=Count("members"))
        .order_by("name")
    )
    nodes = {organization.pk: OrganizationNode(organization) for organization in organizations}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.organization.parent_id)
        (parent.children if parent else roots).append(node)
    return roots


@dataclass
class OrganizationNode:
    organization: Organization
    children: list["OrganizationNode"] = field(default_factory=list)
