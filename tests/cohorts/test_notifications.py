"""The notification outbox: scheduling once, claiming without blocking, delivering once,
retrying transient failures from the outbox, skipping permanent ones, reclaiming rows a
dead worker left behind. WhatsApp and SMS go to a local HTTP server, e-mail to Django's
test outbox; nothing leaves the machine."""

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from cohorts.channels import channels_for, message_id_for
from cohorts.models import Notification
from cohorts.services.notifications import (
    notification_deliver,
    notification_resend,
    notification_schedule,
    notifications_cancel,
    notifications_claim_due,
    notifications_reclaim_stuck,
    retry_delay,
)
from tests.cohorts.factories import CohortFactory, EnrollmentFactory, SessionFactory

pytestmark = pytest.mark.django_db


class ProviderServer:
    """A WhatsApp/SMS provider on loopback that answers from a script of status codes."""

    def __init__(self, answers: list[tuple[int, dict]]):
        self.answers = list(answers)
        self.requests: list[dict] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                provider.requests.append(
                    {
                        "path": self.path,
                        "body": json.loads(self.rfile.read(length)),
                        "idempotency_key": self.headers["Idempotency-Key"],
                        "authorization": self.headers["Authorization"],
                    }
                )
                status, body = provider.answers.pop(0) if provider.answers else (200, {})
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def WHATSAPP_OK(n=1):  # noqa: N802 - reads as a constant in the answer scripts
    return (200, {"messages": [{"id": f"wamid.{n}"}]})


@pytest.fixture
def seat(db):
    cohort = CohortFactory(status="open")
    return EnrollmentFactory(
        cohort=cohort,
        status="confirmed",
        member__email="siti@example.org",
        member__preferred_channel="email",
    )


def _schedule(seat, *, key="registration:1:confirmed", due=None, template="confirmed"):
    return notification_schedule(
        member=seat.member,
        kind=Notification.Kind.REGISTRATION,
        template=template,
        due_at=due or timezone.now() - dt.timedelta(seconds=1),
        dedupe_key=key,
        cohort=seat.cohort,
        enrollment=seat,
    )


def _claim_and_deliver(notification, *, now=None):
    claimed = notifications_claim_due(now=now)
    assert notification.pk in claimed
    return notification_deliver(notification_id=notification.pk)


def test_the_same_message_is_scheduled_once(seat):
    first = _schedule(seat)
    second = _schedule(seat, due=timezone.now() + dt.timedelta(days=1))

    assert first.pk == second.pk
    assert Notification.objects.count() == 1


def test_claiming_takes_due_rows_only_and_marks_them_sending(seat):
    due = _schedule(seat, key="a")
    later = _schedule(seat, key="b", due=timezone.now() + dt.timedelta(hours=2))

    claimed = notifications_claim_due()

    assert claimed == [due.pk]
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, later.status) == ("sending", "scheduled")
    assert due.claimed_at is not None
    assert notifications_claim_due() == []


def test_e_mail_is_sent_once_with_a_message_id_from_the_dedupe_key(seat):
    notification = _schedule(seat)

    outcome = _claim_and_deliver(notification)
    again = notification_deliver(notification_id=notification.pk)

    assert (outcome.status, again.status) == ("sent", "not-claimed")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["siti@example.org"]
    assert mail.outbox[0].extra_headers["Message-ID"] == message_id_for(notification.dedupe_key)
    notification.refresh_from_db()
    assert notification.status == "sent"
    assert notification.attempts == 1
    assert notification.channel == "email"
    assert notification.sent_at is not None


def test_messages_are_written_in_the_members_language(seat):
    seat.member.preferred_language = "en"
    seat.member.save()
    _claim_and_deliver(_schedule(seat))

    assert mail.outbox[0].subject.startswith("Your seat is confirmed")
    assert "Your seat in" in mail.outbox[0].body


def test_whatsapp_500_twice_then_200_delivers_once_after_three_attempts(seat, settings):
    seat.member.preferred_channel = "whatsapp"
    seat.member.save()
    answers = [(500, {"error": "busy"}), (500, {"error": "busy"}), WHATSAPP_OK()]
    with ProviderServer(answers) as provider:
        settings.WHATSAPP_API_URL = provider.url
        settings.WHATSAPP_API_TOKEN = "secret-token"
        notification = _schedule(seat)

        first = _claim_and_deliver(notification)
        notification.refresh_from_db()
        assert (first.status, notification.status) == ("retry", "scheduled")
        assert notifications_claim_due() == []  # it waits for its backoff in the outbox
        second = _claim_and_deliver(notification, now=notification.due_at)
        notification.refresh_from_db()
        third = _claim_and_deliver(notification, now=notification.due_at)

    notification.refresh_from_db()
    assert (second.status, third.status) == ("retry", "sent")
    assert notification.attempts == 3
    assert notification.provider_message_id == "wamid.1"
    assert notification.channel == "whatsapp"
    assert len(provider.requests) == 3
    assert {request["idempotency_key"] for request in provider.requests} == {
        "registration:1:confirmed"
    }
    assert provider.requests[0]["authorization"] == "Bearer secret-token"
    body = provider.requests[0]["body"]
    assert body["to"] == str(seat.member.phone.as_e164).lstrip("+")
    assert body["template"]["name"] == "tot_registration_update"
    assert mail.outbox == []


