import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from cohorts.models import Cohort, Session
from cohorts.selectors.schedule import (
    MONTH,
    WEEK,
    CalendarEvent,
    build_agenda,
    build_calendar,
    grid_bounds,
    organizer_calendar_sessions,
    starting_on_local_dates,
    trainer_calendar_sessions,
    upcoming_sessions_trained_by,
)
from tests.cohorts.factories import CohortFactory, SessionFactory
from tests.members.factories import MemberFactory, OrganizationFactory, UserFactory

WIB = Cohort.TimeZone.WIB
WITA = Cohort.TimeZone.WITA
WIT = Cohort.TimeZone.WIT
UTC = dt.UTC


def session_at(day: dt.date, time: dt.time, zone: str, *, minutes: int = 90, **fields) -> Session:
    """An unsaved session at a wall-clock time in a cohort of ``zone``: enough for the grid,
    which runs no query."""
    starts_at = dt.datetime.combine(day, time, tzinfo=ZoneInfo(zone))
    return Session(
        cohort=Cohort(time_zone=zone, title=f"Kohort {zone}", slug="kohort"),
        title=fields.pop("title", "Sesi"),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=minutes),
        **fields,
    )


def days_of(calendar) -> dict[dt.date, list[str]]:
    return {day.day: [event.session.title for event in day.events] for day in calendar.days}


# --- grid shape ----------------------------------------------------------------------------


def test_month_grid_runs_monday_to_sunday_around_the_month():
    # 1 December 2026 is a Tuesday, 31 December a Thursday.
    assert grid_bounds(view=MONTH, anchor=dt.date(2026, 12, 17)) == (
        dt.date(2026, 11, 30),
        dt.date(2027, 1, 3),
    )


def test_month_grid_marks_the_days_of_neighbouring_months():
    calendar = build_calendar(
        view=MONTH, anchor=dt.date(2026, 12, 17), sessions=[], today=dt.date(2026, 12, 2)
    )

    assert len(calendar.weeks) == 5
    assert all(len(week) == 7 for week in calendar.weeks)
    assert all(week[0].day.weekday() == 0 for week in calendar.weeks)
    outside = [day.day for day in calendar.days if not day.in_period]
    assert outside == [
        dt.date(2026, 11, 30),
        dt.date(2027, 1, 1),
        dt.date(2027, 1, 2),
        dt.date(2027, 1, 3),
    ]
    assert [day.day for day in calendar.days if day.is_today] == [dt.date(2026, 12, 2)]


def test_a_month_that_starts_on_monday_and_ends_on_sunday_has_no_outside_days():
    calendar = build_calendar(view=MONTH, anchor=dt.date(2027, 2, 10), sessions=[], today=None)

    assert len(calendar.weeks) == 4
    assert (calendar.first_day, calendar.last_day) == (dt.date(2027, 2, 1), dt.date(2027, 2, 28))
    assert all(day.in_period for day in calendar.days)


def test_a_month_can_span_six_weeks():
    # 1 November 2026 is a Sunday, 30 November a Monday.
    calendar = build_calendar(view=MONTH, anchor=dt.date(2026, 11, 1), sessions=[], today=None)

    assert len(calendar.weeks) == 6
    assert (calendar.first_day, calendar.last_day) == (dt.date(2026, 10, 26), dt.date(2026, 12, 6))


@pytest.mark.parametrize(
    "anchor", [dt.date(2026, 12, 14), dt.date(2026, 12, 16), dt.date(2026, 12, 20)]
)
def test_week_runs_from_monday_to_sunday(anchor):
    calendar = build_calendar(view=WEEK, anchor=anchor, sessions=[], today=None)

    assert [day.day for day in calendar.days] == [
        dt.date(2026, 12, 14) + dt.timedelta(days=offset) for offset in range(7)
    ]
    assert all(day.in_period for day in calendar.days)


def test_previous_and_next_month_cross_the_year():
    december = build_calendar(view=MONTH, anchor=dt.date(2026, 12, 31), sessions=[], today=None)
    january = build_calendar(view=MONTH, anchor=dt.date(2027, 1, 15), sessions=[], today=None)

    assert (december.previous, december.next) == (dt.date(2026, 11, 1), dt.date(2027, 1, 1))
    assert (january.previous, january.next) == (dt.date(2026, 12, 1), dt.date(2027, 2, 1))


