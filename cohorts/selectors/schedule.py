"""Sessions on a calendar: an organizer's and a trainer's, laid out by month or by week.

A session sits on the date it starts in its cohort's zone: a WIT session at 00:30 on the
15th is on the 15th, though it is still the 14th in UTC and in Jakarta. Its times are shown
in that zone too, with WIB, WITA or WIT after them.

Reading sessions costs two queries whatever their number (sessions with their cohort, then
their trainers); the month and week grids are built from them in memory.
"""

import datetime as dt
import operator
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from zoneinfo import ZoneInfo

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from cohorts import zones
from cohorts.models import Cohort, Session
from cohorts.permissions import cohorts_managed_by, sessions_trained_by
from cohorts.selectors import PUBLIC_STATUSES
from members.models import Member, Organization

MONTH = "month"
WEEK = "week"
VIEWS = (MONTH, WEEK)
DAYS_PER_WEEK = 7
# "Today" on a calendar that mixes zones: the capital's date, as the rest of the site uses.
CALENDAR_ZONE = Cohort.TimeZone.WIB.value
UPCOMING_LIMIT = 10


def today_in(zone: str, now: dt.datetime | None = None) -> dt.date:
    return (now or timezone.now()).astimezone(ZoneInfo(zone)).date()


@dataclass(frozen=True)
class CalendarEvent:
    """A session as a calendar shows it: its times in its cohort's zone."""

    session: Session
    starts_at: dt.datetime
    ends_at: dt.datetime
    zone: str

    @classmethod
    def of(cls, session: Session) -> "CalendarEvent":
        cohort = session.cohort
        return cls(
            session=session,
            starts_at=zones.local(session.starts_at, cohort),
            ends_at=zones.local(session.ends_at, cohort),
            zone=zones.abbreviation_of(cohort),
        )

    @property
    def cohort(self) -> Cohort:
        return self.session.cohort

    @property
    def day(self) -> dt.date:
        return self.starts_at.date()

    # Wall-clock times without a zone: the ``time`` template filter would otherwise convert
    # an aware datetime to the active zone (Jakarta) before formatting it.
    @property
    def start_time(self) -> dt.time:
        return self.starts_at.time()

    @property
    def end_time(self) -> dt.time:
        return self.ends_at.time()

    @property
    def is_cancelled(self) -> bool:
        return (
            self.session.status == Session.Status.CANCELLED
            or self.cohort.status == Cohort.Status.CANCELLED
        )

    @property
    def cohort_is_public(self) -> bool:
        return self.cohort.status in PUBLIC_STATUSES


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    events: list[CalendarEvent]
    in_period: bool
    is_today: bool


@dataclass(frozen=True)
class Calendar:
    """A month (whole weeks, Monday first, with the neighbouring months' days marked as
    outside it) or a single week, and the anchors of the periods before and after it."""

    view: str
    anchor: dt.date
    weeks: list[list[CalendarDay]]
    previous: dt.date
    next: dt.date

    @property
    def days(self) -> list[CalendarDay]:
        return [day for week in self.weeks for day in week]

    @property
    def first_day(self) -> dt.date:
        return self.weeks[0][0].day

    @property
    def last_day(self) -> dt.date:
        return self.weeks[-1][-1].day

    @property
    def event_count(self) -> int:
        return sum(len(day.events) for day in self.days if day.in_period)


