"""Which column of an uploaded file fills which member field.

Headers are compared in a normalized form ('No. HP' → 'no hp'), against Indonesian and
English words people use and against the field labels in every language, so that an
export of the member list imports back.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from members.models import Member

IMPORT_FIELDS = (
    "full_name",
    "phone",
    "email",
    "member_number",
    "nik",
    "gender",
    "birth_year",
    "workplace",
    "sector",
    "position",
    "organization",
    "region",
    "preferred_language",
    "preferred_channel",
)
REQUIRED_FIELDS = ("full_name", "phone")
HEADER_ALIASES = {
    "full_name": ("nama", "nama lengkap", "nama anggota", "full name", "name"),
    "phone": (
        "no hp",
        "nomor hp",
        "hp",
        "no handphone",
        "no telp",
        "no telepon",
        "nomor telepon",
        "telepon",
        "telp",
        "whatsapp",
        "no whatsapp",
        "no wa",
        "nomor wa",
        "wa",
        "phone",
        "phone number",
        "mobile",
    ),
    "email": ("email", "e mail", "surel", "alamat email"),
    "member_number": (
        "no anggota",
        "nomor anggota",
        "no kta",
        "nomor kta",
        "kta",
        "member number",
        "member no",
    ),
    "nik": ("nik", "no ktp", "nomor ktp", "ktp", "nomor induk kependudukan"),
    "gender": ("jenis kelamin", "l p", "jk", "kelamin", "gender", "sex"),
    "birth_year": ("tahun lahir", "thn lahir", "birth year", "year of birth"),
    "workplace": ("perusahaan", "tempat kerja", "nama perusahaan", "workplace", "company"),
    "sector": ("sektor", "sektor industri", "sector"),
    "position": ("jabatan", "jabatan serikat", "position", "union position"),
    "organization": ("organisasi", "serikat", "serikat pekerja", "organization", "union"),
    "region": (
        "kode wilayah",
        "kode kemendagri",
        "kemendagri code",
        "region code",
        "wilayah",
        "kabupaten kota",
        "kab kota",
        "kabupaten",
        "kota",
        "region",
    ),
    "preferred_language": ("bahasa", "language"),
    "preferred_channel": ("kanal", "saluran", "channel"),
}


def normalized(text: str) -> str:
    """'No. HP' → 'no hp', 'Laki-laki' → 'laki laki': how headers and choices are compared."""
    return re.sub(r"[^\w]+", " ", text.casefold()).strip()


def field_label(name: str) -> str:
    return str(capfirst(Member._meta.get_field(name).verbose_name))


def _header_aliases() -> dict[str, str]:
    """Our aliases, then the field labels in every language (so an export imports back)."""
    aliases = {normalized(alias): name for name, words in HEADER_ALIASES.items() for alias in words}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for name in IMPORT_FIELDS:
                aliases.setdefault(normalized(field_label(name)), name)
    return aliases


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """{column index: field} from the header names; each field goes to its first column."""
    aliases = _header_aliases()
    mapping: dict[str, str] = {}
    for index, header in enumerate(headers):
        name = aliases.get(normalized(header))
        if name and name not in mapping.values():
            mapping[str(index)] = name
    return mapping


def checked_mapping(headers: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """{column index: field} without the ignored columns; a rule broken raises ValidationError."""
    columns = {str(index) for index in range(len(headers))}
    chosen = {index: name for index, name in mapping.items() if name}
    if set(chosen) - columns or set(chosen.values()) - set(IMPORT_FIELDS):
        raise ValidationError(_("Choose a field or “ignore” for each column."), code="mapping")
    for name in IMPORT_FIELDS:
        if list(chosen.values()).count(name) > 1:
            raise ValidationError(
                _("%(field)s is chosen for more than one column."),
                code="mapping_twice",
                params={"field": field_label(name)},
            )
    for name in REQUIRED_FIELDS:
        if name not in chosen.values():
            raise ValidationError(
                _("Choose the column for “%(field)s”."),
                code="mapping_required",
                params={"field": field_label(name)},
            )
    return chosen
