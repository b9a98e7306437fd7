from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
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
