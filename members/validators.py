from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.id import nik as stdnum_nik

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
    number: str, *, is_known_province: Callable[[str], bool]
) -> tuple[str, dict[str, str]] | None:
    """What is wrong with a compact NIK, as a code of ``NIK_MESSAGES`` and its parameters.

    A NIK keeps the region where it was issued for life, and regencies have been split and
    renumbered since (Papua in 2022 most of all), so only the province part must be a
    province we know (``is_known_province("16")``) and the regency part must not be 00.
    python-stdnum's own region table predates the 2022 provinces, so it is not used.
    """
    if len(number) != NIK_LENGTH or not number.isdigit():
        return "nik_length", {}
    if not is_known_province(number[:2]) or number[2:4] == "00":
        return "nik_region", {"region": f"{number[:2]}.{number[2:4]}"}
    try:
        stdnum_nik.get_birth_date(number)
    except StdnumValidationError:
        return "nik_date", {}
    if number.endswith("0000"):
        return "nik_serial", {}
    return None


def validate_nik(value: str) -> None:
    from members.models import Region

    problem = nik_problem(
        normalize_nik(value),
        is_known_province=lambda code: Region.objects.filter(
            code=code, level=Region.Level.PROVINCE
        ).exists(),
    )
    if problem:
        code, params = problem
        raise ValidationError(NIK_MESSAGES[code], code=code, params=params)
