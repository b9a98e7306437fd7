"""Member imports: upload a CSV or XLSX file, map its columns, check every row, then add
the valid rows in one transaction, or nothing at all.

uploaded › validating › validated › importing › imported, or discarded / failed. Every step
is guarded by the status, read under a row lock, so a task that runs twice (``acks_late``)
or a button pressed twice does the work once. Files above
``MEMBER_IMPORT_INLINE_MAX_ROWS`` rows are checked and applied by Celery tasks.
"""

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from itertools import islice
from typing import Any, TypeVar
from uuid import uuid4

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError as KombuOperationalError

from members.models import Member, MemberImport, Organization
from members.permissions import organizations_managed_by
from members.services.imports.files import (
    READ_ERRORS,
    check_upload,
    extension_of,
    inspect_upload,
    table_rows,
)
from members.services.imports.mapping import checked_mapping, guess_mapping
from members.services.imports.rows import (
    CheckedRow,
    SeenKeys,
    check_row,
    lookups_for,
    mark_existing,
)

logger = logging.getLogger(__name__)

Status = MemberImport.Status
CHUNK_SIZE = 500
MAX_REPORTED_ROWS = 1000
PREVIEW_ROWS = 5
MAPPABLE = (Status.UPLOADED, Status.VALIDATED, Status.FAILED)
FINAL = (Status.IMPORTED, Status.DISCARDED)

# Progress of an apply, written through a second connection (see _progress_outside).
_PROGRESS_SQL = (
    "UPDATE members_memberimport SET processed_rows = %s WHERE id = "
    "(SELECT id FROM members_memberimport WHERE id = %s FOR UPDATE SKIP LOCKED)"
)

T = TypeVar("T")


# --- Upload and mapping ----------------------------------------------------------------


def member_import_create(
    *, file: File, default_organization: Organization, uploaded_by: AbstractBaseUser
) -> MemberImport:
    """Store an uploaded member list with its header, row count and a guessed mapping.

    A file that is not a readable .csv/.xlsx within the size limit raises ValidationError
    and nothing is stored.
    """
    if not organizations_managed_by(uploaded_by).filter(pk=default_organization.pk).exists():
        raise PermissionDenied
    check_upload(file)
    extension = extension_of(file.name)
    headers, total_rows = inspect_upload(file, extension)
    member_import = MemberImport(
        original_name=file.name[-255:],
        default_organization=default_organization,
        uploaded_by=uploaded_by,
        headers=headers,
        mapping=guess_mapping(headers),
        total_rows=total_rows,
    )
    member_import.file.save(f"{uuid4().hex}{extension}", file, save=False)
    member_import.save()
    return member_import


def member_import_set_mapping(
    *, member_import: MemberImport, mapping: dict[str, str]
) -> MemberImport:
    """{column index: field or ""}; full name and phone must be mapped, no field twice.

    A new mapping throws away an earlier check of the rows.
    """
    chosen = checked_mapping(member_import.headers, mapping)
    with transaction.atomic():
        locked = MemberImport.objects.select_for_update().get(pk=member_import.pk)
        if locked.status not in MAPPABLE:
            raise ValidationError(_("This import can no longer be changed."), code="status")
        locked.mapping = chosen
        _reset(locked, Status.UPLOADED)
        locked.save(update_fields=[*_RESET_FIELDS, "mapping"])
    return locked


def member_import_preview(
    *, member_import: MemberImport, rows: int = PREVIEW_ROWS
) -> list[list[str]]:
    """The first rows of the file, padded to the header's width, to check the mapping by."""
    width = len(member_import.headers)
    with (
        member_import.file.open("rb") as binary,
        closing(table_rows(binary, extension_of(member_import.file.name))) as table,
    ):
        return [(cells + [""] * width)[:width] for _number, cells in islice(table, 1, rows + 1)]


# --- Status guards ---------------------------------------------------------------------

_RESET_FIELDS = ["status", "processed_rows", "invalid_rows", "row_errors", "failure"]


def _reset(member_import: MemberImport, status: str) -> None:
    member_import.status = status
    member_import.processed_rows = 0
    member_import.invalid_rows = 0
    member_import.row_errors = []
    member_import.failure = ""


def _claim(member_import: MemberImport, *, allowed: Iterable[str], status: str) -> bool:
    """Move to ``status`` if the import is in one of ``allowed``; False if it is not."""
    with transaction.atomic():
        locked = MemberImport.objects.select_for_update().get(pk=member_import.pk)
        if locked.status not in allowed:
            return False
        if locked.status != status:
            locked.status = status
            locked.processed_rows = 0
            locked.save(update_fields=["status", "processed_rows"])
    return True


def _reloaded(member_import: MemberImport) -> MemberImport:
    member_import.refresh_from_db()
    return member_import


