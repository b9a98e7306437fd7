"""The member list as CSV or XLSX, written so that no cell can run as a formula.

Text cells starting with =, +, -, @, tab or CR get a leading apostrophe (OWASP's advice for
CSV injection); that includes E.164 phone numbers. The import strips it again, so an
export imports back as it was. NIKs are masked unless the exporter may see them.
"""

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from members.models import Member
from members.permissions import can_see_nik

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ITERATOR_CHUNK_SIZE = 2000

Value = str | int | None


def neutralized(value: Value) -> Value:
    """'=1+2' → "'=1+2": a spreadsheet shows it as text instead of computing it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


@dataclass(frozen=True)
class Column:
    header: Callable[[], str]
    value: Callable[[Member, AbstractBaseUser], Value]


def _label(name: str) -> Callable[[], str]:
    return lambda: capfirst(Member._meta.get_field(name).verbose_name)


def _text(name: str) -> Callable[[Member, AbstractBaseUser], str]:
    return lambda member, user: str(getattr(member, name) or "")


def _display(name: str) -> Callable[[Member, AbstractBaseUser], str]:
    return lambda member, user: str(getattr(member, f"get_{name}_display")())


def _nik(member: Member, user: AbstractBaseUser) -> str:
    return member.nik if can_see_nik(user, member) else member.masked_nik


COLUMNS = (
    Column(_label("full_name"), _text("full_name")),
    Column(_label("phone"), lambda member, user: member.phone.as_e164 if member.phone else ""),
    Column(_label("email"), _text("email")),
    Column(_label("member_number"), _text("member_number")),
    Column(_label("nik"), _nik),
    Column(_label("gender"), _display("gender")),
    Column(_label("birth_year"), lambda member, user: member.birth_year),
    Column(_label("workplace"), _text("workplace")),
    Column(_label("sector"), _display("sector")),
    Column(_label("position"), _display("position")),
    Column(_label("organization"), lambda member, user: member.organization.short_name),
    Column(
        lambda: capfirst(_("region code")),
        lambda member, user: member.region.code if member.region else "",
    ),
    Column(_label("region"), lambda member, user: member.region.name if member.region else ""),
    Column(_label("preferred_language"), _display("preferred_language")),
    Column(_label("preferred_channel"), _display("preferred_channel")),
)


def export_rows(*, members: QuerySet[Member], user: AbstractBaseUser) -> Iterator[list[Value]]:
    """The header, then one row per member; one query however many rows
    (``members`` must select_related organization and region)."""
    yield [str(column.header()) for column in COLUMNS]
    for member in members.iterator(chunk_size=ITERATOR_CHUNK_SIZE):
        yield [column.value(member, user) for column in COLUMNS]


def _filename(extension: str) -> str:
    return f"members-{timezone.localdate().isoformat()}.{extension}"


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a stream."""

    def write(self, value: str) -> str:
        return value


def rows_csv_response(*, rows: Iterable[list[Value]], filename: str) -> StreamingHttpResponse:
    """Any table as a streamed, formula-safe CSV download (the first row is the header)."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # so Excel reads the file as UTF-8
        for row in rows:
            yield writer.writerow([neutralized(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def members_csv_response(
    *, members: QuerySet[Member], user: AbstractBaseUser
) -> StreamingHttpResponse:
    return rows_csv_response(
        rows=export_rows(members=members, user=user), filename=_filename("csv")
    )


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: Value) -> Cell | Value:
    """Text goes in as a text cell, which a spreadsheet never evaluates; unlike CSV, no
    apostrophe is needed (it would show), and '+62…' phones read as they are."""
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    return cell


def rows_xlsx_response(
    *, rows: Iterable[list[Value]], filename: str, sheet_title: str
) -> FileResponse:
    """Any table as an XLSX download: a write-only workbook spooled to a temporary file,
    so memory stays flat for long lists; text always goes in as text cells."""
    return sheets_xlsx_response(sheets=[(sheet_title, rows)], filename=filename)


def sheets_xlsx_response(
    *, sheets: Iterable[tuple[str, Iterable[list[Value]]]], filename: str
) -> FileResponse:
    """Several tables as one XLSX download, a sheet each (titles cut to Excel's 31
    characters), written as ``rows_xlsx_response`` writes one."""
    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        for row in rows:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def members_xlsx_response(*, members: QuerySet[Member], user: AbstractBaseUser) -> FileResponse:
    return rows_xlsx_response(
        rows=export_rows(members=members, user=user),
        filename=_filename("xlsx"),
        sheet_title=str(_("Members")),
    )
