"""The organizer's outbox page of a cohort: counts by status, what failed and why, the
message as the member reads it, and "send again"."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Cohort, Notification
from tests.cohorts.factories import CohortFactory, EnrollmentFactory, SessionFactory
from tests.members.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(organization):
    return CohortFactory(organizers=[organization], status=Cohort.Status.OPEN)


def _message(cohort, *, status="sent", name="Siti Nurhaliza", **fields):
    seat = EnrollmentFactory(
        cohort=cohort,
        member__full_name=name,
        member__email=f"{name.split()[0].lower()}@example.org",
        member__preferred_channel="email",
    )
    fields.setdefault("sent_at", timezone.now() if status == "sent" else None)
    return Notification.objects.create(
        member=seat.member,
        kind=Notification.Kind.REGISTRATION,
        template="confirmed",
        cohort=cohort,
        enrollment=seat,
        due_at=timezone.now() - dt.timedelta(minutes=5),
        status=status,
        dedupe_key=f"test:{seat.pk}",
        **fields,
    )


def test_counts_each_status_and_shows_why_one_failed(client, organizer, cohort):
    _message(cohort, name="Siti Nurhaliza")
    _message(cohort, name="Andi Saputra")
    failed = _message(
        cohort,
        status="failed",
        name="Yohanes Wenda",
        attempts=5,
        last_error="HTTP 503: gateway down",
    )
    client.force_login(organizer)

    response = client.get(f"/en{reverse('cohorts:messages', args=[cohort.slug])}")

    page = response.content.decode()
    counts = {status: count for status, count in response.context["counts"].items() if count}
    assert counts == {"sent": 2, "failed": 1}
    assert "HTTP 503: gateway down" in page
    assert "5 attempts" in page
    assert reverse("cohorts:message_resend", args=[cohort.slug, failed.pk]) in page

    only_failed = client.get(reverse("cohorts:messages", args=[cohort.slug]), {"status": "failed"})
    assert [n.pk for n in only_failed.context["page"].object_list] == [failed.pk]


def test_the_preview_shows_the_message_in_the_members_language(client, organizer, cohort):
    notification = _message(cohort)
    notification.member.preferred_language = "en"
    notification.member.save()
    client.force_login(organizer)

    response = client.get(reverse("cohorts:message", args=[cohort.slug, notification.pk]))

    assert response.context["message"].subject == f"Your seat is confirmed: {cohort.title}"
    assert "Your seat in" in response.content.decode()


def test_send_again_queues_a_failed_message_and_it_goes_out(
    client, organizer, cohort, django_capture_on_commit_callbacks
):
    failed = _message(cohort, status="failed", attempts=5, last_error="timed out")
    client.force_login(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("cohorts:message_resend", args=[cohort.slug, failed.pk]), follow=True
        )

    failed.refresh_from_db()
    assert response.status_code == 200
    assert (failed.status, failed.attempts, failed.last_error) == ("sent", 1, "")
    assert [message.to for message in mail.outbox] == [[failed.member.email]]


def test_a_sent_message_is_not_sent_again(client, organizer, cohort):
    sent = _message(cohort)
    client.force_login(organizer)

    response = client.post(
        f"/en{reverse('cohorts:message_resend', args=[cohort.slug, sent.pk])}", follow=True
    )

    sent.refresh_from_db()
    assert sent.status == "sent"
    assert "Only a failed or skipped message can be sent again." in response.content.decode()


def test_another_organizations_message_is_not_found(client, organizer, cohort):
    other = _message(CohortFactory(organizers=[OrganizationFactory()]))
    client.force_login(organizer)

    response = client.post(reverse("cohorts:message_resend", args=[cohort.slug, other.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("count", [5, 120])
def test_the_page_takes_the_same_queries_whatever_the_number(
    client, organizer, cohort, count, django_assert_max_num_queries
):
    session = SessionFactory(cohort=cohort)
    for number in range(count):
        notification = _message(cohort, name=f"Anggota {number}")
        notification.session = session
        notification.kind = Notification.Kind.SESSION_REMINDER
        notification.save()
    client.force_login(organizer)

    # session, user, roles, cohort, counts, page count, the page's rows (+ member, session)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cohorts:messages", args=[cohort.slug]))

    assert response.status_code == 200


def test_the_preview_does_not_hand_the_members_settings_link_to_organizers(
    client, organizer, cohort
):
    notification = _message(cohort)
    client.force_login(organizer)

    response = client.get(reverse("cohorts:message", args=[cohort.slug, notification.pk]))

    assert "/messages/" not in response.context["message"].body
    assert "/messages/" not in response.content.decode().replace(
        reverse("cohorts:messages", args=[cohort.slug]), ""
    )


@pytest.mark.parametrize("kind", ["registration", "escalation"])
def test_the_preview_takes_a_fixed_number_of_queries(
    client, organizer, cohort, kind, django_assert_max_num_queries
):
    notification = _message(cohort)
    if kind == "escalation":
        Notification.objects.filter(pk=notification.pk).update(
            kind=Notification.Kind.ESCALATION, template="escalate", recipient_user=organizer
        )
    client.force_login(organizer)

    # session, user, roles, cohort (+ organizers, lead trainers), the message with its
    # member, recipient, session and registration, and what the text looks up
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cohorts:message", args=[cohort.slug, notification.pk]))

    assert response.status_code == 200