def _fail(member_import: MemberImport, error: BaseException) -> MemberImport:
    logger.warning("Member import %s failed", member_import.pk, exc_info=error)
    MemberImport.objects.filter(pk=member_import.pk).exclude(status__in=FINAL).update(
        status=Status.FAILED,
        failure=f"{type(error).__name__}: {error}"[:2000],
        finished_at=timezone.now(),
    )
    return _reloaded(member_import)


def _forget_file_on_commit(member_import: MemberImport) -> None:
    """Once imported or discarded, the uploaded file (NIKs, phones) is not kept."""
    if member_import.file.name:
        transaction.on_commit(partial(member_import.file.storage.delete, member_import.file.name))


def _runs_inline(member_import: MemberImport) -> bool:
    return member_import.total_rows <= settings.MEMBER_IMPORT_INLINE_MAX_ROWS


def _enqueue(task_name: str, pk: int, **kwargs: Any) -> None:
    """Hand a large import to Celery; with the broker down it fails (and may be checked
    again) instead of hanging in validating/importing with no task behind it."""
    from members import tasks  # tasks import this module

    try:
        getattr(tasks, task_name).delay(pk, **kwargs)
    except KombuOperationalError as error:
        logger.exception("member import %s: could not reach the broker", pk)
        MemberImport.objects.filter(pk=pk).update(
            status=Status.FAILED, failure=f"broker: {error}", finished_at=timezone.now()
        )


def _enqueue_validation(pk: int) -> None:
    _enqueue("validate_import", pk)


def _enqueue_apply(pk: int) -> None:
    _enqueue("apply_import", pk, only_valid_rows=True)


# --- Reading the rows ------------------------------------------------------------------


def _batched(items: Iterator[T], size: int) -> Iterator[list[T]]:
    while chunk := list(islice(items, size)):
        yield chunk


def _checked_chunks(member_import: MemberImport) -> Iterator[list[CheckedRow]]:
    """Every data row of the file, checked, CHUNK_SIZE rows at a time."""
    lookups = lookups_for(member_import)
    columns = {name: int(index) for index, name in member_import.mapping.items()}
    seen = SeenKeys()
    with (
        member_import.file.open("rb") as binary,
        closing(table_rows(binary, extension_of(member_import.file.name))) as rows,
    ):
        next(rows, None)  # the header
        for chunk in _batched(rows, CHUNK_SIZE):
            checked = [check_row(number, cells, columns, lookups) for number, cells in chunk]
            mark_existing(seen.first_occurrences(checked), lookups)
            yield checked


@dataclass
class _Report:
    processed: int = 0
    invalid: int = 0
    rows: list[dict[str, Any]] = field(default_factory=list)

    def add(self, chunk: list[CheckedRow]) -> None:
        self.processed += len(chunk)
        for row in chunk:
            if row.errors:
                self.invalid += 1
                if len(self.rows) < MAX_REPORTED_ROWS:
                    self.rows.append(row.report())

    def differs_from(self, member_import: MemberImport) -> bool:
        recorded = [entry["row"] for entry in member_import.row_errors]
        return self.invalid != member_import.invalid_rows or recorded != [
            entry["row"] for entry in self.rows
        ]


# --- Validate --------------------------------------------------------------------------


def member_import_start_validation(*, member_import: MemberImport) -> MemberImport:
    """Check the rows now, or in a Celery task (after commit) when the file is large."""
    with transaction.atomic():
        locked = MemberImport.objects.select_for_update().get(pk=member_import.pk)
        if locked.status not in MAPPABLE:
            return locked
        _reset(locked, Status.VALIDATING)
        locked.save(update_fields=_RESET_FIELDS)
        inline = _runs_inline(locked)
        if not inline:
            transaction.on_commit(partial(_enqueue_validation, locked.pk))
    return member_import_validate(member_import=locked) if inline else locked


def member_import_validate(*, member_import: MemberImport) -> MemberImport:
    """Check every row and record the bad ones with their reasons; adds no member."""
    if not _claim(
        member_import, allowed=(Status.UPLOADED, Status.VALIDATING), status=Status.VALIDATING
    ):
        return _reloaded(member_import)
    report = _Report()
    try:
        for chunk in _checked_chunks(member_import):
            report.add(chunk)
            MemberImport.objects.filter(pk=member_import.pk).update(processed_rows=report.processed)
    except (*READ_ERRORS, DatabaseError) as error:
        return _fail(member_import, error)
    except Exception as error:
        _fail(member_import, error)
        raise
    MemberImport.objects.filter(pk=member_import.pk, status=Status.VALIDATING).update(
        status=Status.VALIDATED,
        total_rows=report.processed,
        processed_rows=report.processed,
        invalid_rows=report.invalid,
        row_errors=report.rows,
        failure="",
    )
    return _reloaded(member_import)


# --- Apply -----------------------------------------------------------------------------


class _ReportChanged(Exception):  # noqa: N818 - control flow out of the transaction
    def __init__(self, report: _Report) -> None:
        super().__init__("the rows no longer check out as they did")
        self.report = report