def test_previous_and_next_week_are_seven_days_away():
    calendar = build_calendar(view=WEEK, anchor=dt.date(2026, 12, 31), sessions=[], today=None)

    assert (calendar.previous, calendar.next) == (dt.date(2026, 12, 24), dt.date(2027, 1, 7))


# --- placing sessions -----------------------------------------------------------------------


def test_a_session_sits_on_its_local_date_in_its_cohorts_zone():
    early_in_papua = session_at(dt.date(2026, 12, 15), dt.time(0, 30), WIT, title="Subuh WIT")
    assert early_in_papua.starts_at.astimezone(UTC).date() == dt.date(2026, 12, 14)
    late_in_java = session_at(dt.date(2026, 12, 14), dt.time(23, 30), WIB, title="Malam WIB")

    calendar = build_calendar(
        view=WEEK, anchor=dt.date(2026, 12, 14), sessions=[early_in_papua, late_in_java], today=None
    )

    assert days_of(calendar)[dt.date(2026, 12, 14)] == ["Malam WIB"]
    assert days_of(calendar)[dt.date(2026, 12, 15)] == ["Subuh WIT"]


def test_an_event_shows_wall_clock_times_and_the_zone_abbreviation():
    event = CalendarEvent.of(session_at(dt.date(2026, 12, 15), dt.time(0, 30), WIT))

    assert (event.start_time, event.end_time, event.zone) == (dt.time(0, 30), dt.time(2), "WIT")
    assert event.day == dt.date(2026, 12, 15)


def test_events_of_a_day_follow_their_local_clock():
    sessions = [
        session_at(dt.date(2026, 12, 15), dt.time(10), WIT, title="10:00 WIT"),  # 08:00 WIB
        session_at(dt.date(2026, 12, 15), dt.time(9), WIB, title="09:00 WIB"),
        session_at(dt.date(2026, 12, 15), dt.time(8, 30), WITA, title="08:30 WITA"),
    ]

    calendar = build_calendar(
        view=WEEK, anchor=dt.date(2026, 12, 15), sessions=sessions, today=None
    )

    assert days_of(calendar)[dt.date(2026, 12, 15)] == ["08:30 WITA", "09:00 WIB", "10:00 WIT"]


def test_a_new_years_night_session_in_papua_belongs_to_january():
    session = session_at(dt.date(2027, 1, 1), dt.time(0, 30), WIT, title="Tahun baru")

    december = build_calendar(
        view=MONTH, anchor=dt.date(2026, 12, 1), sessions=[session], today=None
    )
    january = build_calendar(view=MONTH, anchor=dt.date(2027, 1, 1), sessions=[session], today=None)

    new_years_day = next(day for day in december.days if day.day == dt.date(2027, 1, 1))
    assert not new_years_day.in_period
    assert december.event_count == 0  # shown greyed in December's last row, counted in January
    assert days_of(january)[dt.date(2027, 1, 1)] == ["Tahun baru"]
    assert january.event_count == 1


def test_sessions_outside_the_grid_are_left_out():
    session = session_at(dt.date(2027, 3, 1), dt.time(9), WIB)

    calendar = build_calendar(
        view=MONTH, anchor=dt.date(2026, 12, 1), sessions=[session], today=None
    )

    assert calendar.event_count == 0
    assert not any(day.events for day in calendar.days)


def test_cancelled_sessions_and_sessions_of_cancelled_cohorts_are_marked():
    cancelled = session_at(dt.date(2026, 12, 15), dt.time(9), WIB, status=Session.Status.CANCELLED)
    in_cancelled_cohort = session_at(dt.date(2026, 12, 15), dt.time(11), WIB)
    in_cancelled_cohort.cohort.status = Cohort.Status.CANCELLED
    held = session_at(dt.date(2026, 12, 15), dt.time(13), WIB, status=Session.Status.HELD)

    events = [CalendarEvent.of(session) for session in (cancelled, in_cancelled_cohort, held)]

    assert [event.is_cancelled for event in events] == [True, True, False]


