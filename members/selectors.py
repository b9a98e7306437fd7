from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from members.models import Member, Organization, OrganizationRole


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
    if is_organizer(user=user):
        items.append(NavigationItem(_("Manage cohorts"), "cohorts:manage"))
    if user.is_staff:
        items.append(NavigationItem(_("Administration"), "admin:index"))
    return items


def is_organizer(*, user: AbstractBaseUser | AnonymousUser) -> bool:
    return (
        user.is_authenticated
        and OrganizationRole.objects.filter(
            user=user, role=OrganizationRole.Role.ORGANIZER
        ).exists()
    )


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
