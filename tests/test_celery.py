import os
import socket
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from celery.contrib.testing.worker import start_worker
from django.contrib.sessions.models import Session
from django.utils import timezone

from members.tasks import clear_expired_sessions
from tot_platform.celery import app


def redis_broker_or_skip(broker_url: str) -> None:
    """Skip where no Redis answers, except in CI, where that is a failure."""
    parsed = urlparse(broker_url)
    reachable = False
    if parsed.scheme == "redis":
        try:
            with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=2):
                reachable = True
        except OSError:
            reachable = False
    if reachable:
        return
    reason = f"Celery round-trip needs a Redis broker; CELERY_BROKER_URL is {broker_url!r}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def test_tasks_are_acknowledged_late_and_redelivered_when_a_worker_dies():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1


def test_tasks_speak_json_only_and_have_time_limits():
    assert app.conf.task_serializer == "json"
    assert app.conf.result_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert 0 < app.conf.task_soft_time_limit < app.conf.task_time_limit


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()

    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True)
def test_task_round_trip_through_a_real_worker_on_redis(settings):
    redis_broker_or_skip(settings.CELERY_BROKER_URL)
    expired = Session.objects.create(
        session_key="expired-session",
        session_data="",
        expire_date=timezone.now() - timedelta(days=1),
    )
    current = Session.objects.create(
        session_key="current-session",
        session_data="",
        expire_date=timezone.now() + timedelta(days=1),
    )
    app.control.purge()

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        result = clear_expired_sessions.delay()
        deleted = result.get(timeout=30)

    assert deleted == 1
    assert not Session.objects.filter(pk=expired.pk).exists()
    assert Session.objects.filter(pk=current.pk).exists()
