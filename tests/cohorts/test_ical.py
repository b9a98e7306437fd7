"""The .ics feeds as calendar apps read them: every feed is parsed twice, with icalendar
(which also builds them) and with vobject, an independent parser."""

import datetime as dt

import icalendar
import pytest
import vobject
from django.urls import reverse

from cohorts.models import Cohort, Session
from cohorts.services.sessions import session_cancel, session_create, session_update
from tests.cohorts.factories import CohortFactory, SessionFactory
from tests.curriculum.factories import full_curriculum
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC
WITA = dt.timezone(dt.timedelta(hours=8))


def feed_of(client, cohort: Cohort) -> bytes:
    response = client.get(reverse("cohorts:cohort_feed", kwargs={"slug": cohort.slug}))
    assert response.status_code == 200
    return response.content


def parsed(body: bytes) -> tuple[icalendar.Calendar, vobject.base.Component]:
    """The same feed through both parsers; each must accept it."""
    return icalendar.Calendar.from_ical(body), vobject.readOne(body.decode())


def only_event(body: bytes):
    calendar, vcalendar = parsed(body)
    assert len(calendar.events) == 1
    assert len(vcalendar.vevent_list) == 1
    return calendar.events[0], vcalendar.vevent_list[0]


def wita_cohort(**kwargs) -> Cohort:
    return CohortFactory(
        title="TOT Dialog Sosial Makassar",
        time_zone=Cohort.TimeZone.WITA,
        venue_name="Hotel Sahid",
        venue_address="Jl. Dr. Sam Ratulangi No. 33\nMakassar",
        **kwargs,
    )


def test_cohort_feed_is_a_published_calendar_in_both_parsers(client):
    cohort = wita_cohort()
    SessionFactory.create_batch(2, cohort=cohort)

    calendar, vcalendar = parsed(feed_of(client, cohort))

    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//TOT Platform//Jadwal pelatihan//ID"
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-CALNAME"] == "TOT Dialog Sosial Makassar"
    assert calendar["X-WR-TIMEZONE"] == "Asia/Makassar"
    assert [zone.tz_name for zone in calendar.timezones] == ["Asia/Makassar"]
    assert len(calendar.events) == 2
    assert vcalendar.method.value == "PUBLISH"
    assert vcalendar.vtimezone.tzid.value == "Asia/Makassar"
    assert len(vcalendar.vevent_list) == 2


def test_start_carries_the_cohort_zone_and_its_wall_clock_time(client):
    cohort = wita_cohort()
    session = SessionFactory(
        cohort=cohort,
        starts_at=dt.datetime(2026, 12, 14, 1, tzinfo=UTC),
        ends_at=dt.datetime(2026, 12, 14, 2, 30, tzinfo=UTC),
    )
    body = feed_of(client, cohort)

    event, vevent = only_event(body)

    # 09:00 in Makassar (WITA, UTC+8) is 01:00 UTC.
    assert b"DTSTART;TZID=Asia/Makassar:20261214T090000" in body
    assert b"DTEND;TZID=Asia/Makassar:20261214T103000" in body
    assert event["DTSTART"].params["TZID"] == "Asia/Makassar"
    assert event.start == session.starts_at
    assert event.start.astimezone(WITA).time() == dt.time(9)
    assert vevent.dtstart.value == dt.datetime(2026, 12, 14, 1, tzinfo=UTC)
    assert vevent.dtstart.value.utcoffset() == dt.timedelta(hours=8)
    assert vevent.dtend.value.astimezone(UTC) == dt.datetime(2026, 12, 14, 2, 30, tzinfo=UTC)


def test_every_zone_used_gets_a_vtimezone(client, trainer):
    wib = CohortFactory(time_zone=Cohort.TimeZone.WIB)
    wit = CohortFactory(time_zone=Cohort.TimeZone.WIT)
    member = MemberFactory(user=trainer)
    SessionFactory(cohort=wib, trainers=[member])
    SessionFactory(cohort=wit, trainers=[member])
    client.force_login(trainer)
    feed_url = client.get(reverse("cohorts:calendar_subscription")).context["feed_url"]
    client.logout()

    calendar, vcalendar = parsed(client.get(feed_url).content)

    assert {zone.tz_name for zone in calendar.timezones} == {"Asia/Jakarta", "Asia/Jayapura"}
    assert {zone.tzid.value for zone in vcalendar.vtimezone_list} == {
        "Asia/Jakarta",
        "Asia/Jayapura",
    }
    assert {event["DTSTART"].params["TZID"] for event in calendar.events} == {
        "Asia/Jakarta",
        "Asia/Jayapura",
    }


