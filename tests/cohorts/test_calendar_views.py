import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Cohort, Session
from members.models import Organization
from tests.cohorts.factories import CohortFactory, SessionFactory
from tests.members.factories import MemberFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
WIT = ZoneInfo("Asia/Jayapura")
CALENDAR = reverse("cohorts:calendar")
MINE = reverse("cohorts:my_sessions")
DECEMBER = {"view": "month", "date": "2026-12-01"}


def session_on(cohort: Cohort, day: dt.date, time: dt.time, **fields) -> Session:
    starts_at = dt.datetime.combine(day, time, tzinfo=ZoneInfo(cohort.time_zone))
    return SessionFactory(
        cohort=cohort, starts_at=starts_at, ends_at=starts_at + dt.timedelta(minutes=90), **fields
    )


def events_on_page(response) -> set[str]:
    return {
        event.session.title
        for day in response.context["calendar"].days
        if day.in_period
        for event in day.events
    }


@pytest.fixture
def trainer_member(trainer, organization):
    return MemberFactory(user=trainer, organization=organization)


# --- organizer calendar ----------------------------------------------------------------------


def test_organizer_sees_only_their_cohorts_sessions(client, organizer, organization):
    own = CohortFactory(title="Kohort sendiri", organizers=[organization])
    other = CohortFactory(title="Kohort lain", organizers=[OrganizationFactory()])
    session_on(own, dt.date(2026, 12, 15), dt.time(9), title="Sesi sendiri")
    session_on(other, dt.date(2026, 12, 15), dt.time(9), title="Sesi organisasi lain")
    client.force_login(organizer)

    response = client.get(CALENDAR, DECEMBER)

    assert events_on_page(response) == {"Sesi sendiri"}
    page = response.content.decode()
    assert "Sesi organisasi lain" not in page
    assert "Kohort lain" not in page
    assert reverse("cohorts:manage_detail", kwargs={"slug": own.slug}) in page


def test_another_organizers_sessions_never_appear_whatever_the_filters(
    client, organizer, organization
):
    other_organization = OrganizationFactory()
    other = CohortFactory(organizers=[other_organization], status=Cohort.Status.DRAFT)
    session_on(other, dt.date(2026, 12, 15), dt.time(9), title="Sesi rahasia")
    client.force_login(organizer)

    for filters in ({}, {"status": "draft"}, {"organization": other_organization.pk}):
        response = client.get(CALENDAR, DECEMBER | filters)
        assert "Sesi rahasia" not in response.content.decode()


def test_organizer_calendar_filters_by_cohort_status_and_organization(
    client, organizer, organization
):
    federation = OrganizationFactory(parent=organization, kind=Organization.Kind.FEDERATION)
    draft = CohortFactory(organizers=[organization], status=Cohort.Status.DRAFT)
    running = CohortFactory(organizers=[federation], status=Cohort.Status.RUNNING)
    session_on(draft, dt.date(2026, 12, 15), dt.time(9), title="Sesi draf")
    session_on(running, dt.date(2026, 12, 15), dt.time(9), title="Sesi berjalan")
    client.force_login(organizer)

    assert events_on_page(client.get(CALENDAR, DECEMBER)) == {"Sesi draf", "Sesi berjalan"}
    assert events_on_page(client.get(CALENDAR, DECEMBER | {"status": "draft"})) == {"Sesi draf"}
    assert events_on_page(client.get(CALENDAR, DECEMBER | {"organization": federation.pk})) == {
        "Sesi berjalan"
    }


