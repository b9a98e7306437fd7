"""Feed responses, the personal feed's secret address, and the subscription page."""

import icalendar
import pytest
import vobject
from django.urls import reverse

from cohorts.models import CalendarFeedToken, Cohort, Session
from cohorts.services.calendars import calendar_token_for, calendar_token_reset
from cohorts.services.cohorts import cohort_transition
from tests.cohorts.factories import CohortFactory, SessionFactory
from tests.curriculum.factories import full_curriculum
from tests.members.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def personal_feed_url(user) -> str:
    return reverse("cohorts:personal_feed", kwargs={"token": calendar_token_for(user=user).token})


def summaries(body: bytes) -> set[str]:
    calendar = icalendar.Calendar.from_ical(body)
    vcalendar = vobject.readOne(body.decode())
    from_vobject = {event.summary.value for event in getattr(vcalendar, "vevent_list", [])}
    from_icalendar = {str(event["SUMMARY"]) for event in calendar.events}
    assert from_vobject == from_icalendar
    return from_icalendar


def test_cohort_feed_is_served_as_an_inline_calendar_file(client):
    cohort = CohortFactory(slug="tot-lubuklinggau")

    response = client.get(reverse("cohorts:cohort_feed", kwargs={"slug": cohort.slug}))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="tot-lubuklinggau.ics"'


@pytest.mark.parametrize("status", [Cohort.Status.DRAFT, Cohort.Status.CANCELLED])
def test_unpublished_cohort_has_no_feed(client, status):
    cohort = CohortFactory(status=status)
    SessionFactory(cohort=cohort)

    response = client.get(reverse("cohorts:cohort_feed", kwargs={"slug": cohort.slug}))

    assert response.status_code == 404


def test_a_cancelled_cohort_that_was_published_keeps_a_feed_of_cancelled_events(
    client, organizer, organization
):
    cohort = CohortFactory(organizers=[organization], status=Cohort.Status.DRAFT)
    SessionFactory(cohort=cohort, title="Pembukaan")
    cohort_transition(cohort=cohort, to_status=Cohort.Status.OPEN, by=organizer)
    cohort_transition(cohort=cohort, to_status=Cohort.Status.CANCELLED, by=organizer)

    response = client.get(reverse("cohorts:cohort_feed", kwargs={"slug": cohort.slug}))

    assert response.status_code == 200
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(event["STATUS"]) for event in events] == ["CANCELLED"]
    assert [event["SEQUENCE"] for event in events] == [1]


def test_personal_feed_holds_only_the_sessions_its_owner_trains(client, trainer):
    member = MemberFactory(user=trainer)
    cohort = CohortFactory(title="TOT Palu")
    SessionFactory(cohort=cohort, title="Sesi saya", trainers=[member])
    SessionFactory(cohort=cohort, title="Sesi orang lain", trainers=[MemberFactory()])
    SessionFactory(
        cohort=CohortFactory(status=Cohort.Status.DRAFT), title="Sesi draf", trainers=[member]
    )

    response = client.get(personal_feed_url(trainer))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert summaries(response.content) == {"Sesi saya — TOT Palu"}


def test_personal_feed_keeps_a_cancelled_cohorts_sessions_as_cancelled(client, trainer):
    member = MemberFactory(user=trainer)
    cohort = CohortFactory(status=Cohort.Status.CANCELLED)
    SessionFactory(cohort=cohort, trainers=[member], status=Session.Status.CANCELLED)

    calendar = icalendar.Calendar.from_ical(client.get(personal_feed_url(trainer)).content)

    assert [event["STATUS"] for event in calendar.events] == ["CANCELLED"]
    assert "URL" not in calendar.events[0]  # the cohort's page is no longer public


def test_personal_feed_carries_the_online_link_the_public_feed_leaves_out(client, trainer):
    cohort = CohortFactory(online_url="https://meet.example.org/tot")
    SessionFactory(cohort=cohort, trainers=[MemberFactory(user=trainer)])

    personal = client.get(personal_feed_url(trainer)).content
    public = client.get(reverse("cohorts:cohort_feed", kwargs={"slug": cohort.slug})).content

    [event] = icalendar.Calendar.from_ical(personal).events
    assert "https://meet.example.org/tot" in event["DESCRIPTION"]
    assert b"meet.example.org" not in public.replace(b"\r\n ", b"")  # unfolded


