from celery import shared_task

from members.services.sessions import session_clear_expired


@shared_task(name="members.clear_expired_sessions")
def clear_expired_sessions() -> int:
    return session_clear_expired()