def test_calendar_shows_local_times_with_the_zone_and_strikes_out_cancelled_sessions(
    client, organizer, organization
):
    papua = CohortFactory(organizers=[organization], time_zone=Cohort.TimeZone.WIT)
    session_on(papua, dt.date(2026, 12, 15), dt.time(0, 30), title="Sesi subuh", room="Aula 2")
    session_on(
        papua,
        dt.date(2026, 12, 16),
        dt.time(9),
        title="Sesi batal",
        status=Session.Status.CANCELLED,
    )
    client.force_login(organizer)

    response = client.get(CALENDAR, {"view": "week", "date": "2026-12-15"})

    page = response.content.decode()
    assert "00:30–02:00 WIT" in page
    assert "Aula 2" in page
    assert "<s>Sesi batal</s>" in page
    fifteenth = next(day for day in response.context["calendar"].days if day.day.day == 15)
    assert [event.session.title for event in fifteenth.events] == ["Sesi subuh"]


def test_calendar_is_not_for_trainers_or_participants(client, trainer, participant):
    for user in (trainer, participant):
        client.force_login(user)
        assert client.get(CALENDAR).status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"view": "year", "date": "2026-13-45"},
        {"date": "yesterday"},
        {"date": "9999-12-31"},
        {"date": "0001-01-01", "view": "week"},
        {"date": ""},
        {"status": "nonsense", "organization": "abc"},
        {"organization": "999999999"},
    ],
)
def test_bad_parameters_fall_back_to_this_month(client, organizer, trainer_member, params):
    session_on(CohortFactory(), timezone.localdate(), dt.time(9), trainers=[trainer_member])
    client.force_login(organizer)

    response = client.get(CALENDAR, params)

    assert response.status_code == 200
    calendar = response.context["calendar"]
    if params.get("view") != "week":
        assert calendar.view == "month"
    assert calendar.anchor == timezone.localdate(timezone=WIB)

    client.force_login(trainer_member.user)
    assert client.get(MINE, params).status_code == 200


def test_navigation_links_keep_the_filters(client, organizer, organization):
    client.force_login(organizer)

    response = client.get(CALENDAR, {"view": "month", "date": "2026-12-20", "status": "open"})

    links = response.context["links"]
    assert links["previous"] == "view=month&date=2026-11-01&status=open"
    assert links["next"] == "view=month&date=2027-01-01&status=open"
    assert links["today"] == "view=month&status=open"
    assert links["week"] == "view=week&date=2026-12-20&status=open"


# --- my sessions -----------------------------------------------------------------------------


def test_trainer_sees_only_their_own_sessions(client, trainer_member):
    cohort = CohortFactory()
    session_on(
        cohort, dt.date(2026, 12, 15), dt.time(9), title="Sesi saya", trainers=[trainer_member]
    )
    session_on(
        cohort,
        dt.date(2026, 12, 15),
        dt.time(11),
        title="Sesi orang lain",
        trainers=[MemberFactory()],
    )
    client.force_login(trainer_member.user)

    response = client.get(MINE, DECEMBER)

    assert events_on_page(response) == {"Sesi saya"}
    page = response.content.decode()
    assert "Sesi orang lain" not in page
    assert reverse("cohorts:detail", kwargs={"slug": cohort.slug}) in page


def test_a_draft_cohorts_session_is_shown_to_its_trainer_without_a_link(client, trainer_member):
    draft = CohortFactory(title="Kohort draf", status=Cohort.Status.DRAFT)
    session_on(draft, dt.date(2026, 12, 15), dt.time(9), trainers=[trainer_member])
    client.force_login(trainer_member.user)

    page = client.get(MINE, DECEMBER).content.decode()

    assert "Kohort draf" in page
    assert reverse("cohorts:detail", kwargs={"slug": draft.slug}) not in page


def test_my_schedule_lists_today_and_upcoming_sessions_first(client, trainer_member):
    today = timezone.localdate(timezone=WIB)
    cohort = CohortFactory()
    session_on(
        cohort, today - dt.timedelta(days=1), dt.time(9), title="Kemarin", trainers=[trainer_member]
    )
    session_on(cohort, today, dt.time(0, 1), title="Hari ini", trainers=[trainer_member])
    session_on(
        cohort,
        today + dt.timedelta(days=40),
        dt.time(9),
        title="Bulan depan",
        trainers=[trainer_member],
    )
    client.force_login(trainer_member.user)

    response = client.get(MINE)

    upcoming = [event.session.title for day in response.context["upcoming"] for event in day.events]
    assert upcoming == ["Hari ini", "Bulan depan"]
    assert response.context["upcoming"][0].is_today


