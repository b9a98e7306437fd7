"""A bad row's problems as text in the reader's language.

Problems are stored as codes with parameters ({"code": "phone_repeated", "params":
{"first": 12}}), never as text, so the report renders in whatever language is active.
"""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from members.services.imports.mapping import field_label
from members.validators import NIK_MESSAGES

ROW_ERROR_MESSAGES = {
    "full_name_missing": _("The full name is empty."),
    "phone_missing": _("The phone number is empty."),
    "phone_invalid": _("“%(value)s” is not a valid phone number."),
    "phone_not_indonesian": _("“%(value)s” is not an Indonesian phone number."),
    "phone_repeated": _("Repeats the phone number of row %(first)s."),
    "phone_exists": _("A member with the phone number %(value)s already exists."),
    "nik_length": _("The NIK “%(value)s” does not have exactly 16 digits."),
    "nik_region": NIK_MESSAGES["nik_region"],
    "nik_date": NIK_MESSAGES["nik_date"],
    "nik_serial": NIK_MESSAGES["nik_serial"],
    "nik_repeated": _("Repeats the NIK of row %(first)s."),
    "nik_exists": _("A member with this NIK already exists."),
    "email_invalid": _("“%(value)s” is not a valid e-mail address."),
    "member_number_repeated": _("Repeats the organization and member number of row %(first)s."),
    "member_number_exists": _("%(organization)s already has a member with number %(value)s."),
    "organization_unknown": _("“%(value)s” is not an organization you manage."),
    "organization_ambiguous": _(
        "Several organizations you manage are called “%(value)s”; use the short name."
    ),
    "region_unknown": _(
        "“%(value)s” is not a known province or regency/city; use its code (such as 16.73) "
        "or its exact name."
    ),
    "birth_year_invalid": _("“%(value)s” is not a plausible birth year (%(min)s–%(max)s)."),
    "choice_unknown": _("“%(value)s” is not a known value for %(field)s."),
    "too_long": _("%(field)s is longer than %(max)s characters."),
}


def row_error_message(error: dict[str, Any]) -> str:
    """One recorded problem in the active language."""
    params = dict(error.get("params") or {})
    if "field" in params:
        params["field"] = field_label(params["field"])
    template = ROW_ERROR_MESSAGES.get(error.get("code", ""))
    if template is None:
        return str(error.get("code", ""))
    return str(template) % params


def described(entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Report entries with their reasons as text in the active language."""
    return [
        {
            "row": entry["row"],
            "name": entry.get("name", ""),
            "reasons": [row_error_message(error) for error in entry["errors"]],
        }
        for entry in entries
    ]