@contextmanager
def _progress_outside() -> Iterator[Callable[[int, int], None]]:
    """Apply runs in one transaction, so its progress goes through a second connection that
    the page can see before the commit; rows locked by someone else are skipped, never
    waited for. Without Postgres the bar simply waits for the end."""
    if connection.vendor != "postgresql":
        yield lambda pk, processed: None
        return
    side = connections.create_connection(DEFAULT_DB_ALIAS)

    def record(pk: int, processed: int) -> None:
        try:
            with side.cursor() as cursor:
                cursor.execute(_PROGRESS_SQL, [processed, pk])
        except DatabaseError:
            logger.warning("Could not record the progress of member import %s", pk)

    try:
        yield record
    finally:
        side.close()


def _member(row: CheckedRow, user_id: int) -> Member:
    return Member(**row.values, created_by_id=user_id, updated_by_id=user_id)


def _add_valid_rows(member_import: MemberImport) -> None:
    """Inside one transaction: check every row again against the database as it is now,
    add the valid ones, and give up (roll back) if the verdict differs from the report the
    user chose on.

    The import row is not locked here, so the progress can be written beside the
    transaction. A second run at the same time (a redelivered task, a double click) blocks
    on the unique phone index until this one commits, then fails and rolls back; _fail
    leaves an imported import as it is.
    """
    current = MemberImport.objects.get(pk=member_import.pk)
    if current.status != Status.IMPORTING:
        return  # another run finished it
    report, added = _Report(), 0
    with _progress_outside() as record_progress:
        for chunk in _checked_chunks(current):
            report.add(chunk)
            members = [_member(row, current.uploaded_by_id) for row in chunk if not row.errors]
            Member.objects.bulk_create(members)
            added += len(members)
            record_progress(current.pk, report.processed)
    if report.differs_from(current):
        raise _ReportChanged(report)
    MemberImport.objects.filter(pk=current.pk).update(
        status=Status.IMPORTED,
        processed_rows=report.processed,
        imported_rows=added,
        finished_at=timezone.now(),
        file="",
    )
    _forget_file_on_commit(current)


def _record_changed_report(member_import: MemberImport, report: _Report) -> MemberImport:
    MemberImport.objects.filter(pk=member_import.pk, status=Status.IMPORTING).update(
        status=Status.VALIDATED,
        total_rows=report.processed,
        processed_rows=report.processed,
        invalid_rows=report.invalid,
        row_errors=report.rows,
    )
    return _reloaded(member_import)


def _discard(member_import: MemberImport) -> MemberImport:
    with transaction.atomic():
        locked = MemberImport.objects.select_for_update().get(pk=member_import.pk)
        if locked.status in MAPPABLE:
            _forget_file_on_commit(locked)
            locked.status = Status.DISCARDED
            locked.finished_at = timezone.now()
            locked.file = ""
            locked.save(update_fields=["status", "finished_at", "file"])
    return locked


def member_import_apply(*, member_import: MemberImport, only_valid_rows: bool) -> MemberImport:
    """The user's choice: add exactly the valid rows, or nothing (discard the import).

    Never half-applied: all rows go in one transaction, checked again against the
    database inside it. If the rows no longer check out as the report said, nothing is
    added and the import returns to ``validated`` with the new report.
    """
    if not only_valid_rows:
        return _discard(member_import)
    if not _claim(
        member_import, allowed=(Status.VALIDATED, Status.IMPORTING), status=Status.IMPORTING
    ):
        return _reloaded(member_import)
    try:
        with transaction.atomic():
            _add_valid_rows(member_import)
    except _ReportChanged as changed:
        return _record_changed_report(member_import, changed.report)
    except (*READ_ERRORS, DatabaseError) as error:
        return _fail(member_import, error)
    except Exception as error:
        _fail(member_import, error)
        raise
    return _reloaded(member_import)


def member_import_choose(*, member_import: MemberImport, only_valid_rows: bool) -> MemberImport:
    """What the two buttons do: apply now, or in a Celery task (after commit) when large."""
    if not only_valid_rows or _runs_inline(member_import):
        return member_import_apply(member_import=member_import, only_valid_rows=only_valid_rows)
    with transaction.atomic():
        locked = MemberImport.objects.select_for_update().get(pk=member_import.pk)
        if locked.status == Status.VALIDATED:
            locked.status = Status.IMPORTING
            locked.processed_rows = 0
            locked.save(update_fields=["status", "processed_rows"])
            transaction.on_commit(partial(_enqueue_apply, locked.pk))
    return locked


def member_imports_discard_stale(*, older_than: timedelta) -> int:
    """Discard imports nobody decided on (uploaded, validated or failed) within
    ``older_than``: their files hold NIKs and phones and must not stay forever."""
    cutoff = timezone.now() - older_than
    stale = MemberImport.objects.filter(status__in=MAPPABLE, created_at__lt=cutoff)
    return sum(
        _discard(member_import).status == Status.DISCARDED for member_import in stale.iterator()
    )
