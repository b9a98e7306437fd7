"""What a participant sees of their own registrations: seats left, their enrollment in a
cohort, their trainings with places on the waiting list."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce

from cohorts.models import Cohort, Enrollment
from members.models import Member, Organization, Region

Status = Enrollment.Status


def cohort_seats_left(*, cohort: Cohort) -> int:
    """Seats a newcomer could take now (one query): none while people are waiting, since
    the seat service gives a free seat to the waiting list first."""
    counts = cohort.enrollments.aggregate(
        confirmed=Count("id", filter=Q(status=Status.CONFIRMED)),
        waiting=Count("id", filter=Q(status=Status.WAITLISTED)),
    )
    if counts["waiting"]:
        return 0
    return max(cohort.capacity - counts["confirmed"], 0)


def active_enrollment_get(*, cohort: Cohort, user: AbstractBaseUser) -> Enrollment | None:
    """The user's active enrollment in the cohort, through their member record (one query)."""
    if not user.is_authenticated:
        return None
    return with_waitlist_position(
        Enrollment.objects.filter(
            cohort=cohort, member__user=user, status__in=Enrollment.ACTIVE_STATUSES
        )
    ).first()


def with_waitlist_position(enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """Annotate ``waitlist_position``: 1 for the first in line, counted over the cohort's
    waiting list in the order seats are given ((waitlisted_at, id)); ``None`` unless
    waitlisted. A correlated subquery, so still one query for any number of rows."""
    ahead = Enrollment.objects.filter(
        cohort_id=OuterRef("cohort_id"), status=Status.WAITLISTED
    ).filter(
        Q(waitlisted_at__lt=OuterRef("waitlisted_at"))
        | Q(waitlisted_at=OuterRef("waitlisted_at"), id__lt=OuterRef("id"))
    )
    count_ahead = ahead.order_by().values("cohort_id").annotate(n=Count("id")).values("n")
    position = Coalesce(Subquery(count_ahead, output_field=IntegerField()), 0) + 1
    return enrollments.annotate(
        waitlist_position=Case(
            When(status=Status.WAITLISTED, then=position), output_field=IntegerField()
        )
    )


def member_enrollments(*, member: Member) -> QuerySet[Enrollment]:
    """A member's registrations, latest training first, with what "my trainings" shows."""
    return with_waitlist_position(
        Enrollment.objects.filter(member=member).select_related("cohort__region")
    ).order_by("-cohort__starts_on", "-registered_at", "-id")


def _with_detail(enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    return with_waitlist_position(
        enrollments.select_related("cohort__region", "member__organization", "certificate")
    )


def own_enrollment_get(*, user: AbstractBaseUser, pk: int) -> Enrollment:
    """One of the user's own enrollments; anything else raises ``Enrollment.DoesNotExist``."""
    if not user.is_authenticated:
        raise Enrollment.DoesNotExist
    return _with_detail(Enrollment.objects.filter(pk=pk, member__user=user)).get()


def organization_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Every organization, grouped under its confederation (one query): "FSPMI · KSPI"."""
    organizations = list(
        Organization.objects.only("id", "short_name", "name", "kind", "parent_id").order_by(
            "short_name"
        )
    )
    by_id = {organization.pk: organization for organization in organizations}

    def root_of(organization: Organization) -> Organization:
        seen = set()
        while organization.parent_id in by_id and organization.pk not in seen:
            seen.add(organization.pk)
            organization = by_id[organization.parent_id]
        return organization

    kind_order = list(Organization.Kind.values)
    groups: dict[Organization, list[tuple[int, str]]] = {}
    for organization in sorted(
        organizations, key=lambda o: (kind_order.index(o.kind), o.short_name.lower())
    ):
        root = root_of(organization)
        parent = by_id.get(organization.parent_id)
        label = f"{organization.short_name} · {parent.short_name}" if parent else organization.name
        groups.setdefault(root, []).append((organization.pk, label))
    return [
        (root.short_name, options)
        for root, options in sorted(groups.items(), key=lambda item: item[0].short_name.lower())
    ]


def regency_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Regencies and cities grouped by province (one query)."""
    groups: dict[str, list[tuple[int, str]]] = {}
    regencies = Region.objects.filter(level=Region.Level.REGENCY).select_related("parent")
    for regency in regencies.order_by("parent__name", "name"):
        groups.setdefault(regency.parent.name, []).append((regency.pk, regency.name))
    return list(groups.items())
