"""The four clash rules, one by one, through the session services and ``cohort_clashes``.

Times are written as wall-clock times in a cohort's own zone (``at``); the database keeps
UTC, so a WITA and a WIB session clash when their UTC intervals overlap.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cohorts import zones
from cohorts.models import Cohort, Session
from cohorts.selectors.clashes import Clash, cohort_clashes
from cohorts.services.sessions import session_create, session_update, sessions_create_many
from tests.cohorts.factories import CohortFactory, SessionFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db

WIB, WITA, WIT = Cohort.TimeZone.WIB, Cohort.TimeZone.WITA, Cohort.TimeZone.WIT
FIRST_DAY = dt.date(2026, 12, 14)


def at(cohort: Cohort, hour: int, minute: int = 0, *, day: int = 0) -> dt.datetime:
    """``hour:minute`` on the cohort's ``day``-th day, in the cohort's zone."""
    return zones.aware(cohort.starts_on + dt.timedelta(days=day), dt.time(hour, minute), cohort)


def create(cohort: Cohort, start: dt.datetime, end: dt.datetime, **details) -> Session:
    return session_create(
        cohort=cohort,
        title=details.pop("title", "Sesi baru"),
        starts_at=start,
        ends_at=end,
        **details,
    )


def refusal(cohort: Cohort, start: dt.datetime, end: dt.datetime, **details) -> list[str]:
    """The messages of the clash that stops ``session_create``; nothing is saved."""
    before = Session.objects.count()
    with pytest.raises(ValidationError) as refused:
        create(cohort, start, end, **details)
    assert Session.objects.count() == before
    return refused.value.messages


@pytest.fixture
def trainer():
    return MemberFactory(full_name="Siti Rahayu")


# -- 1. a trainer in two overlapping sessions, across all cohorts -----------------------------


def test_a_trainer_cannot_be_in_two_overlapping_sessions_of_different_cohorts(trainer):
    palembang = CohortFactory(title="TOT Palembang", starts_on=FIRST_DAY)
    medan = CohortFactory(title="TOT Medan", starts_on=FIRST_DAY)
    SessionFactory(
        cohort=palembang,
        title="Dialog sosial",
        starts_at=at(palembang, 9),
        ends_at=at(palembang, 10, 30),
        trainers=[trainer],
    )

    messages = refusal(medan, at(medan, 10), at(medan, 11), title="K3", trainers=[trainer])

    assert len(messages) == 1
    for part in ("Siti Rahayu", "Dialog sosial", "TOT Palembang", "09:00–10:30 WIB", "K3"):
        assert part in messages[0]


def test_a_wita_and_a_wib_session_that_overlap_in_utc_clash(trainer):
    makassar = CohortFactory(title="TOT Makassar", time_zone=WITA, starts_on=FIRST_DAY)
    lubuklinggau = CohortFactory(title="TOT Lubuklinggau", time_zone=WIB, starts_on=FIRST_DAY)
    # 10:00–12:00 WITA is 02:00–04:00 UTC.
    SessionFactory(
        cohort=makassar,
        title="Negosiasi",
        starts_at=at(makassar, 10),
        ends_at=at(makassar, 12),
        trainers=[trainer],
    )

    # 09:30–10:30 WIB is 02:30–03:30 UTC: inside the WITA session.
    messages = refusal(
        lubuklinggau, at(lubuklinggau, 9, 30), at(lubuklinggau, 10, 30), trainers=[trainer]
    )

    assert len(messages) == 1
    # The other session's time is told in its own cohort's zone.
    assert "10:00–12:00 WITA" in messages[0]
    assert "TOT Makassar" in messages[0]


def test_sessions_at_the_same_wall_clock_time_in_different_zones_do_not_clash(trainer):
    makassar = CohortFactory(time_zone=WITA, starts_on=FIRST_DAY)
    lubuklinggau = CohortFactory(time_zone=WIB, starts_on=FIRST_DAY)
    SessionFactory(
        cohort=makassar, starts_at=at(makassar, 10), ends_at=at(makassar, 12), trainers=[trainer]
    )

    # 11:00–12:00 WIB is 04:00–05:00 UTC, right after 10:00–12:00 WITA (02:00–04:00 UTC).
    session = create(lubuklinggau, at(lubuklinggau, 11), at(lubuklinggau, 12), trainers=[trainer])

    assert list(session.trainers.all()) == [trainer]


def test_different_trainers_at_the_same_time_do_not_clash(trainer):
    one, other = CohortFactory(starts_on=FIRST_DAY), CohortFactory(starts_on=FIRST_DAY)
    SessionFactory(cohort=one, starts_at=at(one, 9), ends_at=at(one, 11), trainers=[trainer])

    create(other, at(other, 9), at(other, 11), trainers=[MemberFactory()])


def test_adding_a_busy_trainer_to_an_existing_session_is_refused(trainer):
    one, other = CohortFactory(starts_on=FIRST_DAY), CohortFactory(starts_on=FIRST_DAY)
    SessionFactory(cohort=one, starts_at=at(one, 9), ends_at=at(one, 11), trainers=[trainer])
    session = SessionFactory(cohort=other, starts_at=at(other, 10), ends_at=at(other, 12))

    with pytest.raises(ValidationError, match="Siti Rahayu"):
        session_update(
            session=session,
            title=session.title,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            trainers=[trainer],
        )

    assert not session.trainers.exists()


# -- 2. two sessions of one cohort overlapping -------------------------------------------------


def test_two_sessions_of_one_cohort_cannot_overlap():
    cohort = CohortFactory(starts_on=FIRST_DAY)
    SessionFactory(
        cohort=cohort, title="Pembukaan", starts_at=at(cohort, 9), ends_at=at(cohort, 10)
    )

    messages = refusal(cohort, at(cohort, 9, 30), at(cohort, 11), title="Sejarah gerakan")

    assert len(messages) == 1
    for part in ("Pembukaan", "Sejarah gerakan", "09:00–10:00 WIB"):
        assert part in messages[0]


def test_intervals_are_half_open_back_to_back_sessions_are_fine(trainer):
    cohort = CohortFactory(starts_on=FIRST_DAY, venue_name="Hotel Ratu")
    elsewhere = CohortFactory(starts_on=FIRST_DAY, venue_name="Hotel Ratu")
    SessionFactory(
        cohort=cohort,
        starts_at=at(cohort, 10),
        ends_at=at(cohort, 11),
        room="Melati",
        trainers=[trainer],
    )
    SessionFactory(
        cohort=elsewhere,
        starts_at=at(elsewhere, 12),
        ends_at=at(elsewhere, 13),
        room="Melati",
        trainers=[trainer],
    )

    # Same cohort, same trainer, same room: 11:00 starts as 10:00–11:00 ends, and ends as
    # the other cohort's 12:00 session starts.
    create(cohort, at(cohort, 11), at(cohort, 12), room="Melati", trainers=[trainer])

    assert cohort.sessions.count() == 2


# -- 3. a room used twice at once ---------------------------------------------------------------


def test_a_room_of_the_same_venue_cannot_be_used_twice_at_once():
    first = CohortFactory(title="TOT Pekerja Rumahan", starts_on=FIRST_DAY, venue_name="Hotel Ratu")
    second = CohortFactory(starts_on=FIRST_DAY, venue_name="HOTEL RATU")
    SessionFactory(
        cohort=first,
        title="Upah layak",
        starts_at=at(first, 13),
        ends_at=at(first, 15),
        room="Ruang Melati",
    )

    # Venue and room names match whatever their case.
    messages = refusal(second, at(second, 14), at(second, 16), room="ruang melati")

    assert len(messages) == 1
    for part in ("ruang melati", "Upah layak", "TOT Pekerja Rumahan", "13:00–15:00 WIB"):
        assert part in messages[0]


def test_the_same_room_name_at_another_venue_is_another_room():
    first = CohortFactory(starts_on=FIRST_DAY, venue_name="Hotel Ratu")
    second = CohortFactory(starts_on=FIRST_DAY, venue_name="Wisma Buruh")
    SessionFactory(cohort=first, starts_at=at(first, 13), ends_at=at(first, 15), room="Aula")

    create(second, at(second, 13), at(second, 15), room="Aula")


def test_an_empty_room_never_clashes():
    first = CohortFactory(starts_on=FIRST_DAY, venue_name="Hotel Ratu")
    second = CohortFactory(starts_on=FIRST_DAY, venue_name="Hotel Ratu")
    SessionFactory(cohort=first, starts_at=at(first, 13), ends_at=at(first, 15), room="")

    create(second, at(second, 13), at(second, 15), room="")


def test_without_a_venue_a_room_name_says_nothing_even_when_a_trainer_is_shared(trainer):
    """Two online cohorts both calling their room "Zoom 1" share no room. Rooms are
    compared only within a named venue, whether or not the sessions share a trainer."""
    first = CohortFactory(starts_on=FIRST_DAY, venue_name="")
    second = CohortFactory(starts_on=FIRST_DAY, venue_name="")
    SessionFactory(
        cohort=first,
        starts_at=at(first, 13),
        ends_at=at(first, 15),
        room="Zoom 1",
        trainers=[trainer],
    )

    messages = refusal(second, at(second, 13), at(second, 15), room="Zoom 1", trainers=[trainer])

    assert len(messages) == 1
    assert "Siti Rahayu" in messages[0]


# -- 4. a session outside the cohort's dates ---------------------------------------------------


@pytest.mark.parametrize(
    ("day", "hour", "end_hour"),
    [
        pytest.param(-1, 9, 10, id="the-day-before"),
        pytest.param(3, 9, 10, id="the-day-after"),
        pytest.param(2, 23, 25, id="running-past-midnight-of-the-last-day"),
    ],
)
def test_a_session_outside_the_cohorts_dates_is_refused(day, hour, end_hour):
    cohort = CohortFactory(starts_on=FIRST_DAY, ends_on=FIRST_DAY + dt.timedelta(days=2))
    start = at(cohort, hour, day=day)

    messages = refusal(cohort, start, start + dt.timedelta(hours=end_hour - hour), title="Refleksi")

    assert len(messages) == 1
    assert "Refleksi" in messages[0]
    assert "WIB" in messages[0]


def test_a_wit_session_early_on_the_first_day_is_inside_though_utc_says_the_day_before():
    papua = CohortFactory(time_zone=WIT, starts_on=FIRST_DAY, ends_on=FIRST_DAY)

    session = create(papua, at(papua, 6), at(papua, 7, 30))

    assert session.starts_at.astimezone(dt.UTC).date() == FIRST_DAY - dt.timedelta(days=1)


def test_a_session_ending_at_midnight_after_the_last_day_is_inside():
    cohort = CohortFactory(starts_on=FIRST_DAY, ends_on=FIRST_DAY)

    create(cohort, at(cohort, 22), at(cohort, 0, day=1))


def test_a_session_before_the_first_day_in_the_cohorts_zone_is_outside():
    """The same UTC moment as the WIT test above, but the cohort keeps WIB: 04:00 WIB
    on the first day is inside, 23:00 WIB the evening before is not."""
    cohort = CohortFactory(time_zone=WIB, starts_on=FIRST_DAY, ends_on=FIRST_DAY)

    create(cohort, at(cohort, 4), at(cohort, 5))
    refusal(cohort, at(cohort, 23, day=-1), at(cohort, 23, 30, day=-1))


# -- what does not clash -------------------------------------------------------------------------


def test_cancelled_sessions_do_not_clash(trainer):
    cohort = CohortFactory(starts_on=FIRST_DAY, venue_name="Hotel Ratu")
    other = CohortFactory(starts_on=FIRST_DAY, venue_name="Hotel Ratu")
    for owner in (cohort, other):
        SessionFactory(
            cohort=owner,
            starts_at=at(owner, 9),
            ends_at=at(owner, 11),
            room="Aula",
            trainers=[trainer],
            status=Session.Status.CANCELLED,
        )

    create(cohort, at(cohort, 9), at(cohort, 11), room="Aula", trainers=[trainer])


def test_sessions_of_a_cancelled_cohort_do_not_clash(trainer):
    cancelled = CohortFactory(
        starts_on=FIRST_DAY, venue_name="Hotel Ratu", status=Cohort.Status.CANCELLED
    )
    SessionFactory(
        cohort=cancelled,
        starts_at=at(cancelled, 9),
        ends_at=at(cancelled, 11),
        room="Aula",
        trainers=[trainer],
    )
    cohort = CohortFactory(starts_on=FIRST_DAY, venue_name="Hotel Ratu")

    create(cohort, at(cohort, 9), at(cohort, 11), room="Aula", trainers=[trainer])
    assert cohort_clashes(cohort=cancelled) == []


def test_a_session_does_not_clash_with_itself_on_update(trainer):
    cohort = CohortFactory(starts_on=FIRST_DAY, venue_name="Hotel Ratu")
    session = create(cohort, at(cohort, 9), at(cohort, 11), room="Aula", trainers=[trainer])

    # Thirty minutes later still overlaps where it was.
    session_update(
        session=session,
        title=session.title,
        starts_at=at(cohort, 9, 30),
        ends_at=at(cohort, 11, 30),
        room="Aula",
        trainers=[trainer],
    )

    session.refresh_from_db()
    assert session.starts_at == at(cohort, 9, 30)


# -- a whole plan at once ----------------------------------------------------------------------


def planned(cohort: Cohort, hour: int, end_hour: int, **details) -> dict:
    return {
        "title": details.pop("title", f"Sesi {hour}"),
        "starts_at": at(cohort, hour),
        "ends_at": at(cohort, end_hour),
        **details,
    }


def test_sessions_create_many_checks_the_proposals_against_each_other(trainer):
    cohort = CohortFactory(starts_on=FIRST_DAY)

    with pytest.raises(ValidationError) as refused:
        sessions_create_many(
            cohort=cohort,
            sessions=[
                planned(cohort, 9, 11, title="Pembukaan"),
                planned(cohort, 10, 12, title="Sejarah gerakan"),
            ],
        )

    assert len(refused.value.messages) == 1
    assert "Pembukaan" in refused.value.messages[0]
    assert "Sejarah gerakan" in refused.value.messages[0]
    assert not cohort.sessions.exists()


def test_sessions_create_many_saves_all_or_nothing(trainer):
    other = CohortFactory(title="TOT Batam", starts_on=FIRST_DAY)
    SessionFactory(cohort=other, starts_at=at(other, 15), ends_at=at(other, 16), trainers=[trainer])
    cohort = CohortFactory(starts_on=FIRST_DAY)
    plan = [
        planned(cohort, 9, 10),
        planned(cohort, 10, 12, trainers=[MemberFactory()]),
        planned(cohort, 14, 16, trainers=[trainer]),
    ]

    with pytest.raises(ValidationError, match="TOT Batam"):
        sessions_create_many(cohort=cohort, sessions=plan)
    assert not cohort.sessions.exists()

    plan[2] = planned(cohort, 13, 15, trainers=[trainer])
    created = sessions_create_many(cohort=cohort, sessions=plan)
    assert [session.title for session in created] == ["Sesi 9", "Sesi 10", "Sesi 13"]


def test_sessions_create_many_stops_at_bad_times_before_saving_anything():
    cohort = CohortFactory(starts_on=FIRST_DAY)

    with pytest.raises(ValidationError):
        sessions_create_many(
            cohort=cohort, sessions=[planned(cohort, 9, 10), planned(cohort, 12, 11)]
        )

    assert not cohort.sessions.exists()


# -- all clashes of a cohort at once ------------------------------------------------------------


def test_cohort_clashes_lists_every_kind_at_once(trainer):
    """Sessions written straight to the database (as an import or an older rule might
    have left them) are all reported, each with its kind."""
    cohort = CohortFactory(title="TOT Lubuklinggau", starts_on=FIRST_DAY, venue_name="Hotel Ratu")
    busy = CohortFactory(title="TOT Jambi", starts_on=FIRST_DAY, venue_name="Hotel Ratu")
    SessionFactory(cohort=cohort, title="A", starts_at=at(cohort, 9), ends_at=at(cohort, 10, 30))
    SessionFactory(cohort=cohort, title="B", starts_at=at(cohort, 10), ends_at=at(cohort, 11))
    SessionFactory(
        cohort=cohort, title="C", starts_at=at(cohort, 9, day=-1), ends_at=at(cohort, 10, day=-1)
    )
    SessionFactory(
        cohort=cohort,
        title="D",
        starts_at=at(cohort, 13),
        ends_at=at(cohort, 14),
        trainers=[trainer],
    )
    SessionFactory(
        cohort=busy, starts_at=at(busy, 13, 30), ends_at=at(busy, 15), trainers=[trainer]
    )
    SessionFactory(
        cohort=cohort, title="E", starts_at=at(cohort, 15), ends_at=at(cohort, 16), room="aula"
    )
    SessionFactory(cohort=busy, starts_at=at(busy, 15, 30), ends_at=at(busy, 17), room="Aula")
    SessionFactory(
        cohort=cohort,
        title="Dibatalkan",
        starts_at=at(cohort, 9),
        ends_at=at(cohort, 10),
        status=Session.Status.CANCELLED,
    )

    clashes = cohort_clashes(cohort=cohort)

    found = sorted((clash.kind, clash.slot.title) for clash in clashes)
    assert found == [
        (Clash.Kind.COHORT, "A"),
        (Clash.Kind.OUTSIDE_DATES, "C"),
        (Clash.Kind.ROOM, "E"),
        (Clash.Kind.TRAINER, "D"),
    ]
    assert all("TOT Jambi" in clash.message for clash in clashes if clash.other_cohort == busy)


@pytest.mark.parametrize("count", [3, 30])
def test_cohort_clashes_reads_a_fixed_number_of_times(count, django_assert_max_num_queries):
    cohort = CohortFactory(starts_on=FIRST_DAY, venue_name="Hotel Ratu", time_zone=WITA)
    busy = CohortFactory(starts_on=FIRST_DAY, venue_name="Hotel Ratu", time_zone=WIB)
    for number in range(count):
        trainer = MemberFactory()
        day, hour = number % 3, 7 + number // 3
        SessionFactory(
            cohort=cohort,
            starts_at=at(cohort, hour, day=day),
            ends_at=at(cohort, hour, 50, day=day),
            room=f"Ruang {number}",
            trainers=[trainer],
        )
        # The same UTC hour in the WIB cohort, same trainer and room.
        SessionFactory(
            cohort=busy,
            starts_at=at(busy, hour - 1, day=day),
            ends_at=at(busy, hour - 1, 50, day=day),
            room=f"ruang {number}",
            trainers=[trainer],
        )

    # the cohort's sessions (1) + their trainers (1), the sessions they could clash with (1)
    # + those sessions' trainers (1), the trainers' names (1); messages read nothing more
    with django_assert_max_num_queries(5):
        messages = [clash.message for clash in cohort_clashes(cohort=cohort)]

    assert len(messages) == 2 * count
