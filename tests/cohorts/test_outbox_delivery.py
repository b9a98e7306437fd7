"""The outbox end to end with real parts: a Celery worker on Redis, and an SMTP server on
loopback (aiosmtpd) that records every message it accepts.

Killing a worker with SIGKILL in the middle of a batch, five times over: every message
arrives, and the only one that can arrive twice is the one the killed worker was
sending at that instant (the server had accepted it, the worker died before recording
that). It arrives with the same Message-ID, so a mail client shows it once; nothing
else is ever sent twice."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.db import connection
from django.utils import timezone
from kombu import Exchange, Queue

from cohorts.channels import message_id_for
from cohorts.models import Notification
from cohorts.services.notifications import (
    notifications_claim_due,
    notifications_reclaim_stuck,
)
from cohorts.tasks import dispatch_notifications
from tests.cohorts.factories import CohortFactory, EnrollmentFactory, SessionFactory
from tests.test_celery import redis_broker_or_skip
from tot_platform.celery import app

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.real_worker, pytest.mark.django_db(transaction=True)]


class Mailbox:
    """aiosmtpd handler: what the server accepted, in order. Each RCPT takes a moment, as
    on a real network, so a kill usually lands while a message is on its way."""

    def __init__(self, rcpt_delay: float = 0.0):
        self.accepted: list[tuple[str, str]] = []
        self.rcpt_delay = rcpt_delay
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.rcpt_delay:
            time.sleep(self.rcpt_delay)  # blocks this server's loop only: one sender at a time
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        content = envelope.content.decode("utf8", errors="replace")
        message_id = next(
            line.split(":", 1)[1].strip()
            for line in content.splitlines()
            if line.lower().startswith("message-id:")
        )
        with self.lock:
            self.accepted.extend((message_id, rcpt) for rcpt in envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mailbox(settings):
    handler = Mailbox()
    handler.port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", handler.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield handler
    controller.stop()


def _due_messages(count: int) -> list[Notification]:
    cohort = CohortFactory(status="open")
    session = SessionFactory(cohort=cohort)
    seats = EnrollmentFactory.create_batch(
        count, cohort=cohort, status="confirmed", member__preferred_channel="email"
    )
    now = timezone.now()
    rows = []
    for seat in seats:
        seat.member.email = f"anggota{seat.member_id}@example.org"
        seat.member.save(update_fields=["email"])
        rows.append(
            Notification(
                member=seat.member,
                kind=Notification.Kind.SESSION_REMINDER,
                template="2h",
                context={"hours": 2},
                cohort=cohort,
                session=session,
                enrollment=seat,
                due_at=now,
                dedupe_key=f"reminder:session:{session.pk}:enrollment:{seat.pk}:2h",
            )
        )
    return Notification.objects.bulk_create(rows)


def _wait_until(condition, *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.1)


def test_five_hundred_due_reminders_reach_the_smtp_server_once_each(settings, mailbox):
    redis_broker_or_skip(settings.CELERY_BROKER_URL)
    messages = _due_messages(500)
    app.control.purge()

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        assert dispatch_notifications.delay().get(timeout=60) == 500
        _wait_until(
            lambda: not Notification.objects.exclude(status="sent").exists(),
            seconds=120,
            what="every reminder sent",
        )

    received = Counter(mailbox.accepted)
    expected = {
        (message_id_for(m.dedupe_key), f"anggota{m.member_id}@example.org") for m in messages
    }
    assert set(received) == expected
    assert set(received.values()) == {1}


# --- a worker killed in the middle of a batch ------------------------------------------------


def _test_database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(*, broker: str, queue: str, smtp_port: int) -> subprocess.Popen:
    environment = dict(os.environ)
    environment.update(
        {
            "DATABASE_URL": _test_database_url(),
            "CELERY_BROKER_URL": broker,
            "CELERY_RESULT_BACKEND": broker,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "NOTIFICATION_SENDING_TIMEOUT": "2",
        }
    )
    command = [sys.executable, "-m", "celery", "-A", "tot_platform", "worker", "-P", "solo"]
    command += ["-Q", queue, "-l", "WARNING", "--without-gossip", "--without-mingle"]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _hand_over(publisher: Celery, queue: str) -> None:
    """The dispatcher's work, aimed at this test's own queue: take back rows a dead
    worker left "sending", claim what is due, hand each id to a send task."""
    notifications_reclaim_stuck()
    for notification_id in notifications_claim_due():
        publisher.send_task("cohorts.send_notification", args=[notification_id], queue=queue)


@pytest.mark.parametrize("round_", range(5))
def test_a_worker_killed_mid_batch_loses_nothing_and_doubles_at_most_the_one_in_flight(
    settings, mailbox, round_, monkeypatch
):
    redis_broker_or_skip(settings.CELERY_BROKER_URL)
    # Celery reads CELERY_BROKER_URL from the environment before any broker it is given.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    settings.NOTIFICATION_SENDING_TIMEOUT = 2
    mailbox.rcpt_delay = 0.05
    broker = settings.CELERY_BROKER_URL.rsplit("/", 1)[0] + "/6"  # a Redis database of its own
    queue = f"outbox-kill-{uuid.uuid4().hex[:8]}"
    publisher = Celery(broker=broker)
    # Declared before anything is published: Redis drops a message sent to a queue that
    # no one has bound yet, and the worker takes a moment to start.
    with publisher.connection_for_write() as connection_:
        Queue(queue, Exchange(queue), routing_key=queue)(connection_.default_channel).declare()
    messages = _due_messages(30)
    first = _start_worker(broker=broker, queue=queue, smtp_port=mailbox.port)
    second = None
    try:
        _hand_over(publisher, queue)
        _wait_until(lambda: len(mailbox.accepted) >= 8, seconds=60, what="a batch under way")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        accepted_before_the_kill = len(mailbox.accepted)
        second = _start_worker(broker=broker, queue=queue, smtp_port=mailbox.port)

        def all_sent() -> bool:
            _hand_over(publisher, queue)
            return not Notification.objects.exclude(status="sent").exists()

        _wait_until(all_sent, seconds=90, what="every message sent after the kill")
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.terminate()
                worker.wait(20)
        publisher.connection_for_write().default_channel.client.flushdb()

    received = Counter(message_id for message_id, _rcpt in mailbox.accepted)
    assert set(received) == {message_id_for(m.dedupe_key) for m in messages}  # none lost
    doubled = [message_id for message_id, times in received.items() if times > 1]
    assert len(doubled) <= 1, doubled  # only the one the killed worker was sending
    assert max(received.values()) <= 2
    assert accepted_before_the_kill < len(messages)  # the kill did land mid-batch