def test_event_says_what_where_and_who(client):
    curriculum = full_curriculum(modules=2)
    first, second = curriculum.modules.order_by("position")
    cohort = wita_cohort(curriculum=curriculum)
    trainers = [MemberFactory(full_name="Siti Aminah"), MemberFactory(full_name="Budi Santoso")]
    session = SessionFactory(
        cohort=cohort,
        title="Dialog sosial bipartit",
        room="Ruang Melati",
        modules=[first, second],
        trainers=trainers,
    )

    event, vevent = only_event(feed_of(client, cohort))

    assert event["UID"] == f"session-{session.uid}@tot-platform"
    assert event["SUMMARY"] == "Dialog sosial bipartit — TOT Dialog Sosial Makassar"
    assert event["LOCATION"] == (
        "Hotel Sahid, Ruang Melati, Jl. Dr. Sam Ratulangi No. 33, Makassar"
    )
    assert event["STATUS"] == "CONFIRMED"
    assert event["SEQUENCE"] == 0
    assert event["CREATED"].dt == session.created_at.replace(microsecond=0)
    assert event["LAST-MODIFIED"].dt == session.updated_at.replace(microsecond=0)
    assert "DTSTAMP" in event
    detail_url = "http://testserver" + reverse("cohorts:detail", kwargs={"slug": cohort.slug})
    assert event["URL"] == detail_url
    description = vevent.description.value
    assert f"- {first.title}\n- {second.title}" in description
    assert "Budi Santoso, Siti Aminah" in description
    assert detail_url in description
    assert vevent.location.value == event["LOCATION"]
    assert vevent.summary.value == event["SUMMARY"]


def test_events_carry_no_phone_number_nik_or_online_link(client):
    cohort = wita_cohort(online_url="https://meet.example.org/rahasia")
    trainer = MemberFactory(
        full_name="Rina Wulandari",
        phone="+6281234567890",
        nik="1673015708850002",
        email="t@example.org",
    )
    SessionFactory(cohort=cohort, trainers=[trainer])

    body = feed_of(client, cohort).decode()

    assert "Rina Wulandari" in body
    for private in ["81234567890", "1673015708850002", "t@example.org", "meet.example.org"]:
        assert private not in body


def test_rescheduling_keeps_the_uid_and_bumps_the_sequence(client):
    cohort = wita_cohort()
    starts_at = dt.datetime(2026, 12, 14, 1, tzinfo=UTC)
    session = session_create(
        cohort=cohort,
        title="Sesi 1",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=1),
    )
    before, vbefore = only_event(feed_of(client, cohort))

    later = starts_at + dt.timedelta(hours=2)
    session_update(
        session=session, title="Sesi 1", starts_at=later, ends_at=later + dt.timedelta(hours=1)
    )
    after, vafter = only_event(feed_of(client, cohort))

    assert after["UID"] == before["UID"] == f"session-{session.uid}@tot-platform"
    assert vafter.uid.value == vbefore.uid.value == before["UID"]
    assert (before["SEQUENCE"], after["SEQUENCE"]) == (0, 1)
    assert (int(vbefore.sequence.value), int(vafter.sequence.value)) == (0, 1)
    assert after.start.astimezone(WITA).time() == dt.time(11)
    session.refresh_from_db()
    assert after["LAST-MODIFIED"].dt == session.updated_at.replace(microsecond=0)


def test_saving_without_a_visible_change_keeps_the_sequence(client):
    cohort = wita_cohort()
    session = SessionFactory(cohort=cohort)

    session_update(
        session=session, title=session.title, starts_at=session.starts_at, ends_at=session.ends_at
    )
    event, _ = only_event(feed_of(client, cohort))

    assert event["SEQUENCE"] == 0


def test_a_cancelled_session_stays_in_the_feed_as_cancelled(client):
    cohort = wita_cohort()
    session = SessionFactory(cohort=cohort, title="Sesi batal")
    before, _ = only_event(feed_of(client, cohort))

    session_cancel(session=session)
    after, vafter = only_event(feed_of(client, cohort))

    assert after["UID"] == before["UID"]
    assert after["STATUS"] == vafter.status.value == "CANCELLED"
    assert after["SEQUENCE"] == int(vafter.sequence.value) == 1
    assert "Sesi batal" in after["SUMMARY"]
    assert after["SUMMARY"] != before["SUMMARY"]  # marked for apps that keep showing it


def test_a_held_session_is_confirmed(client):
    cohort = wita_cohort(status=Cohort.Status.RUNNING)
    SessionFactory(cohort=cohort, status=Session.Status.HELD)

    event, vevent = only_event(feed_of(client, cohort))

    assert event["STATUS"] == vevent.status.value == "CONFIRMED"


def test_a_cohort_without_sessions_still_gives_a_valid_calendar(client):
    cohort = wita_cohort()

    calendar, vcalendar = parsed(feed_of(client, cohort))

    assert calendar.events == []
    assert [zone.tz_name for zone in calendar.timezones] == ["Asia/Makassar"]
    assert vcalendar.vtimezone.tzid.value == "Asia/Makassar"