def test_personal_feed_is_not_kept_by_shared_caches(client, trainer):
    response = client.get(personal_feed_url(trainer))

    cache_control = response["Cache-Control"]
    assert "private" in cache_control
    assert "no-store" in cache_control


def test_unknown_token_and_deactivated_account_have_no_feed(client):
    user = UserFactory()
    url = personal_feed_url(user)
    user.is_active = False
    user.save(update_fields=["is_active"])

    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("cohorts:personal_feed", kwargs={"token": "x" * 32})).status_code == 404
    )


def test_the_token_stays_until_it_is_reset():
    user = UserFactory()

    first = calendar_token_for(user=user)
    again = calendar_token_for(user=user)
    reset = calendar_token_reset(user=user)

    assert first.token == again.token
    assert reset.pk == first.pk
    assert reset.token != first.token
    assert CalendarFeedToken.objects.get(user=user).token == reset.token


def test_subscription_page_shows_the_address_and_a_webcal_link(client, trainer):
    client.force_login(trainer)

    response = client.get(reverse("cohorts:calendar_subscription"))

    token = CalendarFeedToken.objects.get(user=trainer).token
    feed_url = f"http://testserver/calendar/{token}.ics"
    assert response.context["feed_url"] == feed_url
    page = response.content.decode()
    assert feed_url in page
    assert f"webcal://testserver/calendar/{token}.ics" in page
    assert reverse("cohorts:calendar_token_reset") in page
    assert "no-store" in response["Cache-Control"]


def test_resetting_the_address_cuts_off_the_old_one(client, trainer):
    old_url = personal_feed_url(trainer)
    client.force_login(trainer)

    response = client.post(reverse("cohorts:calendar_token_reset"), follow=True)

    new_url = response.context["feed_url"]
    assert new_url != "http://testserver" + old_url
    assert [message.level_tag for message in response.context["messages"]] == ["success"]
    client.logout()
    assert client.get(old_url).status_code == 404
    assert client.get(new_url).status_code == 200


def test_dashboard_and_schedule_offer_the_subscription_page(client, trainer):
    url = reverse("cohorts:calendar_subscription")
    client.force_login(trainer)

    assert f'href="{url}"' in client.get(reverse("members:dashboard")).content.decode()
    assert f'href="{url}"' in client.get(reverse("cohorts:my_sessions")).content.decode()


def test_public_cohort_page_links_to_its_feed(client):
    cohort = CohortFactory()

    page = client.get(reverse("cohorts:detail", kwargs={"slug": cohort.slug})).content.decode()

    assert reverse("cohorts:cohort_feed", kwargs={"slug": cohort.slug}) in page


def _sessions_with_everything(count: int, *, cohort: Cohort, trainer_member=None) -> None:
    modules = list(cohort.curriculum.modules.all())
    for _ in range(count):
        trainers = [MemberFactory(), *([trainer_member] if trainer_member else [])]
        SessionFactory(cohort=cohort, modules=modules, trainers=trainers)


@pytest.mark.parametrize("count", [2, 20])
def test_cohort_feed_query_count_does_not_grow_with_sessions(
    client, count, django_assert_max_num_queries
):
    cohort = CohortFactory(curriculum=full_curriculum(modules=2))
    _sessions_with_everything(count, cohort=cohort)

    # cohort (1), sessions (1) + their modules (1) + their trainers (1)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("cohorts:cohort_feed", kwargs={"slug": cohort.slug}))

    assert len(icalendar.Calendar.from_ical(response.content).events) == count


@pytest.mark.parametrize("count", [2, 20])
def test_personal_feed_query_count_does_not_grow_with_sessions(
    client, trainer, count, django_assert_max_num_queries
):
    member = MemberFactory(user=trainer)
    curriculum = full_curriculum(modules=2)
    for _ in range(2):
        cohort = CohortFactory(curriculum=curriculum)
        _sessions_with_everything(count // 2, cohort=cohort, trainer_member=member)
    url = personal_feed_url(trainer)

    # token with its user (1), sessions with their cohorts (1) + modules (1) + trainers (1)
    with django_assert_max_num_queries(4):
        response = client.get(url)

    assert len(icalendar.Calendar.from_ical(response.content).events) == count
