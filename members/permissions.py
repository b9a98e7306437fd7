"""The one place that answers "may this account see or change this member/organization".

An account holds roles (organizer, trainer) for organizations; a role reaches the
organization's whole subtree. The reach is read with one recursive query and kept on the
user object for the rest of the request, so checking many rows costs nothing more.

- superusers: everything;
- organizers: see and change members of organizations in their reach, see their NIK;
- trainers: see members in their reach (NIK masked), change nothing;
- participants: see and correct their own record only.
"""

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from members.models import Member, Organization, OrganizationRole

User = AbstractBaseUser | AnonymousUser

_REACH_CTE = """
WITH RECURSIVE reach(organization_id, role) AS (
    SELECT organization_id, role FROM members_organizationrole WHERE user_id = %s
    UNION
    SELECT child.id, reach.role
    FROM members_organization child JOIN reach ON child.parent_id = reach.organization_id
)
"""
# Composed from constants only; values always travel as bound parameters.
_REACH_ROWS_SQL = _REACH_CTE + " SELECT organization_id, role FROM reach"  # noqa: S608
_REACH_IDS_SQL = _REACH_CTE + " SELECT organization_id FROM reach"  # noqa: S608
_REACH_IDS_FOR_ROLE_SQL = (
    _REACH_CTE + " SELECT organization_id FROM reach WHERE role = %s"  # noqa: S608
)
_REACH_CACHE_ATTRIBUTE = "_tot_reach"


@dataclass(frozen=True)
class Reach:
    is_superuser: bool
    organizer_of: frozenset[int]
    trainer_for: frozenset[int]

    @property
    def is_organizer(self) -> bool:
        return self.is_superuser or bool(self.organizer_of)

    @property
    def any_organization(self) -> frozenset[int]:
        return self.organizer_of | self.trainer_for


NO_REACH = Reach(is_superuser=False, organizer_of=frozenset(), trainer_for=frozenset())


def reach_of(user: User) -> Reach:
    if not user.is_authenticated:
        return NO_REACH
    cached = getattr(user, _REACH_CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    with connection.cursor() as cursor:
        cursor.execute(_REACH_ROWS_SQL, [user.pk])
        rows = cursor.fetchall()
    reach = Reach(
        is_superuser=user.is_superuser,
        organizer_of=frozenset(pk for pk, role in rows if role == OrganizationRole.Role.ORGANIZER),
        trainer_for=frozenset(pk for pk, role in rows if role == OrganizationRole.Role.TRAINER),
    )
    setattr(user, _REACH_CACHE_ATTRIBUTE, reach)
    return reach


def forget_reach(user: User) -> None:
    """Call after changing a user's roles within one request (and in tests)."""
    if hasattr(user, _REACH_CACHE_ATTRIBUTE):
        delattr(user, _REACH_CACHE_ATTRIBUTE)


def _organization_ids_in_reach(user: User, role: str | None = None) -> RawSQL:
    """A subquery, so lists filter inside the database however large the reach is."""
    if role is None:
        return RawSQL(_REACH_IDS_SQL, [user.pk])  # noqa: S611 - constant SQL, bound parameters
    return RawSQL(_REACH_IDS_FOR_ROLE_SQL, [user.pk, role])  # noqa: S611 - as above


def organizations_visible_to(user: User) -> QuerySet[Organization]:
    if not user.is_authenticated:
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.all()
    return Organization.objects.filter(id__in=_organization_ids_in_reach(user))


def organizations_managed_by(user: User) -> QuerySet[Organization]:
    """Organizations whose members this user may add, change, import and export."""
    if not user.is_authenticated:
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.all()
    organizer = OrganizationRole.Role.ORGANIZER
    return Organization.objects.filter(id__in=_organization_ids_in_reach(user, organizer))


def members_visible_to(user: User) -> QuerySet[Member]:
    if not user.is_authenticated:
        return Member.objects.none()
    if user.is_superuser:
        return Member.objects.all()
    return Member.objects.filter(
        Q(organization_id__in=_organization_ids_in_reach(user)) | Q(user=user)
    )


def can_manage_members(user: User) -> bool:
    return reach_of(user).is_organizer


def can_list_members(user: User) -> bool:
    reach = reach_of(user)
    return reach.is_superuser or bool(reach.any_organization)


def can_view_member(user: User, member: Member) -> bool:
    reach = reach_of(user)
    return (
        reach.is_superuser
        or member.organization_id in reach.any_organization
        or (user.is_authenticated and member.user_id == user.pk)
    )


def can_change_member(user: User, member: Member) -> bool:
    reach = reach_of(user)
    return reach.is_superuser or member.organization_id in reach.organizer_of


def can_see_nik(user: User, member: Member) -> bool:
    """The full NIK is for the member's own organizers (and the member); others see it masked."""
    return can_change_member(user, member) or (user.is_authenticated and member.user_id == user.pk)
