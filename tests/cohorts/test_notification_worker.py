"""The outbox with a real Celery worker on real Redis, and the Celery settings it needs."""

import base64
import json
import time

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.utils import timezone
from kombu import Exchange, Queue

from cohorts.models import Notification
from cohorts.services.enrollments import enrollment_register
from cohorts.services.notifications import notification_schedule
from cohorts.tasks import SEND_TIME_LIMIT, dispatch_notifications, send_notification
from members.tasks import IMPORT_TIME_LIMIT
from tests.cohorts.factories import CohortFactory, EnrollmentFactory
from tests.members.factories import MemberFactory
from tests.test_celery import redis_broker_or_skip
from tot_platform.celery import app


def test_the_dispatcher_runs_every_minute_from_the_beat_schedule_in_code():
    entry = settings.CELERY_BEAT_SCHEDULE["dispatch-notifications"]

    assert entry["task"] == dispatch_notifications.name
    assert entry["schedule"] == 60


def test_only_the_idempotent_send_task_is_redelivered_when_its_worker_dies():
    assert send_notification.acks_late is True
    assert send_notification.reject_on_worker_lost is True
    # A lost dispatcher run is replaced by the next minute's; redelivering it could
    # only duplicate work.
    assert dispatch_notifications.acks_late is False


def test_redis_waits_longer_than_any_task_before_handing_it_to_another_worker():
    visibility_timeout = app.conf.broker_transport_options["visibility_timeout"]

    assert visibility_timeout > max(IMPORT_TIME_LIMIT, SEND_TIME_LIMIT)
    # and a send still "sending" after the worker died is taken back only after its
    # hard time limit has surely passed
    assert settings.NOTIFICATION_SENDING_TIMEOUT > SEND_TIME_LIMIT
    assert send_notification.soft_time_limit < send_notification.time_limit
    assert send_notification.soft_time_limit > settings.NOTIFICATION_PROVIDER_TIMEOUT


def test_send_tasks_carry_only_an_id():
    message = send_notification.s(42)

    assert message.args == (42,)
    assert message.kwargs == {}


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True)
def test_two_hundred_due_messages_arrive_once_each_through_a_real_worker(settings):
    redis_broker_or_skip(settings.CELERY_BROKER_URL)
    cohort = CohortFactory(status="open")
    seats = EnrollmentFactory.create_batch(
        200, cohort=cohort, status="confirmed", member__preferred_channel="email"
    )
    for seat in seats:
        seat.member.email = f"member{seat.member.pk}@example.org"
        seat.member.save(update_fields=["email"])
        notification_schedule(
            member=seat.member,
            kind=Notification.Kind.REGISTRATION,
            template="confirmed",
            due_at=timezone.now(),
            dedupe_key=f"registration:{seat.pk}:confirmed",
            cohort=cohort,
            enrollment=seat,
        )
    app.control.purge()

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        assert dispatch_notifications.delay().get(timeout=30) == 200
        deadline = time.monotonic() + 60
        while Notification.objects.exclude(status="sent").exists():
            assert time.monotonic() < deadline, "not every message was sent in time"
            time.sleep(0.2)

    recipients = sorted(message.to[0] for message in mail.outbox)
    assert len(recipients) == 200
    assert len(set(recipients)) == 200
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True)
def test_what_goes_through_the_broker_is_an_id_and_nothing_personal(settings):
    redis_broker_or_skip(settings.CELERY_BROKER_URL)
    seat = EnrollmentFactory(
        member__full_name="Siti Nurhaliza",
        member__email="siti@example.org",
        member__nik="1671044509870001",
    )
    notification = notification_schedule(
        member=seat.member,
        kind=Notification.Kind.REGISTRATION,
        template="confirmed",
        due_at=timezone.now(),
        dedupe_key=f"registration:{seat.pk}:confirmed",
        cohort=seat.cohort,
        enrollment=seat,
    )
    queue = f"payload-{notification.pk}"
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    with app.connection_for_write() as connection:
        Queue(queue, Exchange(queue), routing_key=queue)(connection.default_channel).declare()
    try:
        send_notification.apply_async((notification.pk,), queue=queue)
        [raw] = client.lrange(queue, 0, -1)
    finally:
        client.delete(queue)

    envelope = json.loads(raw)
    args, kwargs, _embed = json.loads(base64.b64decode(envelope["body"]))
    assert (args, kwargs) == ([notification.pk], {})
    everything = raw.decode() + base64.b64decode(envelope["body"]).decode()
    member = seat.member
    for personal in (member.full_name, member.email, member.nik, str(member.phone.as_e164)):
        assert personal not in everything


@pytest.mark.django_db
def test_nothing_is_handed_to_celery_before_the_change_commits(
    django_capture_on_commit_callbacks, monkeypatch
):
    published = []
    monkeypatch.setattr(dispatch_notifications, "delay", lambda: published.append("dispatch"))
    cohort = CohortFactory(status="open")
    member = MemberFactory(consent_given_at=timezone.now(), consent_text_version="1")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enrollment_register(cohort=cohort, member=member)
        assert Notification.objects.count() == 1  # written with the registration
        assert published == []  # but not handed over while it could still roll back

    for callback in callbacks:
        callback()
    assert published == ["dispatch"]