@pytest.mark.parametrize("role", ["participant", "organizer", "trainer"])
def test_someone_who_trains_nothing_gets_a_friendly_empty_page(client, role, request):
    client.force_login(request.getfixturevalue(role))

    response = client.get(MINE)

    assert response.status_code == 200
    assert "calendar" not in response.context
    assert "Anda belum ditugaskan ke sesi mana pun." in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in (CALENDAR, MINE):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


# --- navigation ------------------------------------------------------------------------------


def nav_urls(response) -> list[str]:
    return [item.url_name for item in response.context["navigation"]]


def test_navbar_offers_the_calendar_to_organizers_and_my_schedule_to_trainers(
    client, organizer, trainer, participant, trainer_member
):
    client.force_login(organizer)
    organizer_nav = nav_urls(client.get(reverse("members:dashboard")))
    client.force_login(trainer)
    trainer_nav = nav_urls(client.get(reverse("members:dashboard")))
    client.force_login(participant)
    participant_nav = nav_urls(client.get(reverse("members:dashboard")))

    assert "cohorts:calendar" in organizer_nav
    assert "cohorts:my_sessions" not in organizer_nav
    assert "cohorts:calendar" not in trainer_nav
    assert "cohorts:my_sessions" in trainer_nav
    assert "cohorts:calendar" not in participant_nav
    assert "cohorts:my_sessions" not in participant_nav


def test_navbar_offers_my_schedule_to_a_member_who_trains_without_a_trainer_role(
    client, participant
):
    SessionFactory(trainers=[participant.member])
    client.force_login(participant)

    assert "cohorts:my_sessions" in nav_urls(client.get(reverse("members:dashboard")))


# --- query counts ----------------------------------------------------------------------------


def many_sessions(count: int, *, cohorts: list[Cohort], trainers) -> None:
    first = dt.datetime(2026, 12, 1, 8, tzinfo=WIB)
    for number in range(count):
        starts_at = first + dt.timedelta(hours=number * 13)  # spread over the month
        SessionFactory(
            cohort=cohorts[number % len(cohorts)],
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=1),
            trainers=trainers,
        )


@pytest.mark.parametrize("count", [5, 50])
def test_organizer_calendar_query_count_is_constant(
    client, organizer, organization, count, django_assert_max_num_queries
):
    cohorts = [
        CohortFactory(organizers=[organization], time_zone=zone) for zone in Cohort.TimeZone.values
    ]
    many_sessions(count, cohorts=cohorts, trainers=MemberFactory.create_batch(2))
    client.force_login(organizer)

    # session + user (2), reach (1), navbar member record (1), organizations for the filter
    # (1) and the chosen one (1), sessions with cohorts (1) + trainers (1)
    with django_assert_max_num_queries(8):
        response = client.get(CALENDAR, DECEMBER | {"organization": organization.pk})

    assert response.context["calendar"].event_count == count


@pytest.mark.parametrize("count", [5, 50])
def test_my_schedule_query_count_is_constant(
    client, trainer_member, count, django_assert_max_num_queries
):
    cohorts = [CohortFactory(time_zone=zone) for zone in Cohort.TimeZone.values]
    many_sessions(count, cohorts=cohorts, trainers=[trainer_member, MemberFactory()])
    client.force_login(trainer_member.user)

    # session + user (2), trains anything (1), calendar: sessions with cohorts (1) +
    # trainers (1), upcoming: the same (2), navbar: reach (1) + member record (1)
    with django_assert_max_num_queries(9):
        response = client.get(MINE, DECEMBER)

    assert response.context["calendar"].event_count == count
