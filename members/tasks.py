from datetime import timedelta

from celery import shared_task
from django.conf import settings

from members.models import MemberImport
from members.services.imports import (
    member_import_apply,
    member_import_validate,
    member_imports_discard_stale,
)
from members.services.sessions import session_clear_expired


@shared_task(name="members.clear_expired_sessions")
def clear_expired_sessions() -> int:
    return session_clear_expired()


# A 100,000-row file takes well under a minute per step; the limits leave room for the
# largest upload the form accepts.
IMPORT_SOFT_TIME_LIMIT = 20 * 60
IMPORT_TIME_LIMIT = IMPORT_SOFT_TIME_LIMIT + 60


@shared_task(
    name="members.validate_import",
    soft_time_limit=IMPORT_SOFT_TIME_LIMIT,
    time_limit=IMPORT_TIME_LIMIT,
)
def validate_import(member_import_id: int) -> str | None:
    """Check the rows of a large import; a second run of a finished check does nothing."""
    member_import = MemberImport.objects.filter(pk=member_import_id).first()
    if member_import is None:
        return None
    return member_import_validate(member_import=member_import).status


@shared_task(
    name="members.apply_import",
    soft_time_limit=IMPORT_SOFT_TIME_LIMIT,
    time_limit=IMPORT_TIME_LIMIT,
)
def apply_import(member_import_id: int, only_valid_rows: bool) -> str | None:
    """Add the valid rows of a large import (or discard it); never twice."""
    member_import = MemberImport.objects.filter(pk=member_import_id).first()
    if member_import is None:
        return None
    return member_import_apply(member_import=member_import, only_valid_rows=only_valid_rows).status


@shared_task(name="members.discard_stale_imports")
def discard_stale_imports() -> int:
    return member_imports_discard_stale(older_than=timedelta(days=settings.MEMBER_IMPORT_KEEP_DAYS))
