"""Member lists for import tests and the benchmark: N rows, chosen ones bad on purpose.

Every good row is unique (phone, NIK, member number); every bad row has exactly one
problem, so the report must name exactly that row with exactly that reason. Rows are
numbered as a spreadsheet shows them: the header is row 1, the first member row 2.
"""

import csv
import io
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

from openpyxl import Workbook

HEADERS = [
    "Nama lengkap",
    "No HP",
    "NIK",
    "No anggota",
    "Organisasi",
    "Kode wilayah",
    "Jenis kelamin",
    "Tahun lahir",
    "Perusahaan",
    "Sektor",
    "Jabatan",
    "Email",
]
NAME, PHONE, NIK, NUMBER, ORGANIZATION, REGION, GENDER, BIRTH_YEAR, *_REST = range(len(HEADERS))
EMAIL = HEADERS.index("Email")

# Members already in the database (phone, NIK, member number in the default organization);
# the n-th row of an "existing_…" kind reuses the n-th one's value, so no two bad rows
# repeat each other.
EXISTING_MEMBERS = [
    (f"+628119999000{n}", f"16730115069000{n:02d}", f"LAMA-{n:04d}") for n in range(1, 4)
]

FIRST_ROW = 2  # the row every in-file duplicate repeats

# kind of bad row → the one error code the report must give it
BAD_KINDS = {
    "bad_phone": "phone_invalid",
    "foreign_phone": "phone_not_indonesian",
    "missing_phone": "phone_missing",
    "missing_name": "full_name_missing",
    "bad_nik_length": "nik_length",
    "bad_nik_region": "nik_region",
    "bad_nik_date": "nik_date",
    "bad_nik_serial": "nik_serial",
    "unknown_region": "region_unknown",
    "unknown_organization": "organization_unknown",
    "bad_email": "email_invalid",
    "bad_gender": "choice_unknown",
    "bad_birth_year": "birth_year_invalid",
    "duplicate_phone": "phone_repeated",
    "duplicate_nik": "nik_repeated",
    "duplicate_member_number": "member_number_repeated",
    "existing_phone": "phone_exists",
    "existing_nik": "nik_exists",
    "existing_member_number": "member_number_exists",
}

_PHONE_STYLES = ("0813-{a}-{b}", "+62 813 {a} {b}", "62813{a}{b}")
_GENDERS = ("L", "P", "Laki-laki", "Perempuan", "")
_REGIONS = ("16.73", "Kota Lubuklinggau", "")
_SECTORS = ("Manufaktur", "garment_textile", "")
_POSITIONS = ("Anggota", "")


def good_phone(index: int) -> str:
    digits = f"{index:08d}"
    return _PHONE_STYLES[index % 3].format(a=digits[:4], b=digits[4:])


def good_phone_e164(index: int) -> str:
    return f"+62813{index:08d}"


def good_nik(index: int) -> str:
    """Region 16.73 (Lubuklinggau), born on day 1–28 of January 1985, serial 0001–9999."""
    day = 1 + index // 9999
    return f"167301{day:02d}0185{1 + index % 9999:04d}"


def good_row(index: int, organization: str) -> list[str]:
    return [
        f"Anggota Nomor {index}",
        good_phone(index),
        good_nik(index),
        f"A{index:07d}",
        organization if index % 2 == 0 else "",
        _REGIONS[index % 3],
        _GENDERS[index % 5],
        str(1960 + index % 40),
        f"PT Contoh {index % 50}",
        _SECTORS[index % 3],
        _POSITIONS[index % 2],
        f"anggota{index}@example.org" if index % 4 == 0 else "",
    ]


