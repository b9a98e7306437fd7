"""A session that moves or is cancelled is news for its confirmed participants: one
message each, only the latest when it moves twice before the first went out."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from cohorts.models import Cohort, Enrollment, Notification
from cohorts.services.notifications import notification_deliver, notifications_claim_due
from cohorts.services.sessions import session_cancel, session_update
from tests.cohorts.factories import CohortFactory, EnrollmentFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    cohort = CohortFactory(
        status=Cohort.Status.OPEN,
        time_zone="Asia/Makassar",
        starts_on=timezone.localdate() + dt.timedelta(days=10),
    )
    return SessionFactory(cohort=cohort, title="Dialog sosial")


def _seat(session, status, name):
    return EnrollmentFactory(
        cohort=session.cohort,
        status=status,
        member__full_name=name,
        member__email=f"{name.split()[0].lower()}@example.org",
        member__preferred_channel="email",
        member__preferred_language="en",
    )


def _move(session, hours):
    starts = session.starts_at + dt.timedelta(hours=hours)
    return session_update(
        session=session,
        title=session.title,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        room=session.room,
    )


def _send_due() -> dict[str, str]:
    return {
        Notification.objects.get(pk=pk).dedupe_key: notification_deliver(notification_id=pk).status
        for pk in notifications_claim_due()
    }


def test_confirmed_participants_hear_that_a_session_moved(session):
    siti = _seat(session, Enrollment.Status.CONFIRMED, "Siti Nurhaliza")
    _seat(session, Enrollment.Status.WAITLISTED, "Andi Saputra")

    moved = _move(session, 2)
    _send_due()

    news = Notification.objects.get(kind=Notification.Kind.COHORT_CHANGED)
    assert (news.enrollment_id, news.template) == (siti.pk, "session_moved")
    [message] = mail.outbox
    assert message.to == ["siti@example.org"]
    assert message.subject.startswith("Moved: Dialog sosial, now")
    assert "11:00 WITA" in message.subject or "11.00 WITA" in message.subject
    assert moved.sequence == 1


def test_two_moves_before_the_first_news_went_out_send_only_the_latest(session):
    _seat(session, Enrollment.Status.CONFIRMED, "Siti Nurhaliza")

    session = _move(session, 2)
    _move(session, 1)
    outcomes = _send_due()

    assert sorted(outcomes.values()) == ["sent", "skipped"]
    assert len(mail.outbox) == 1
    assert "12:00 WITA" in mail.outbox[0].subject or "12.00 WITA" in mail.outbox[0].subject


def test_a_cancelled_session_is_news_too(session):
    _seat(session, Enrollment.Status.CONFIRMED, "Siti Nurhaliza")

    session_cancel(session=session)
    _send_due()

    assert mail.outbox[0].subject.startswith("Cancelled: Dialog sosial")
    assert "Your registration for the training stays." in mail.outbox[0].body


def test_a_title_change_or_a_draft_cohort_is_no_news(session):
    _seat(session, Enrollment.Status.CONFIRMED, "Siti Nurhaliza")
    session_update(
        session=session,
        title="Dialog sosial bipartit",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        room=session.room,
    )
    draft = SessionFactory(cohort=CohortFactory(status=Cohort.Status.DRAFT))
    _seat(draft, Enrollment.Status.CONFIRMED, "Andi Saputra")
    _move(draft, 1)

    assert not Notification.objects.filter(kind=Notification.Kind.COHORT_CHANGED).exists()
