"""Read an uploaded member list, CSV or XLSX, as a stream of rows of text.

Rows are numbered as a spreadsheet shows them (the header is row 1), blank rows are
skipped, and nothing is held in memory beyond the row being read.
"""

import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import closing
from datetime import date, datetime
from pathlib import PurePath
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

ALLOWED_EXTENSIONS = (".csv", ".xlsx")
MAX_COLUMNS = 100
MAX_HEADER_LENGTH = 100
DELIMITERS = (",", ";", "\t")
# An exported cell is written as '=…, '+…; reading it back removes the guard again.
FORMULA_GUARD = "'"
FORMULA_STARTS = ("=", "+", "-", "@")

Row = tuple[int, list[str]]

# What a damaged or disguised file raises while it is read.
READ_ERRORS = (
    csv.Error,
    UnicodeDecodeError,
    zipfile.BadZipFile,
    InvalidFileException,
    KeyError,
    OSError,
    ValueError,
)


def extension_of(name: str) -> str:
    return PurePath(name).suffix.lower()


def cell_text(value: object) -> str:
    """A cell as the text a person typed: 81234567890 not 81234567890.0, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    text = str(value).strip()
    if text[:1] == FORMULA_GUARD and text[1:2] in FORMULA_STARTS:
        return text[1:]
    return text


def _delimiter(header_line: str) -> str:
    """Indonesian Excel saves CSV with ';'; pick whichever separator the header uses most."""
    counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","


def _csv_rows(binary: BinaryIO) -> Iterator[Row]:
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
    try:
        delimiter = _delimiter(text.readline())
        text.seek(0)
        for number, cells in enumerate(csv.reader(text, delimiter=delimiter), start=1):
            yield number, [cell_text(cell) for cell in cells]
    finally:
        if not binary.closed:
            text.detach()


def _xlsx_rows(binary: BinaryIO) -> Iterator[Row]:
    workbook = load_workbook(binary, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [cell_text(value) for value in values]
    finally:
        workbook.close()


def table_rows(binary: BinaryIO, extension: str) -> Iterator[Row]:
    """Non-blank rows of the file (of the first sheet of a workbook), header first.

    Close the iterator (contextlib.closing) before the file: it releases the reader.
    """
    rows = _xlsx_rows(binary) if extension == ".xlsx" else _csv_rows(binary)
    try:
        for number, cells in rows:
            if any(cells):
                yield number, cells
    finally:
        rows.close()


def clean_headers(cells: list[str]) -> list[str]:
    if len(cells) > MAX_COLUMNS:
        raise ValidationError(
            _("The file has more than %(max)s columns."),
            code="too_many_columns",
            params={"max": MAX_COLUMNS},
        )
    while cells and not cells[-1]:
        cells = cells[:-1]
    return [cell[:MAX_HEADER_LENGTH] for cell in cells]


def check_upload(file: File) -> None:
    """Type and size, before a byte of the file is parsed."""
    if extension_of(file.name or "") not in ALLOWED_EXTENSIONS:
        raise ValidationError(_("Upload a .csv or .xlsx file."), code="file_type")
    limit_mb = settings.MEMBER_IMPORT_MAX_UPLOAD_MB
    if file.size is None or file.size > limit_mb * 1024 * 1024:
        raise ValidationError(
            _("The file is larger than %(limit)s MB; split it into smaller files."),
            code="file_size",
            params={"limit": limit_mb},
        )


def inspect_upload(binary: BinaryIO, extension: str) -> tuple[list[str], int]:
    """The header and the number of data rows; a file that cannot be read is refused."""
    binary.seek(0)
    try:
        with closing(table_rows(binary, extension)) as rows:
            first = next(rows, None)
            count = sum(1 for _row in rows)
    except UnicodeDecodeError as error:
        raise ValidationError(
            _("The file is not UTF-8 text. In Excel, save it as “CSV UTF-8” and upload it again."),
            code="encoding",
        ) from error
    except READ_ERRORS as error:
        raise ValidationError(
            _("The file cannot be read as %(kind)s."),
            code="unreadable",
            params={"kind": "CSV" if extension == ".csv" else "Excel (.xlsx)"},
        ) from error
    finally:
        binary.seek(0)
    if first is None:
        raise ValidationError(_("The file is empty."), code="empty")
    if not count:
        raise ValidationError(_("The file has column names but no rows."), code="no_rows")
    return clean_headers(first[1]), count