_MUTATIONS = {
    "bad_phone": {PHONE: "12345"},
    "foreign_phone": {PHONE: "+1 650 253 0000"},
    "missing_phone": {PHONE: ""},
    "missing_name": {NAME: ""},
    "bad_nik_length": {NIK: "16730115018"},
    "bad_nik_region": {NIK: "0001011501850001"},
    "bad_nik_date": {NIK: "1673013201850001"},
    "bad_nik_serial": {NIK: "1673012801850000"},
    "unknown_region": {REGION: "Atlantis"},
    "unknown_organization": {ORGANIZATION: "Serikat Antah Berantah"},
    "bad_email": {EMAIL: "bukan-alamat-email"},
    "bad_gender": {GENDER: "X"},
    "bad_birth_year": {BIRTH_YEAR: "1850"},
}


def _reused_values(kind: str, occurrence: int, organization: str) -> dict[int, str]:
    first = good_row(0, organization)
    phone, nik, number = EXISTING_MEMBERS[occurrence % len(EXISTING_MEMBERS)]
    return {
        "duplicate_phone": {PHONE: first[PHONE]},
        "duplicate_nik": {NIK: first[NIK]},
        "duplicate_member_number": {NUMBER: first[NUMBER], ORGANIZATION: first[ORGANIZATION]},
        "existing_phone": {PHONE: phone},
        "existing_nik": {NIK: nik},
        "existing_member_number": {NUMBER: number, ORGANIZATION: ""},
    }[kind]


def bad_row(index: int, kind: str, organization: str, occurrence: int = 0) -> list[str]:
    """Row ``index`` spoilt in one way; ``occurrence`` counts earlier rows of that kind."""
    row = good_row(index, organization)
    changes = _MUTATIONS.get(kind) or _reused_values(kind, occurrence, organization)
    for column, value in changes.items():
        row[column] = value
    return row


def plan(rows: int, bad: Sequence[str], *, seed: int = 37) -> dict[int, str]:
    """{data index: kind}: the bad rows spread over the file, never the first row."""
    indexes = sorted(random.Random(seed).sample(range(1, rows), len(bad)))  # noqa: S311
    return dict(zip(indexes, bad, strict=True))


def member_rows(
    rows: int, *, bad: Sequence[str] = (), organization: str = ""
) -> tuple[Iterator[list[str]], dict[int, str]]:
    """The data rows (lazily) and {spreadsheet row number: expected error code}."""
    kinds = plan(rows, bad)
    expected = {index + FIRST_ROW: BAD_KINDS[kind] for index, kind in kinds.items()}

    def generate() -> Iterator[list[str]]:
        seen = Counter()
        for index in range(rows):
            kind = kinds.get(index)
            if kind is None:
                yield good_row(index, organization)
            else:
                yield bad_row(index, kind, organization, seen[kind])
                seen[kind] += 1

    return generate(), expected


def mixed_bad_kinds(count: int) -> list[str]:
    """``count`` bad rows cycling through every kind of problem."""
    kinds = list(BAD_KINDS)
    return [kinds[index % len(kinds)] for index in range(count)]


def write_csv(stream, rows: int, *, bad: Sequence[str] = (), organization: str = "") -> dict:
    data, expected = member_rows(rows, bad=bad, organization=organization)
    writer = csv.writer(stream)
    writer.writerow(HEADERS)
    writer.writerows(data)
    return expected


def csv_bytes(rows: int, *, bad: Sequence[str] = (), organization: str = "") -> tuple[bytes, dict]:
    text = io.StringIO()
    expected = write_csv(text, rows, bad=bad, organization=organization)
    return text.getvalue().encode(), expected


def xlsx_bytes(rows: int, *, bad: Sequence[str] = (), organization: str = "") -> tuple[bytes, dict]:
    data, expected = member_rows(rows, bad=bad, organization=organization)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Anggota")
    sheet.append(HEADERS)
    for row in data:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue(), expected


def write_csv_file(
    path: Path, rows: int, *, bad: Sequence[str] = (), organization: str = ""
) -> dict:
    with path.open("w", newline="", encoding="utf-8") as stream:
        return write_csv(stream, rows, bad=bad, organization=organization)
