import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from members.models import Member
from members.services.imports import (
    member_import_apply,
    member_import_create,
    member_import_validate,
)
from tests.members.factories import (
    MemberFactory,
    OrganizationFactory,
    OrganizationRoleFactory,
    RegencyFactory,
)

pytestmark = pytest.mark.django_db

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NIK = "1673011501850001"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def export_url(language: str = "en", **params) -> str:
    with translation.override(language):
        url = reverse("members:member_export")
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return f"{url}?{query}" if query else url


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_sheet(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return workbook.worksheets[0]


def rows_by_name(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    header, *data = rows
    return {row[0]: dict(zip(header, row, strict=True)) for row in data}


@pytest.fixture
def hostile_member(organization):
    return MemberFactory(
        organization=organization,
        full_name='=HYPERLINK("http://evil.example","klik")',
        phone="0812-3456-7890",
        workplace="@SUM(A1:A9)",
        member_number="-2+3",
        email="",
    )


def test_csv_cells_cannot_run_as_formulas(client, organizer, hostile_member):
    MemberFactory(organization=hostile_member.organization, full_name="\t=1+1", phone="")
    client.force_login(organizer)

    response = client.get(export_url())

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="members-')
    rows = csv_rows(response)
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), cell
    hostile = rows_by_name(rows)['\'=HYPERLINK("http://evil.example","klik")']
    assert hostile["Phone (WhatsApp)"] == "'+6281234567890"
    assert hostile["Workplace/company"] == "'@SUM(A1:A9)"
    assert hostile["Member number"] == "'-2+3"
    assert "'\t=1+1" in rows_by_name(rows)


def test_xlsx_cells_cannot_run_as_formulas(client, organizer, hostile_member):
    client.force_login(organizer)

    response = client.get(export_url(format="xlsx"))

    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = xlsx_sheet(response)
    header = [cell.value for cell in sheet[1]]
    cells = dict(zip(header, sheet[2], strict=True))
    for cell in sheet[2]:
        assert cell.data_type != "f"
    # Stored as text cells: shown as typed, never computed, and without a visible apostrophe.
    assert cells["Full name"].value == '=HYPERLINK("http://evil.example","klik")'
    assert cells["Full name"].data_type == "s"
    assert cells["Phone (WhatsApp)"].value == "+6281234567890"
    assert cells["Workplace/company"].value == "@SUM(A1:A9)"


def test_nik_is_shown_where_the_exporter_organizes_and_masked_where_they_only_train(
    client, organizer, organization
):
    MemberFactory(organization=organization, full_name="Siti Aminah", nik=NIK)
    trained = OrganizationFactory()
    OrganizationRoleFactory(user=organizer, organization=trained, role="trainer")
    MemberFactory(organization=trained, full_name="Budi Santoso", nik="1673015708850002")
    client.force_login(organizer)

    rows = rows_by_name(csv_rows(client.get(export_url())))
    sheet = xlsx_sheet(client.get(export_url(format="xlsx")))

    assert rows["Siti Aminah"]["NIK"] == NIK
    assert rows["Budi Santoso"]["NIK"] == "1673********0002"
    assert "1673015708850002" not in [cell.value for row in sheet.iter_rows() for cell in row]


def test_trainers_cannot_export(client, trainer, organization):
    MemberFactory(organization=organization)
    client.force_login(trainer)

    assert client.get(export_url()).status_code == 404


def test_the_export_is_the_filtered_member_list(client, organizer, organization):
    branch = OrganizationFactory(parent=organization, kind="workplace_union")
    regency = RegencyFactory()
    MemberFactory(organization=organization, full_name="Siti Aminah")
    MemberFactory(
        organization=branch,
        full_name="Budi Santoso",
        position=Member.Position.WORKPLACE_OFFICER,
        region=regency,
    )
    MemberFactory(full_name="Orang Lain")  # another confederation: never exported
    client.force_login(organizer)

    def names(**params) -> set[str]:
        return set(rows_by_name(csv_rows(client.get(export_url(**params)))))

    assert names() == {"Siti Aminah", "Budi Santoso"}
    assert names(q="siti") == {"Siti Aminah"}
    assert names(position="workplace_officer") == {"Budi Santoso"}
    assert names(organization=branch.pk) == {"Budi Santoso"}
    assert names(region=regency.parent.pk) == {"Budi Santoso"}
    sheet = xlsx_sheet(client.get(export_url(region=regency.parent.pk, format="xlsx")))
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["Budi Santoso"]


def test_an_organization_outside_the_reach_is_a_bad_request(client, organizer):
    client.force_login(organizer)

    response = client.get(export_url(organization=OrganizationFactory().pk))

    assert response.status_code == 400


def test_headers_follow_the_users_language(client, organizer, organization):
    MemberFactory(organization=organization)
    client.force_login(organizer)

    english = csv_rows(client.get(export_url("en")))[0]
    indonesian = csv_rows(client.get(export_url("id")))[0]

    assert english[:2] == ["Full name", "Phone (WhatsApp)"]
    assert indonesian[:2] == ["Nama lengkap", "Telepon (WhatsApp)"]


def test_an_unknown_format_is_not_found(client, organizer):
    client.force_login(organizer)

    assert client.get(export_url(format="pdf")).status_code == 404


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
@pytest.mark.parametrize("members", [10, 200])
def test_export_queries_do_not_grow_with_the_members(
    client, organizer, organization, members, export_format, django_assert_max_num_queries
):
    region = RegencyFactory()
    MemberFactory.create_batch(members, organization=organization, region=region)
    client.force_login(organizer)

    # session, user, reach, the members with their organization and region
    with django_assert_max_num_queries(4):
        response = client.get(export_url(format=export_format))
        content = b"".join(response.streaming_content)

    assert content


def test_an_export_imports_back(client, organizer, organization):
    regency = RegencyFactory()
    MemberFactory(
        organization=organization,
        full_name="Siti Aminah",
        phone="0812-3456-7890",
        nik=NIK,
        member_number="-7",
        gender=Member.Gender.FEMALE,
        sector=Member.Sector.GARMENT_TEXTILE,
        position=Member.Position.WORKPLACE_OFFICER,
        region=regency,
        preferred_channel=Member.Channel.SMS,
        birth_year=1985,
    )
    client.force_login(organizer)
    exported = b"".join(client.get(export_url("en")).streaming_content)
    before = Member.objects.values(
        "full_name",
        "phone",
        "nik",
        "member_number",
        "gender",
        "sector",
        "position",
        "region",
        "preferred_channel",
        "birth_year",
    ).get()
    Member.objects.all().delete()

    member_import = member_import_validate(
        member_import=member_import_create(
            file=SimpleUploadedFile("members.csv", exported),
            default_organization=organization,
            uploaded_by=organizer,
        )
    )
    assert member_import.row_errors == []
    member_import_apply(member_import=member_import, only_valid_rows=True)

    assert Member.objects.values(*before).get() == before
