import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from cohorts import zones
from cohorts.models import Cohort, CohortStatusChange, Enrollment, Session
from cohorts.permissions import cohorts_managed_by, is_cohort_organizer
from curriculum.models import Module
from members.models import Member, Organization, Region
from members.permissions import members_visible_to
from members.selectors import organization_subtree_ids

PUBLIC_STATUSES = [Cohort.Status.OPEN, Cohort.Status.RUNNING, Cohort.Status.COMPLETED]


class CohortStatusShown:
    """For a read-only record of a cohort that carries its ``status``: the label and
    whether its public page opens for anyone (open, running or completed)."""

    status: str

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def status_label(self) -> str:
        return Cohort.Status(self.status).label


def _with_listing_relations(cohorts: QuerySet[Cohort]) -> QuerySet[Cohort]:
    return cohorts.select_related("region__parent", "curriculum").prefetch_related("organizers")


def cohorts_open_for_registration(*, province: Region | None = None) -> QuerySet[Cohort]:
    cohorts = Cohort.objects.open_for_registration()
    if province is not None:
        cohorts = cohorts.filter(region__parent=province)
    return _with_listing_relations(cohorts).order_by("starts_on", "title", "pk")


def provinces_with_open_cohorts() -> list[Region]:
    return list(
        Region.objects.filter(
            pk__in=Cohort.objects.open_for_registration().values("region__parent")
        ).order_by("name")
    )


def cohort_public_get(*, slug: str) -> Cohort:
    """A cohort anyone may read; drafts and cancelled ones raise ``Cohort.DoesNotExist``."""
    return (
        _with_listing_relations(Cohort.objects.filter(status__in=PUBLIC_STATUSES))
        .prefetch_related(
            Prefetch("lead_trainers", queryset=Member.objects.only("id", "full_name", "user_id"))
        )
        .get(slug=slug)
    )


def cohorts_organized_by(*, organizations: Iterable[Organization]) -> QuerySet[Cohort]:
    return _with_listing_relations(Cohort.objects.organized_by(organizations)).order_by(
        "-starts_on"
    )


def trainer_candidates(*, user: AbstractBaseUser, cohort: Cohort | None = None) -> QuerySet[Member]:
    """People an organizer may put in front of a class: members whose account holds a
    trainer or organizer role, in the organizer's reach or (for a joint cohort) in any
    organizing organization's tree, plus whoever the cohort already has; for a cascade,
    also the graduates of its parent (a lead's fellow graduates co-facilitate)."""
    role_holders = Member.objects.filter(user__organization_roles__isnull=False)
    pool = Q(pk__in=role_holders.filter(pk__in=members_visible_to(user)))
    if cohort is not None and cohort.pk:
        # A graduate running their cascade is no organizer: the organizing
        # confederation's whole list of trainers is not theirs to browse.
        if is_cohort_organizer(user, cohort):
            for organization in cohort.organizers.all():
                subtree = organization_subtree_ids(root=organization)
                pool |= Q(pk__in=role_holders.filter(organization_id__in=subtree))
        pool |= Q(pk__in=cohort.lead_trainers.values("pk"))
        pool |= Q(pk__in=Member.objects.filter(trained_sessions__cohort=cohort).values("pk"))
        if cohort.kind == Cohort.Kind.CASCADE and cohort.parent_id:
            graduates = Enrollment.objects.filter(
                cohort_id=cohort.parent_id, status=Enrollment.Status.COMPLETED
            )
            pool |= Q(pk__in=graduates.values("member_id"))
    return Member.objects.filter(pool).select_related("organization").order_by("full_name")


@dataclass(frozen=True)
class RegistrationWindow:
    class State:
        NOT_PUBLISHED = "not_published"
        NOT_YET_OPEN = "not_yet_open"
        OPEN = "open"
        CLOSED = "closed"

    state: str
    opens_at: dt.datetime | None
    closes_at: dt.datetime

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


def registration_window(
    *,
    cohort: Cohort,
    sessions: Iterable[Session] | None = None,
    now: dt.datetime | None = None,
) -> RegistrationWindow:
    """Whether people can register now, and from when until when.

    Without a closing time of its own, registration closes when the first active session
    starts (pass the cohort's ``sessions`` if they are loaded; else one query), or at the
    start of the first day when nothing is scheduled.
    """
    now = now or timezone.now()
    closes_at = cohort.registration_closes_at or _first_session_start(cohort, sessions)
    opens_at = cohort.registration_opens_at
    if cohort.status != Cohort.Status.OPEN:
        state = RegistrationWindow.State.NOT_PUBLISHED
    elif opens_at and now < opens_at:
        state = RegistrationWindow.State.NOT_YET_OPEN
    elif now >= closes_at:
        state = RegistrationWindow.State.CLOSED
    else:
        state = RegistrationWindow.State.OPEN
    return RegistrationWindow(state=state, opens_at=opens_at, closes_at=closes_at)


def _first_session_start(cohort: Cohort, sessions: Iterable[Session] | None) -> dt.datetime:
    if sessions is None:
        sessions = cohort.sessions.only("starts_at", "status")
    starts = [s.starts_at for s in sessions if s.status != Session.Status.CANCELLED]
    return min(starts, default=zones.aware(cohort.starts_on, dt.time(), cohort))


@dataclass(frozen=True)
class ScheduleDay:
    day: dt.date
    sessions: list[Session]


def cohort_sessions(*, cohort: Cohort) -> QuerySet[Session]:
    return cohort.sessions.prefetch_related(
        Prefetch("modules", queryset=Module.objects.only("id", "title", "position")),
        Prefetch("trainers", queryset=Member.objects.only("id", "full_name")),
    ).order_by("starts_at", "id")


def cohort_schedule_by_day(*, cohort: Cohort, sessions: Iterable[Session]) -> list[ScheduleDay]:
    """Sessions grouped by their local day in the cohort's zone, each with ``local_start``
    and ``local_end`` set for display."""
    days: dict[dt.date, list[Session]] = {}
    for session in sessions:
        session.local_start = zones.local(session.starts_at, cohort)
        session.local_end = zones.local(session.ends_at, cohort)
        days.setdefault(session.local_start.date(), []).append(session)
    return [ScheduleDay(day=day, sessions=items) for day, items in sorted(days.items())]


def cohort_manage_get(*, user: AbstractBaseUser, slug: str) -> Cohort:
    """A cohort the user may change, with what its pages show; else ``Cohort.DoesNotExist``."""
    return (
        cohorts_managed_by(user)
        .select_related("curriculum", "region__parent", "parent", "created_by")
        .prefetch_related(
            "organizers",
            Prefetch("lead_trainers", queryset=Member.objects.select_related("organization")),
        )
        .get(slug=slug)
    )


def cohort_status_history(*, cohort: Cohort) -> QuerySet[CohortStatusChange]:
    return cohort.status_changes.select_related("changed_by")


def cohorts_managed_list(*, user: AbstractBaseUser) -> QuerySet[Cohort]:
    return _with_listing_relations(cohorts_managed_by(user)).order_by("-starts_on", "title")