def test_agenda_lists_only_days_with_sessions_in_order():
    sessions = [
        session_at(dt.date(2026, 12, 17), dt.time(9), WIB, title="Kamis"),
        session_at(dt.date(2026, 12, 15), dt.time(9), WITA, title="Selasa"),
    ]

    agenda = build_agenda(sessions=sessions, today=dt.date(2026, 12, 15))

    assert [(day.day, day.is_today) for day in agenda] == [
        (dt.date(2026, 12, 15), True),
        (dt.date(2026, 12, 17), False),
    ]


# --- reading sessions -----------------------------------------------------------------------


def saved_session(day: dt.date, time: dt.time, zone: str, **fields) -> Session:
    cohort = fields.pop("cohort", None) or CohortFactory(time_zone=zone, starts_on=day)
    starts_at = dt.datetime.combine(day, time, tzinfo=ZoneInfo(zone))
    return SessionFactory(
        cohort=cohort, starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=1), **fields
    )


@pytest.mark.django_db
def test_reading_a_day_uses_each_sessions_own_zone():
    wit_early = saved_session(dt.date(2026, 12, 15), dt.time(0, 30), WIT)
    wib_late_before = saved_session(dt.date(2026, 12, 14), dt.time(23, 30), WIB)
    wib_late = saved_session(dt.date(2026, 12, 15), dt.time(23, 30), WIB)
    wit_next_day = saved_session(dt.date(2026, 12, 16), dt.time(0, 30), WIT)

    on_the_15th = set(
        Session.objects.filter(
            starting_on_local_dates(dt.date(2026, 12, 15), dt.date(2026, 12, 15))
        )
    )

    assert on_the_15th == {wit_early, wib_late}
    assert wib_late_before not in on_the_15th
    assert wit_next_day not in on_the_15th


@pytest.mark.django_db
def test_organizer_sessions_are_those_of_their_cohorts_filtered_by_status_and_organization(
    organizer, organization
):
    partner = OrganizationFactory()
    day = dt.date(2026, 12, 15)
    own = saved_session(day, dt.time(9), WIB, cohort=CohortFactory(organizers=[organization]))
    draft = saved_session(
        day,
        dt.time(11),
        WIB,
        cohort=CohortFactory(organizers=[organization], status=Cohort.Status.DRAFT),
    )
    saved_session(day, dt.time(9), WIB, cohort=CohortFactory(organizers=[partner]))

    def read(**filters):
        return list(
            organizer_calendar_sessions(user=organizer, first_day=day, last_day=day, **filters)
        )

    assert read() == [own, draft]
    assert read(cohort_status=Cohort.Status.DRAFT) == [draft]
    assert read(organization=organization) == [own, draft]
    assert read(organization=partner) == []


@pytest.mark.django_db
def test_trainer_sessions_include_draft_cohorts_and_exclude_others():
    user = UserFactory()
    member = MemberFactory(user=user)
    day = dt.date(2026, 12, 15)
    published = saved_session(day, dt.time(9), WIB, trainers=[member])
    draft = saved_session(
        day,
        dt.time(11),
        WITA,
        trainers=[member],
        cohort=CohortFactory(status=Cohort.Status.DRAFT, time_zone=WITA),
    )
    saved_session(day, dt.time(9), WIB, trainers=[MemberFactory()])

    sessions = list(trainer_calendar_sessions(user=user, first_day=day, last_day=day))

    assert sessions == [published, draft]


@pytest.mark.django_db
def test_upcoming_sessions_start_with_today_in_each_sessions_zone():
    user = UserFactory()
    member = MemberFactory(user=user)
    # 07:00 WIB on 15 December is already 09:00 in Papua.
    now = dt.datetime(2026, 12, 15, 0, 0, tzinfo=UTC)
    earlier_today_in_papua = saved_session(
        dt.date(2026, 12, 15), dt.time(6), WIT, trainers=[member]
    )
    yesterday_in_java = saved_session(dt.date(2026, 12, 14), dt.time(20), WIB, trainers=[member])
    later = [
        saved_session(dt.date(2026, 12, 15 + offset), dt.time(9), WIB, trainers=[member])
        for offset in range(1, 4)
    ]

    upcoming = upcoming_sessions_trained_by(user=user, now=now, limit=3)

    assert yesterday_in_java not in upcoming
    assert upcoming == [earlier_today_in_papua, *later[:2]]