def test_an_invalid_number_is_skipped_without_retry(seat, settings):
    seat.member.preferred_channel = "sms"
    seat.member.save()
    answers = [(400, {"error": "invalid number"})]
    with ProviderServer(answers) as provider:
        settings.SMS_API_URL = f"{provider.url}/sms"
        notification = _schedule(seat)
        outcome = _claim_and_deliver(notification)

    notification.refresh_from_db()
    assert outcome.status == "skipped"
    assert notification.status == "skipped"
    assert notification.attempts == 1
    assert "invalid number" in notification.last_error
    assert notification.skip_reason == Notification.SkipReason.REFUSED
    assert len(provider.requests) == 1
    assert notifications_claim_due(now=timezone.now() + dt.timedelta(days=1)) == []


def test_transient_failures_end_as_failed_with_the_error_kept(seat, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    seat.member.preferred_channel = "sms"
    seat.member.save()
    with ProviderServer([(503, {"error": "down"}), (503, {"error": "still down"})]) as provider:
        settings.SMS_API_URL = provider.url
        notification = _schedule(seat)
        _claim_and_deliver(notification)
        notification.refresh_from_db()
        outcome = _claim_and_deliver(notification, now=notification.due_at)

    notification.refresh_from_db()
    assert outcome.status == "failed"
    assert (notification.status, notification.attempts) == ("failed", 2)
    assert "still down" in notification.last_error


def test_retry_delays_grow_exponentially_up_to_an_hour(settings):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 60
    delays = [retry_delay(attempt).total_seconds() for attempt in (1, 2, 3, 4, 10)]

    assert delays == [60, 120, 240, 480, 3600]


def test_a_provider_that_does_not_answer_in_time_is_a_transient_failure(seat, settings):
    settings.NOTIFICATION_PROVIDER_TIMEOUT = 1
    seat.member.preferred_channel = "sms"
    seat.member.save()
    silent = __import__("socket").socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    settings.SMS_API_URL = f"http://127.0.0.1:{silent.getsockname()[1]}/"
    try:
        outcome = _claim_and_deliver(_schedule(seat))
    finally:
        silent.close()

    assert outcome.status == "retry"


def test_the_preferred_channel_falls_back_to_one_that_reaches_the_member(seat, settings):
    settings.WHATSAPP_API_URL = ""
    settings.SMS_API_URL = ""
    seat.member.preferred_channel = "whatsapp"

    assert [channel.name for channel in channels_for(seat.member)] == ["email"]

    seat.member.email = ""
    seat.member.save()
    outcome = _claim_and_deliver(_schedule(seat))
    assert outcome.status == "skipped"


def test_a_row_a_dead_worker_left_sending_is_claimed_again(seat, settings):
    notification = _schedule(seat)
    accepted = _schedule(seat, key="accepted")
    fresh = _schedule(seat, key="fresh")
    notifications_claim_due()
    long_ago = timezone.now() - dt.timedelta(seconds=settings.NOTIFICATION_SENDING_TIMEOUT + 1)
    Notification.objects.filter(pk__in=[notification.pk, accepted.pk]).update(claimed_at=long_ago)
    Notification.objects.filter(pk=accepted.pk).update(provider_message_id="wamid.9")

    assert notifications_reclaim_stuck() == 2

    notification.refresh_from_db()
    accepted.refresh_from_db()
    fresh.refresh_from_db()
    assert notification.status == "scheduled"
    assert accepted.status == "sent"  # the provider had it: not sent a second time
    assert fresh.status == "sending"  # a live worker may still be on it


def test_cancelling_leaves_what_already_went_out(seat):
    sent = _schedule(seat, key="sent")
    _claim_and_deliver(sent)
    waiting = _schedule(seat, key="waiting", due=timezone.now() + dt.timedelta(days=1))

    cancelled = notifications_cancel(notifications=Notification.objects.all())

    assert cancelled == 1
    sent.refresh_from_db()
    waiting.refresh_from_db()
    assert (sent.status, waiting.status) == ("sent", "cancelled")


def test_resend_puts_a_failed_message_back_in_the_queue(seat):
    notification = _schedule(seat)
    Notification.objects.filter(pk=notification.pk).update(status="failed", attempts=5)

    notification_resend(notification=notification)

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("scheduled", 0)
    assert _claim_and_deliver(notification).status == "sent"


def test_a_session_reminder_names_the_time_in_the_cohorts_zone(seat):
    seat.cohort.time_zone = "Asia/Makassar"
    seat.cohort.save()
    # 01:00 UTC is 09:00 WITA; two days ahead so the reminder is not out of date when due.
    day_after_tomorrow = timezone.now().date() + dt.timedelta(days=2)
    starts_at = dt.datetime.combine(day_after_tomorrow, dt.time(1), tzinfo=dt.UTC)
    session = SessionFactory(
        cohort=seat.cohort,
        title="Dialog sosial",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
    )
    notification = notification_schedule(
        member=seat.member,
        kind=Notification.Kind.SESSION_REMINDER,
        template="24h",
        due_at=timezone.now(),
        dedupe_key=f"reminder:session:{session.pk}:member:{seat.member.pk}:24h",
        cohort=seat.cohort,
        session=session,
        enrollment=seat,
    )

    assert _claim_and_deliver(notification).status == "sent"
    assert "09.00 WITA" in mail.outbox[0].subject or "09:00 WITA" in mail.outbox[0].subject
    assert "Dialog sosial" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_claim_disjoint_rows_without_waiting(seat):
    for number in range(40):
        _schedule(seat, key=f"row-{number}")
    held = threading.Event()
    release = threading.Event()

    def hold_first_ten():
        with transaction.atomic():
            rows = Notification.objects.order_by("id").select_for_update()[:10]
            list(rows)
            held.set()
            release.wait(10)
        connection.close()

    holder = threading.Thread(target=hold_first_ten)
    holder.start()
    held.wait(10)
    try:
        claimed = notifications_claim_due()
    finally:
        release.set()
        holder.join()
    claimed_later = notifications_claim_due()

    first_ten = list(Notification.objects.order_by("id").values_list("id", flat=True)[:10])
    assert len(claimed) == 30
    assert set(claimed).isdisjoint(first_ten)
    assert sorted(claimed_later) == first_ten


def test_a_provider_answer_we_cannot_read_is_a_counted_try_not_a_stuck_row(seat, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    seat.member.preferred_channel = "sms"
    seat.member.save()
    with ProviderServer([(200, ["not", "an", "object"]), (200, ["again"])]) as provider:
        settings.SMS_API_URL = provider.url
        notification = _schedule(seat)
        first = _claim_and_deliver(notification)
        notification.refresh_from_db()
        assert (first.status, notification.status, notification.attempts) == (
            "retry",
            "scheduled",
            1,
        )
        assert notification.last_error.startswith("AttributeError")
        second = _claim_and_deliver(notification, now=notification.due_at)

    notification.refresh_from_db()
    assert (second.status, notification.status, notification.attempts) == ("failed", "failed", 2)


def test_news_of_a_registration_that_moved_on_is_not_sent(seat):
    pending_news = _schedule(seat, key="pending", template="pending")  # seat is confirmed
    confirmed_news = _schedule(seat, key="confirmed", template="confirmed")
    notifications_claim_due()

    assert notification_deliver(notification_id=pending_news.pk).status == "skipped"
    assert notification_deliver(notification_id=confirmed_news.pk).status == "sent"
    pending_news.refresh_from_db()
    assert pending_news.skip_reason == Notification.SkipReason.OUTDATED
    assert len(mail.outbox) == 1


def test_send_again_of_a_reminder_for_a_session_gone_by_is_skipped(seat):
    session = SessionFactory(
        cohort=seat.cohort,
        starts_at=timezone.now() - dt.timedelta(hours=1),
        ends_at=timezone.now() + dt.timedelta(hours=1),
    )
    reminder = notification_schedule(
        member=seat.member,
        kind=Notification.Kind.SESSION_REMINDER,
        template="2h",
        due_at=timezone.now() - dt.timedelta(hours=3),
        dedupe_key="late-reminder",
        cohort=seat.cohort,
        session=session,
        enrollment=seat,
    )
    Notification.objects.filter(pk=reminder.pk).update(status="failed")
    notification_resend(notification=reminder)

    outcome = _claim_and_deliver(reminder)

    reminder.refresh_from_db()
    assert (outcome.status, reminder.skip_reason) == ("skipped", "session")
    assert mail.outbox == []


def test_a_member_no_channel_reaches_is_skipped_with_the_reason(seat, settings):
    seat.member.email = ""
    seat.member.phone = ""
    seat.member.save()

    outcome = _claim_and_deliver(_schedule(seat))

    assert outcome.status == "skipped"
    assert Notification.objects.get().skip_reason == Notification.SkipReason.UNREACHABLE
