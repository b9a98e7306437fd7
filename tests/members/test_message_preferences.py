"""The link at the foot of every message: a member changes how they are reached, or
stops reminders, without logging in; a forged link opens nothing."""

import datetime as dt
import re

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Notification
from cohorts.services.notifications import (
    notification_deliver,
    notification_schedule,
    notifications_claim_due,
)
from members.message_links import member_from_preferences_token, preferences_token
from tests.cohorts.factories import EnrollmentFactory, SessionFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return MemberFactory(email="siti@example.org", preferred_channel="whatsapp")


def _url(member) -> str:
    return reverse("members:message_preferences", kwargs={"token": preferences_token(member)})


def test_the_link_opens_the_members_settings_without_logging_in(client, member):
    response = client.get(f"/en{_url(member)}")

    assert response.status_code == 200
    page = response.content.decode()
    assert member.full_name in page
    assert 'name="robots" content="noindex"' in page


@pytest.mark.parametrize("change", ["altered", "other-salt", "garbage"])
def test_a_forged_link_opens_nothing(client, member, change):
    token = preferences_token(member)
    forged = {
        "altered": token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        "other-salt": signing.dumps(member.pk),
        "garbage": "not-a-token",
    }[change]

    response = client.get(reverse("members:message_preferences", kwargs={"token": forged}))

    assert response.status_code == 404
    assert member_from_preferences_token(forged) is None


def test_saving_changes_channel_language_and_stops_reminders(client, member):
    response = client.post(
        _url(member),
        {"channel": "email", "language": "en", "stop_reminders": "on"},
        follow=True,
    )

    member.refresh_from_db()
    assert response.status_code == 200
    assert (member.preferred_channel, member.preferred_language) == ("email", "en")
    assert member.reminders_stopped_at is not None

    client.post(_url(member), {"channel": "email", "language": "id"})
    member.refresh_from_db()
    assert member.reminders_stopped_at is None


def test_a_channel_that_cannot_reach_the_member_is_refused_and_nothing_changes(client):
    member = MemberFactory(email="", preferred_channel="whatsapp")

    response = client.post(f"/en{_url(member)}", {"channel": "email", "language": "en"})

    assert response.status_code == 200
    assert "We have no e-mail address for you" in response.content.decode()
    member.refresh_from_db()
    assert (member.preferred_channel, member.preferred_language) == ("whatsapp", "id")


def _schedule(seat, kind, key, **fields):
    return notification_schedule(
        member=seat.member,
        kind=kind,
        template=fields.pop("template", "confirmed"),
        due_at=timezone.now() - dt.timedelta(seconds=1),
        dedupe_key=key,
        cohort=seat.cohort,
        enrollment=seat,
        **fields,
    )


def test_reminders_stop_but_registration_news_still_comes(member):
    member.preferred_channel = "email"
    member.reminders_stopped_at = timezone.now()
    member.save()
    seat = EnrollmentFactory(member=member)
    session = SessionFactory(cohort=seat.cohort)
    reminder = _schedule(
        seat, Notification.Kind.SESSION_REMINDER, "r", template="24h", session=session
    )
    news = _schedule(seat, Notification.Kind.REGISTRATION, "n")
    notifications_claim_due()

    assert notification_deliver(notification_id=reminder.pk).status == "skipped"
    assert notification_deliver(notification_id=news.pk).status == "sent"
    reminder.refresh_from_db()
    assert reminder.skip_reason == Notification.SkipReason.STOPPED
    assert len(mail.outbox) == 1


def test_every_message_carries_the_members_own_settings_link(client, member):
    member.preferred_channel = "email"
    member.save()
    seat = EnrollmentFactory(member=member)
    notification = _schedule(seat, Notification.Kind.REGISTRATION, "n")
    notifications_claim_due()
    notification_deliver(notification_id=notification.pk)

    link = re.search(r"https?://[^/\s]+(/messages/\S+/)", mail.outbox[0].body).group(1)
    assert client.get(link).context["member"] == member


def test_the_settings_page_takes_a_fixed_number_of_queries(
    client, member, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):  # the member; the session is not touched
        response = client.get(_url(member))

    assert response.status_code == 200
