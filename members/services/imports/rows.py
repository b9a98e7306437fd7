"""Check the rows of a member import: one small cleaner per field, then duplicates inside
the file and against the database, a chunk of rows at a time.

A problem is a code with parameters (see report.py for the texts).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone, translation
from phonenumber_field.phonenumber import PhoneNumber

from members.models import Member, MemberImport, Region
from members.permissions import organizations_managed_by
from members.services.imports.mapping import normalized
from members.validators import nik_problem, normalize_nik

CHOICE_FIELDS = ("gender", "sector", "position", "preferred_language", "preferred_channel")
OLDEST_BIRTH_YEAR = 1900
YOUNGEST_MEMBER_AGE = 15
MAX_ECHOED_VALUE = 60
INDONESIA_CALLING_CODE = 62
EMAIL_MAX_LENGTH = 254

# Indonesian words people write in member lists, besides our values and labels.
CHOICE_ALIASES = {
    "gender": {
        Member.Gender.MALE: ("l", "lk", "laki laki", "laki", "pria", "m", "male", "man"),
        Member.Gender.FEMALE: ("p", "pr", "perempuan", "wanita", "f", "female", "woman"),
    },
    "sector": {
        Member.Sector.MANUFACTURING: ("manufaktur", "industri"),
        Member.Sector.GARMENT_TEXTILE: ("garmen", "tekstil", "sepatu", "alas kaki"),
        Member.Sector.METAL_ELECTRONICS: ("logam", "otomotif", "elektronik", "metal"),
        Member.Sector.CHEMICAL_ENERGY_MINING: ("kimia", "energi", "pertambangan", "tambang"),
        Member.Sector.PLANTATION_AGRICULTURE: ("perkebunan", "pertanian", "perikanan"),
        Member.Sector.CONSTRUCTION: ("konstruksi", "bangunan"),
        Member.Sector.TRANSPORT_LOGISTICS: ("transportasi", "logistik", "transport"),
        Member.Sector.TRADE_SERVICES: ("perdagangan", "jasa", "perhotelan", "hotel"),
        Member.Sector.HEALTH_EDUCATION: ("kesehatan", "pendidikan"),
        Member.Sector.PUBLIC_SECTOR: ("sektor publik", "pemerintahan", "publik"),
        Member.Sector.OTHER: ("lainnya", "lain lain", "lain"),
    },
    "position": {
        Member.Position.MEMBER: ("anggota",),
        Member.Position.WORKPLACE_OFFICER: ("pengurus puk", "pengurus basis", "puk"),
        Member.Position.REGIONAL_OFFICER: ("pengurus dpc", "pengurus dpw", "dpc", "dpw"),
        Member.Position.FEDERATION_OFFICER: ("pengurus federasi", "federasi"),
        Member.Position.CONFEDERATION_OFFICER: ("pengurus konfederasi", "konfederasi"),
    },
    "preferred_language": {
        "id": ("indonesia", "bahasa indonesia", "in", "ind"),
        "en": ("inggris", "bahasa inggris", "english", "eng"),
    },
    "preferred_channel": {
        Member.Channel.WHATSAPP: ("wa", "whatsapp"),
        Member.Channel.SMS: ("sms",),
        Member.Channel.EMAIL: ("email", "e mail", "surel"),
    },
}


class RowProblem(Exception):  # noqa: N818 - a finding about a row, not a failure of the code
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": self.params}


def _echo(raw: str) -> str:
    return raw if len(raw) <= MAX_ECHOED_VALUE else f"{raw[: MAX_ECHOED_VALUE - 1]}…"


# --- What the checks look things up in, read once per run --------------------------------


def _unique_keys(pairs: Iterable[tuple[str, int]]) -> dict[str, int | None]:
    """name → id; None where two rows share the name, so the row must be more precise."""
    keys: dict[str, int | None] = {}
    for key, pk in pairs:
        keys[key] = pk if keys.get(key, pk) == pk else None
    return keys


def _choice_lookup(name: str) -> dict[str, str]:
    choices = Member._meta.get_field(name).choices
    lookup: dict[str, str] = {}
    for value, aliases in CHOICE_ALIASES[name].items():
        lookup.update(dict.fromkeys((normalized(alias) for alias in aliases), str(value)))
    for language in ("en", "id"):
        with translation.override(language):
            lookup.update({normalized(str(label)): str(value) for value, label in choices})
    lookup.update({normalized(str(value)): str(value) for value, _label in choices})
    return lookup


@dataclass(frozen=True)
class Lookups:
    organizations: dict[str, int | None]
    organization_names: dict[int, str]
    default_organization_id: int | None
    default_organization_name: str
    regions: dict[str, int | None]
    province_codes: frozenset[str]
    choices: dict[str, dict[str, str]]
    birth_years: tuple[int, int]
    defaults: dict[str, Any] = field(default_factory=dict)


def lookups_for(member_import: MemberImport) -> Lookups:
    """Everything a row is checked against, in a handful of queries for the whole file."""
    organizations = list(
        organizations_managed_by(member_import.uploaded_by).values_list("id", "short_name", "name")
    )
    names = {pk: short_name for pk, short_name, _name in organizations}
    regions = list(Region.objects.values_list("id", "code", "name", "level"))
    default_id = member_import.default_organization_id
    this_year = timezone.localdate().year
    return Lookups(
        organizations=_unique_keys(
            [(normalized(short), pk) for pk, short, _name in organizations]
            + [(normalized(name), pk) for pk, _short, name in organizations]
        ),
        organization_names=names,
        default_organization_id=default_id if default_id in names else None,
        default_organization_name=str(member_import.default_organization),
        regions=_unique_keys(
            [(code, pk) for pk, code, _name, _level in regions]
            + [(code.replace(".", ""), pk) for pk, code, _name, _level in regions]
            + [(normalized(name), pk) for pk, _code, name, _level in regions]
        ),
        province_codes=frozenset(code for _pk, code, _n, level in regions if level == "province"),
        choices={name: _choice_lookup(name) for name in CHOICE_FIELDS},
        birth_years=(OLDEST_BIRTH_YEAR, this_year - YOUNGEST_MEMBER_AGE),
        defaults={name: Member._meta.get_field(name).get_default() for name in CHOICE_FIELDS},
    )


# --- One cleaner per field: raw text in, model value out, or a RowProblem -----------------


def _bounded_text(name: str, max_length: int) -> Callable[[str, Lookups], str]:
    def clean(raw: str, lookups: Lookups) -> str:
        text = " ".join(raw.split())
        if len(text) > max_length:
            raise RowProblem("too_long", field=name, max=max_length)
        return text

    return clean


_clean_member_number = _bounded_text("member_number", 40)
_clean_workplace = _bounded_text("workplace", 200)
_clean_text_name = _bounded_text("full_name", 200)


def _clean_full_name(raw: str, lookups: Lookups) -> str:
    name = _clean_text_name(raw, lookups)
    if not name:
        raise RowProblem("full_name_missing")
    return name


def _clean_phone(raw: str, lookups: Lookups) -> PhoneNumber:
    if not raw:
        raise RowProblem("phone_missing")
    try:
        number = PhoneNumber.from_string(raw, region="ID")
    except phonenumbers.NumberParseException as error:
        raise RowProblem("phone_invalid", value=_echo(raw)) from error
    if not number.is_valid():
        raise RowProblem("phone_invalid", value=_echo(raw))
    if number.country_code != INDONESIA_CALLING_CODE:
        raise RowProblem("phone_not_indonesian", value=_echo(raw))
    return number


def _clean_email(raw: str, lookups: Lookups) -> str:
    if not raw:
        return ""
    if len(raw) > EMAIL_MAX_LENGTH:
        raise RowProblem("too_long", field="email", max=EMAIL_MAX_LENGTH)
    try:
        validate_email(raw)
    except ValidationError as error:
        raise RowProblem("email_invalid", value=_echo(raw)) from error
    return raw


def _clean_nik(raw: str, lookups: Lookups) -> str:
    number = normalize_nik(raw)
    if not number:
        return ""
    problem = nik_problem(number, is_known_province=lookups.province_codes.__contains__)
    if problem:
        code, params = problem
        raise RowProblem(code, **params, value=_echo(raw))
    return number


def _clean_birth_year(raw: str, lookups: Lookups) -> int | None:
    if not raw:
        return None
    oldest, youngest = lookups.birth_years
    year = int(raw) if raw.isdigit() else 0
    if not oldest <= year <= youngest:
        raise RowProblem("birth_year_invalid", value=_echo(raw), min=oldest, max=youngest)
    return year


def _choice_cleaner(name: str) -> Callable[[str, Lookups], str]:
    def clean(raw: str, lookups: Lookups) -> str:
        if not raw:
            return lookups.defaults[name]
        value = lookups.choices[name].get(normalized(raw))
        if value is None:
            raise RowProblem("choice_unknown", field=name, value=_echo(raw))
        return value

    return clean


def _clean_organization(raw: str, lookups: Lookups) -> int:
    if not raw:
        if lookups.default_organization_id is None:
            raise RowProblem("organization_unknown", value=lookups.default_organization_name)
        return lookups.default_organization_id
    key = normalized(raw)
    if key not in lookups.organizations:
        raise RowProblem("organization_unknown", value=_echo(raw))
    pk = lookups.organizations[key]
    if pk is None:
        raise RowProblem("organization_ambiguous", value=_echo(raw))
    return pk


def _clean_region(raw: str, lookups: Lookups) -> int | None:
    if not raw:
        return None
    pk = lookups.regions.get(raw) or lookups.regions.get(normalized(raw))
    if pk is None:
        raise RowProblem("region_unknown", value=_echo(raw))
    return pk


# field → (model attribute, cleaner)
CLEANERS: dict[str, tuple[str, Callable[[str, Lookups], Any]]] = {
    "full_name": ("full_name", _clean_full_name),
    "phone": ("phone", _clean_phone),
    "email": ("email", _clean_email),
    "member_number": ("member_number", _clean_member_number),
    "nik": ("nik", _clean_nik),
    "gender": ("gender", _choice_cleaner("gender")),
    "birth_year": ("birth_year", _clean_birth_year),
    "workplace": ("workplace", _clean_workplace),
    "sector": ("sector", _choice_cleaner("sector")),
    "position": ("position", _choice_cleaner("position")),
    "organization": ("organization_id", _clean_organization),
    "region": ("region_id", _clean_region),
    "preferred_language": ("preferred_language", _choice_cleaner("preferred_language")),
    "preferred_channel": ("preferred_channel", _choice_cleaner("preferred_channel")),
}


# --- A row, its duplicates in the file and in the database --------------------------------


@dataclass(slots=True)
class CheckedRow:
    number: int
    label: str
    values: dict[str, Any]
    errors: list[dict[str, Any]]

    def report(self) -> dict[str, Any]:
        return {"row": self.number, "name": self.label, "errors": self.errors}


def check_row(
    number: int, cells: list[str], columns: dict[str, int], lookups: Lookups
) -> CheckedRow:
    values: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []
    for name, (attribute, clean) in CLEANERS.items():
        index = columns.get(name)
        raw = cells[index] if index is not None and index < len(cells) else ""
        try:
            values[attribute] = clean(raw, lookups)
        except RowProblem as problem:
            errors.append(problem.as_dict())
    label = _echo(values.get("full_name") or "")
    return CheckedRow(number=number, label=label, values=values, errors=errors)


def _keys_of(row: CheckedRow) -> dict[str, Any]:
    values = row.values
    keys: dict[str, Any] = {}
    if "phone" in values:
        keys["phone"] = values["phone"].as_e164
    if values.get("nik"):
        keys["nik"] = values["nik"]
    if values.get("member_number") and values.get("organization_id"):
        keys["member_number"] = (values["organization_id"], values["member_number"])
    return keys


class SeenKeys:
    """Phone, NIK and organization + member number of every row read so far.

    A repeat names the first row that had the value; only first occurrences are looked up
    in the database (a repeat is already a bad row).
    """

    def __init__(self) -> None:
        self.first_rows: dict[str, dict[Any, int]] = {"phone": {}, "nik": {}, "member_number": {}}

    def first_occurrences(self, rows: list[CheckedRow]) -> dict[str, dict[Any, CheckedRow]]:
        fresh: dict[str, dict[Any, CheckedRow]] = {kind: {} for kind in self.first_rows}
        for row in rows:
            for kind, key in _keys_of(row).items():
                first = self.first_rows[kind].setdefault(key, row.number)
                if first == row.number:
                    fresh[kind][key] = row
                else:
                    row.errors.append({"code": f"{kind}_repeated", "params": {"first": first}})
        return fresh


def mark_existing(fresh: dict[str, dict[Any, CheckedRow]], lookups: Lookups) -> None:
    """Rows whose phone, NIK or organization + member number a member already has:
    three queries for a whole chunk of rows."""
    phones = fresh["phone"]
    if phones:
        for phone in Member.objects.filter(phone__in=list(phones)).values_list("phone", flat=True):
            row = phones.get(phone.as_e164)
            if row is not None:
                row.errors.append({"code": "phone_exists", "params": {"value": phone.as_e164}})
    niks = fresh["nik"]
    for nik in Member.objects.filter(nik__in=list(niks)).values_list("nik", flat=True):
        niks[nik].errors.append({"code": "nik_exists", "params": {}})
    numbers = fresh["member_number"]
    existing = Member.objects.filter(
        organization_id__in={organization for organization, _number in numbers},
        member_number__in={number for _organization, number in numbers},
    ).values_list("organization_id", "member_number")
    for key in existing:
        row = numbers.get(key)
        if row is not None:
            params = {"value": key[1], "organization": lookups.organization_names.get(key[0], "")}
            row.errors.append({"code": "member_number_exists", "params": params})
