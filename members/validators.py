from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.id import nik as stdnum_nik

from members.models import Region


def normalize_nik(value: str) -> str:
    return stdnum_nik.compact(value or "")


def validate_nik(value: str) -> None:
    """16 digits whose region part is a known regency and whose date part is a real date.

    The region is checked against our own table, not python-stdnum's, which predates the
    2022 Papua provinces.
    """
    number = normalize_nik(value)
    if len(number) != 16 or not number.isdigit():
        raise ValidationError(_("A NIK has exactly 16 digits."), code="nik_length")
    regency_code = f"{number[:2]}.{number[2:4]}"
    if not Region.objects.filter(code=regency_code).exists():
        raise ValidationError(
            _("The NIK starts with %(code)s, which is not a known regency/city code."),
            code="nik_region",
            params={"code": regency_code},
        )
    try:
        stdnum_nik.get_birth_date(number)
    except StdnumValidationError as error:
        raise ValidationError(
            _("The birth date inside the NIK is not a real date."), code="nik_date"
        ) from error
    if number.endswith("0000"):
        raise ValidationError(_("The last four digits of a NIK cannot be 0000."), code="nik_serial")
