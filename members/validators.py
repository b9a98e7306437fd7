from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.id import nik as stdnum_nik

from members.models import Region

NIK_LENGTH = 16
NIK_MESSAGES = {
    "nik_length": _("A NIK has exactly 16 digits."),
    "nik_region": _("The NIK starts with %(region)s, which is not a known regency/city code."),
    "nik_date": _("The birth date inside the NIK is not a real date."),
    "nik_serial": _("The last four digits of a NIK cannot be 0000."),
}


def normalize_nik(value: str) -> str:
    return stdnum_nik.compact(value or "")


def nik_problem(
    number: str, *, is_known_regency: Callable[[str], bool]
) -> tuple[str, dict[str, str]] | None:
    """What is wrong with a compact NIK, as a code of ``NIK_MESSAGES`` and its parameters.

    The region part is checked against our regions (``is_known_regency("16.73")``), not
    python-stdnum's table, which predates the 2022 Papua provinces.
    """
    if len(number) != NIK_LENGTH or not number.isdigit():
        return "nik_length", {}
    regency_code = f"{number[:2]}.{number[2:4]}"
    if not is_known_regency(regency_code):
        return "nik_region", {"region": regency_code}
    try:
        stdnum_nik.get_birth_date(number)
    except StdnumValidationError:
        return "nik_date", {}
    if number.endswith("0000"):
        return "nik_serial", {}
    return None


def validate_nik(value: str) -> None:
    problem = nik_problem(
        normalize_nik(value),
        is_known_regency=lambda code: Region.objects.filter(code=code).exists(),
    )
    if problem:
        code, params = problem
        raise ValidationError(NIK_MESSAGES[code], code=code, params=params)
