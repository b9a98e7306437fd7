"""Reachability checks behind /healthz: each returns None when fine, else what failed."""

from django.conf import settings
from django.db import DatabaseError, connection
from kombu import Connection

BROKER_TIMEOUT_SECONDS = 3


def database_problem() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return f"{type(error).__name__}: {error}".strip()
    return None


def broker_problem() -> str | None:
    broker = Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=BROKER_TIMEOUT_SECONDS,
        transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    )
    try:
        broker.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception as error:  # noqa: BLE001 - any failure means "broker unreachable"
        return f"{type(error).__name__}: {error}".strip()
    finally:
        broker.release()
    return None
