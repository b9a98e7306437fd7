import pytest
from django.core.exceptions import ValidationError

from members.models import Member
from members.validators import normalize_nik, validate_nik

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "nik",
    [
        "1673011708850001",  # Kota Lubuklinggau, born 17-08-1985
        "1673015708850002",  # the same, a woman (day + 40)
        "9301010101000003",  # Kabupaten Merauke, Papua Selatan (2022)
        "9471011708850004",  # Kota Jayapura under Papua's code before 2022 (now 91.71)
        "16.7301.170885.0001",  # written with dots
    ],
)
def test_plausible_niks_pass(nik):
    validate_nik(nik)


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("167301170885000", "nik_length"),
        ("16730117088500011", "nik_length"),
        ("16730117088A0001", "nik_length"),
        ("9999011708850001", "nik_region"),
        ("1600011708850001", "nik_region"),
        ("1673013213850001", "nik_date"),
        ("1673011708850000", "nik_serial"),
    ],
)
def test_implausible_niks_are_refused_with_a_reason(nik, code):
    with pytest.raises(ValidationError) as refused:
        validate_nik(nik)

    assert refused.value.code == code


def test_nik_is_normalised_and_masked():
    member = Member(nik=normalize_nik("16.7301.170885.0001"))

    assert member.nik == "1673011708850001"
    assert member.masked_nik == "1673********0001"
    assert Member(nik="").masked_nik == ""
