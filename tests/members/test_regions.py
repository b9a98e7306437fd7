import pytest

from members.models import Region

pytestmark = pytest.mark.django_db


def test_all_provinces_and_regencies_are_loaded():
    assert Region.objects.filter(level=Region.Level.PROVINCE).count() == 38
    assert Region.objects.filter(level=Region.Level.REGENCY).count() == 514


@pytest.mark.parametrize(
    ("code", "name", "province"),
    [
        ("16", "Sumatera Selatan", None),
        ("16.73", "Kota Lubuklinggau", "16"),
        ("11.71", "Kota Banda Aceh", "11"),
        ("31", "DKI Jakarta", None),
        ("64", "Kalimantan Timur", None),
        ("93", "Papua Selatan", None),
        ("93.01", "Kabupaten Merauke", "93"),
        ("94", "Papua Tengah", None),
        ("95.01", "Kabupaten Jayawijaya", "95"),
        ("96", "Papua Barat Daya", None),
        ("96.71", "Kota Sorong", "96"),
    ],
)
def test_spot_checks_against_kemendagri_codes(code, name, province):
    region = Region.objects.select_related("parent").get(code=code)

    assert region.name == name
    assert (region.parent.code if region.parent else None) == province


def test_every_regency_code_starts_with_its_province_code():
    mismatched = [
        region.code
        for region in Region.objects.filter(level=Region.Level.REGENCY).select_related("parent")
        if not region.code.startswith(f"{region.parent.code}.")
    ]

    assert mismatched == []