def grid_bounds(*, view: str, anchor: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day the grid shows: Monday to Sunday around the week, or around
    the whole month."""
    if view == WEEK:
        monday = anchor - dt.timedelta(days=anchor.weekday())
        return monday, monday + dt.timedelta(days=DAYS_PER_WEEK - 1)
    first = anchor.replace(day=1)
    last = _shift_month(first, 1) - dt.timedelta(days=1)
    return (
        first - dt.timedelta(days=first.weekday()),
        last + dt.timedelta(days=DAYS_PER_WEEK - 1 - last.weekday()),
    )


def _shift_month(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` away from ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _neighbour(*, view: str, anchor: dt.date, step: int) -> dt.date:
    if view == WEEK:
        return anchor + dt.timedelta(days=DAYS_PER_WEEK * step)
    return _shift_month(anchor, step)


def _in_period(*, view: str, anchor: dt.date, day: dt.date) -> bool:
    return view == WEEK or (day.year, day.month) == (anchor.year, anchor.month)


def _events_by_day(sessions: Iterable[Session]) -> dict[dt.date, list[CalendarEvent]]:
    by_day: dict[dt.date, list[CalendarEvent]] = defaultdict(list)
    for session in sessions:
        event = CalendarEvent.of(session)
        by_day[event.day].append(event)
    for events in by_day.values():
        events.sort(key=lambda event: (event.start_time, event.end_time, event.session.title))
    return by_day


def build_calendar(
    *, view: str, anchor: dt.date, sessions: Iterable[Session], today: dt.date | None
) -> Calendar:
    """Lay the sessions out on the month or week around ``anchor`` (no query: the sessions
    must come with their cohort loaded). Sessions outside the grid are left out."""
    first_day, last_day = grid_bounds(view=view, anchor=anchor)
    by_day = _events_by_day(sessions)
    days = [
        CalendarDay(
            day=day,
            events=by_day.get(day, []),
            in_period=_in_period(view=view, anchor=anchor, day=day),
            is_today=day == today,
        )
        for day in _dates(first_day, last_day)
    ]
    return Calendar(
        view=view,
        anchor=anchor,
        weeks=[days[start : start + DAYS_PER_WEEK] for start in range(0, len(days), DAYS_PER_WEEK)],
        previous=_neighbour(view=view, anchor=anchor, step=-1),
        next=_neighbour(view=view, anchor=anchor, step=1),
    )


def build_agenda(*, sessions: Iterable[Session], today: dt.date | None) -> list[CalendarDay]:
    """Only the days that have sessions, in order: a list for a phone."""
    by_day = _events_by_day(sessions)
    return [
        CalendarDay(day=day, events=events, in_period=True, is_today=day == today)
        for day, events in sorted(by_day.items())
    ]


def _dates(first_day: dt.date, last_day: dt.date) -> list[dt.date]:
    return [
        first_day + dt.timedelta(days=offset) for offset in range((last_day - first_day).days + 1)
    ]


def _midnight(day: dt.date, zone: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(zone))


def starting_on_local_dates(first_day: dt.date, last_day: dt.date) -> Q:
    """Sessions that start between ``first_day`` and ``last_day`` (inclusive) by the clock
    of their own cohort's zone."""
    return reduce(
        operator.or_,
        (
            Q(
                cohort__time_zone=zone,
                starts_at__gte=_midnight(first_day, zone),
                starts_at__lt=_midnight(last_day + dt.timedelta(days=1), zone),
            )
            for zone in Cohort.TimeZone.values
        ),
    )


def _starting_today_or_later(now: dt.datetime) -> Q:
    """Sessions on today's date or later, today being the date in the session's own zone."""
    return reduce(
        operator.or_,
        (
            Q(cohort__time_zone=zone, starts_at__gte=_midnight(today_in(zone, now), zone))
            for zone in Cohort.TimeZone.values
        ),
    )


def _for_calendar(sessions: QuerySet[Session]) -> QuerySet[Session]:
    return (
        sessions.select_related("cohort")
        .prefetch_related(
            Prefetch(
                "trainers", queryset=Member.objects.only("id", "full_name").order_by("full_name")
            )
        )
        .order_by("starts_at", "id")
    )


def organizer_calendar_sessions(
    *,
    user: AbstractBaseUser | AnonymousUser,
    first_day: dt.date,
    last_day: dt.date,
    cohort_status: str = "",
    organization: Organization | None = None,
) -> QuerySet[Session]:
    """Sessions of the cohorts the user manages, of every status (the page strikes out
    cancelled ones), optionally of cohorts in one status or organized by one organization."""
    cohorts = cohorts_managed_by(user)
    if cohort_status:
        cohorts = cohorts.filter(status=cohort_status)
    if organization is not None:
        cohorts = cohorts.filter(organizers=organization)
    sessions = Session.objects.filter(cohort__in=cohorts.values("pk"))
    return _for_calendar(sessions.filter(starting_on_local_dates(first_day, last_day)))


def trainer_calendar_sessions(
    *, user: AbstractBaseUser | AnonymousUser, first_day: dt.date, last_day: dt.date
) -> QuerySet[Session]:
    """The sessions the user is assigned to train, in cohorts of every status.

    Unlike the personal iCal feed, this page also shows sessions in cohorts that are still
    drafts: a trainer who has been put on a session should keep the date free while the
    organizer finishes the plan. The page marks them as drafts and does not link to the
    cohort's public page, which does not exist yet.
    """
    return _for_calendar(
        sessions_trained_by(user).filter(starting_on_local_dates(first_day, last_day))
    )


def upcoming_sessions_trained_by(
    *,
    user: AbstractBaseUser | AnonymousUser,
    now: dt.datetime | None = None,
    limit: int = UPCOMING_LIMIT,
) -> list[Session]:
    """Today's sessions (those already over too) and the next ones, soonest first."""
    now = now or timezone.now()
    return list(
        _for_calendar(sessions_trained_by(user).filter(_starting_today_or_later(now)))[:limit]
    )


def trains_any_session(*, user: AbstractBaseUser | AnonymousUser) -> bool:
    return sessions_trained_by(user).exists()
