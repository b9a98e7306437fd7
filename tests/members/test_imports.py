from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from kombu.exceptions import OperationalError as KombuOperationalError

from members import tasks
from members.models import Member, MemberImport
from members.services.imports import (
    guess_mapping,
    member_import_apply,
    member_import_create,
    member_import_validate,
)
from members.services.imports.report import row_error_message
from members.tasks import apply_import, validate_import
from tests.members import import_files
from tests.members.factories import (
    MemberFactory,
    OrganizationFactory,
    OrganizationRoleFactory,
    UserFactory,
)
from tests.members.permission_rows_imports import (
    IMPORT_EXPORT_PERMISSIONS,
    LOGIN_REDIRECT,
    ROLES,
    import_kwargs,
)

pytestmark = pytest.mark.django_db
Status = MemberImport.Status


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def existing_members(organization):
    return [
        MemberFactory(organization=organization, phone=phone, nik=nik, member_number=number)
        for phone, nik, number in import_files.EXISTING_MEMBERS
    ]


def stored_files(settings) -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def create_import(user, organization, content: bytes, name: str = "anggota.csv"):
    return member_import_create(
        file=SimpleUploadedFile(name, content),
        default_organization=organization,
        uploaded_by=user,
    )


def reported(member_import) -> dict[int, list[str]]:
    return {
        entry["row"]: [error["code"] for error in entry["errors"]]
        for entry in member_import.row_errors
    }


def english_url(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def mapping_post(member_import, **changes) -> dict[str, str]:
    data = {
        f"column_{index}": member_import.mapping.get(str(index), "")
        for index in range(len(member_import.headers))
    }
    return data | changes


# --- Acceptance: 10,000 rows, 37 bad ones -------------------------------------------------


@pytest.mark.parametrize("only_valid_rows", [True, False], ids=["import_valid_rows", "nothing"])
def test_a_10000_row_file_with_37_bad_rows(
    organizer,
    organization,
    existing_members,
    only_valid_rows,
    settings,
    django_capture_on_commit_callbacks,
):
    content, expected = import_files.csv_bytes(
        10_000, bad=import_files.mixed_bad_kinds(37), organization=organization.short_name
    )
    member_import = create_import(organizer, organization, content)
    assert member_import.total_rows == 10_000
    before = Member.objects.count()

    member_import = member_import_validate(member_import=member_import)

    assert member_import.status == Status.VALIDATED
    assert member_import.invalid_rows == 37
    assert member_import.valid_rows == 9_963
    assert reported(member_import) == {row: [code] for row, code in expected.items()}
    assert Member.objects.count() == before

    with django_capture_on_commit_callbacks(execute=True):
        member_import = member_import_apply(
            member_import=member_import, only_valid_rows=only_valid_rows
        )

    if only_valid_rows:
        assert member_import.status == Status.IMPORTED
        assert member_import.imported_rows == 9_963
        assert Member.objects.count() == before + 9_963
        assert not Member.objects.filter(full_name__in=_bad_names(expected)).exists()
    else:
        assert member_import.status == Status.DISCARDED
        assert Member.objects.count() == before
    assert stored_files(settings) == []  # the list with NIKs is not kept once decided


def _bad_names(expected: dict[int, str]) -> list[str]:
    return [f"Anggota Nomor {row - import_files.FIRST_ROW}" for row in expected]


def test_the_report_names_the_first_row_of_a_repeat(organizer, organization):
    content, _expected = import_files.csv_bytes(
        10, bad=["duplicate_phone", "duplicate_nik", "duplicate_member_number"]
    )
    member_import = member_import_validate(
        member_import=create_import(organizer, organization, content)
    )

    with translation.override("en"):
        messages = [
            row_error_message(error)
            for entry in member_import.row_errors
            for error in entry["errors"]
        ]
    assert messages == [
        "Repeats the phone number of row 2.",
        "Repeats the NIK of row 2.",
        "Repeats the organization and member number of row 2.",
    ]


def test_imported_members_are_normalized_and_attributed(organizer, organization):
    content, _expected = import_files.csv_bytes(6, organization=organization.short_name)
    member_import = member_import_validate(
        member_import=create_import(organizer, organization, content)
    )

    member_import_apply(member_import=member_import, only_valid_rows=True)

    members = {member.member_number: member for member in Member.objects.all()}
    for index in range(6):  # 0813-…, +62 813 …, 62813… all become +62813…
        member = members[f"A{index:07d}"]
        assert str(member.phone) == import_files.good_phone_e164(index)
        assert member.nik == import_files.good_nik(index)
        assert member.created_by == organizer
        assert member.organization == organization
    assert members["A0000000"].region.code == "16.73"
    assert members["A0000001"].region.name == "Kota Lubuklinggau"
    assert members["A0000000"].gender == Member.Gender.MALE
    assert members["A0000003"].gender == Member.Gender.FEMALE
    assert members["A0000000"].sector == Member.Sector.MANUFACTURING
    assert members["A0000001"].position == Member.Position.MEMBER


def test_xlsx_files_import_like_csv(organizer, organization, existing_members):
    bad = ["bad_phone", "unknown_region", "existing_nik", "duplicate_phone", "missing_name"]
    content, expected = import_files.xlsx_bytes(60, bad=bad, organization=organization.short_name)
    member_import = create_import(organizer, organization, content, name="Anggota.XLSX")
    before = Member.objects.count()

    member_import = member_import_validate(member_import=member_import)
    assert reported(member_import) == {row: [code] for row, code in expected.items()}

    member_import_apply(member_import=member_import, only_valid_rows=True)
    assert Member.objects.count() == before + 55


def test_semicolon_separated_csv_is_read(organizer, organization):
    content = b"Nama;No HP;Organisasi\nSiti Aminah;0812-3456-7890;\n"
    member_import = create_import(organizer, organization, content)

    assert member_import.mapping == {"0": "full_name", "1": "phone", "2": "organization"}
    member_import = member_import_validate(member_import=member_import)
    member_import_apply(member_import=member_import, only_valid_rows=True)
    assert str(Member.objects.get(full_name="Siti Aminah").phone) == "+6281234567890"


def test_columns_are_guessed_from_indonesian_and_english_headers():
    indonesian = ["Nama", "WhatsApp", "No. KTP", "Nomor Anggota", "Serikat", "Kabupaten/Kota"]
    english = ["Full name", "Phone", "E-mail", "Member number", "Gender", "Birth year", "Notes"]

    assert guess_mapping(indonesian) == {
        "0": "full_name",
        "1": "phone",
        "2": "nik",
        "3": "member_number",
        "4": "organization",
        "5": "region",
    }
    assert guess_mapping(english) == {
        "0": "full_name",
        "1": "phone",
        "2": "email",
        "3": "member_number",
        "4": "gender",
        "5": "birth_year",
    }
    assert guess_mapping(["L/P", "Tahun lahir", "Jabatan", "Bahasa", "Kanal", "Telepon"]) == {
        "0": "gender",
        "1": "birth_year",
        "2": "position",
        "3": "preferred_language",
        "4": "preferred_channel",
        "5": "phone",
    }


def test_organization_is_found_by_short_name_or_name_among_managed_ones(organizer, organization):
    child = OrganizationFactory(
        parent=organization, name="PUK PT Maju Jaya", short_name="PUK-MJ", kind="workplace_union"
    )
    foreign = OrganizationFactory(name="Serikat Lain", short_name="LAIN")
    rows = [
        ["Nama", "No HP", "Organisasi"],
        ["A", "081234567801", "puk-mj"],
        ["B", "081234567802", "PUK PT Maju Jaya"],
        ["C", "081234567803", foreign.short_name],
        ["D", "081234567804", ""],
    ]
    content = "\n".join(",".join(row) for row in rows).encode()
    member_import = member_import_validate(
        member_import=create_import(organizer, organization, content)
    )
    assert reported(member_import) == {4: ["organization_unknown"]}

    member_import_apply(member_import=member_import, only_valid_rows=True)
    assert Member.objects.get(full_name="A").organization == child
    assert Member.objects.get(full_name="B").organization == child
    assert Member.objects.get(full_name="D").organization == organization


def test_validation_looks_up_duplicates_per_chunk_not_per_row(organizer, organization):
    content, _expected = import_files.csv_bytes(1_000, organization=organization.short_name)
    member_import = create_import(organizer, organization, content)

    with CaptureQueriesContext(connection) as queries:
        member_import_validate(member_import=member_import)

    # claim (savepoint, lock, status, release), lookups (organizations, regions); per
    # 500-row chunk: phones, NIKs, member numbers, progress; the result, the reload
    assert len(queries) == 4 + 2 + 2 * 4 + 2, [query["sql"][:90] for query in queries]


def test_a_failed_import_can_be_checked_again(client, organizer, organization):
    content, _expected = import_files.csv_bytes(5)
    member_import = create_import(organizer, organization, content)
    MemberImport.objects.filter(pk=member_import.pk).update(
        status=Status.FAILED, failure="OperationalError: server closed the connection"
    )
    client.force_login(organizer)
    detail = english_url("members:import_detail", pk=member_import.pk)
    assert "no member was added" in client.get(detail).content.decode()

    client.post(detail, mapping_post(member_import))

    assert MemberImport.objects.get().status == Status.VALIDATED


# --- Apply: one transaction, re-checked, idempotent --------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="uses a Postgres trigger")
def test_a_database_error_during_apply_adds_nobody(organizer, organization):
    content, _expected = import_files.csv_bytes(1_200)
    member_import = member_import_validate(
        member_import=create_import(organizer, organization, content)
    )
    with connection.cursor() as cursor:  # refuses row 1,100: two chunks are in by then
        cursor.execute(
            "CREATE FUNCTION test_refuse_member() RETURNS trigger AS $$ BEGIN "
            "IF NEW.full_name = 'Anggota Nomor 1100' THEN RAISE EXCEPTION 'refused'; END IF; "
            "RETURN NEW; END $$ LANGUAGE plpgsql"
        )
        cursor.execute(
            "CREATE TRIGGER test_refuse_member BEFORE INSERT ON members_member "
            "FOR EACH ROW EXECUTE FUNCTION test_refuse_member()"
        )

    member_import = member_import_apply(member_import=member_import, only_valid_rows=True)

    assert member_import.status == Status.FAILED
    assert "refused" in member_import.failure
    assert member_import.imported_rows == 0
    assert Member.objects.count() == 0


def test_apply_gives_up_when_the_database_changed_since_the_check(organizer, organization):
    content, _expected = import_files.csv_bytes(20)
    member_import = member_import_validate(
        member_import=create_import(organizer, organization, content)
    )
    assert member_import.invalid_rows == 0
    MemberFactory(phone=import_files.good_phone_e164(5))  # added meanwhile by someone else

    member_import = member_import_apply(member_import=member_import, only_valid_rows=True)

    assert member_import.status == Status.VALIDATED
    assert reported(member_import) == {7: ["phone_exists"]}
    assert Member.objects.count() == 1


def test_tasks_do_their_work_once(organizer, organization):
    content, _expected = import_files.csv_bytes(30, bad=["bad_phone"])
    member_import = create_import(organizer, organization, content)

    assert validate_import(member_import.pk) == Status.VALIDATED
    assert validate_import(member_import.pk) == Status.VALIDATED
    assert apply_import(member_import.pk, only_valid_rows=True) == Status.IMPORTED
    assert apply_import(member_import.pk, only_valid_rows=True) == Status.IMPORTED
    assert apply_import(member_import.pk, only_valid_rows=False) == Status.IMPORTED

    assert Member.objects.count() == 29
    assert validate_import(987_654) is None


def test_nothing_can_be_applied_before_the_check(organizer, organization):
    content, _expected = import_files.csv_bytes(3)
    member_import = create_import(organizer, organization, content)

    member_import = member_import_apply(member_import=member_import, only_valid_rows=True)

    assert member_import.status == Status.UPLOADED
    assert Member.objects.count() == 0


# --- Pages ------------------------------------------------------------------------------


def test_upload_map_check_and_import_through_the_pages(client, organizer, organization):
    client.force_login(organizer)
    content, expected = import_files.csv_bytes(
        12, bad=["bad_nik_length"], organization=organization.short_name
    )
    start = english_url("members:import_start")
    assert client.get(start).status_code == 200

    response = client.post(
        start,
        {
            "file": SimpleUploadedFile("anggota.csv", content),
            "default_organization": organization.pk,
        },
    )
    member_import = MemberImport.objects.get()
    detail = english_url("members:import_detail", pk=member_import.pk)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/import/{member_import.pk}/")
    page = client.get(detail).content.decode()
    assert "Anggota Nomor 0" in page  # the preview
    assert 'name="column_1"' in page

    client.post(detail, mapping_post(member_import))
    page = client.get(detail).content.decode()
    (bad_row,) = expected
    assert "Import 11 valid rows" in page
    assert f"<td>{bad_row}</td>" in page
    assert "does not have exactly 16 digits" in page

    client.post(detail, {"decision": "valid_rows"})
    assert Member.objects.count() == 11
    assert "11 members were imported." in client.get(detail).content.decode()


def test_import_nothing_through_the_pages(client, organizer, organization):
    client.force_login(organizer)
    content, _expected = import_files.csv_bytes(5)
    member_import = create_import(organizer, organization, content)
    detail = english_url("members:import_detail", pk=member_import.pk)
    client.post(detail, mapping_post(member_import))

    client.post(detail, {"decision": "nothing"})

    assert MemberImport.objects.get().status == Status.DISCARDED
    assert Member.objects.count() == 0
    assert "Nothing was imported" in client.get(detail).content.decode()


def test_full_name_and_phone_must_be_mapped(client, organizer, organization):
    client.force_login(organizer)
    content, _expected = import_files.csv_bytes(5)
    member_import = create_import(organizer, organization, content)
    detail = english_url("members:import_detail", pk=member_import.pk)

    response = client.post(detail, mapping_post(member_import, column_1=""))

    assert response.status_code == 200
    assert "Choose the column for “Phone (WhatsApp)”." in response.content.decode()
    assert MemberImport.objects.get().status == Status.UPLOADED


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("anggota.txt", b"Nama,No HP\nA,0812\n", "Upload a .csv or .xlsx file."),
        ("anggota.xlsx", b"this is no workbook", "The file cannot be read as Excel (.xlsx)."),
        ("anggota.csv", "Nama,No HP\nJosé,0812\n".encode("cp1252"), "is not UTF-8 text"),
        ("anggota.csv", b"Nama,No HP\n", "The file has column names but no rows."),
        ("anggota.csv", b"", "The submitted file is empty."),
    ],
)
def test_bad_files_are_refused_with_a_message_and_not_stored(
    client, organizer, organization, settings, name, content, message
):
    client.force_login(organizer)

    response = client.post(
        english_url("members:import_start"),
        {"file": SimpleUploadedFile(name, content), "default_organization": organization.pk},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert MemberImport.objects.count() == 0
    assert stored_files(settings) == []


def test_files_over_the_size_limit_are_refused(client, organizer, organization, settings):
    settings.MEMBER_IMPORT_MAX_UPLOAD_MB = 1
    client.force_login(organizer)
    content = b"Nama,No HP\n" + b"Siti,0812-3456-7890\n" * 60_000

    response = client.post(
        english_url("members:import_start"),
        {"file": SimpleUploadedFile("big.csv", content), "default_organization": organization.pk},
    )

    assert "The file is larger than 1 MB" in response.content.decode()
    assert MemberImport.objects.count() == 0
    assert stored_files(settings) == []


def test_default_organization_must_be_one_the_user_manages(client, organizer):
    client.force_login(organizer)
    content, _expected = import_files.csv_bytes(3)

    response = client.post(
        english_url("members:import_start"),
        {
            "file": SimpleUploadedFile("anggota.csv", content),
            "default_organization": OrganizationFactory().pk,
        },
    )

    assert response.status_code == 200
    assert MemberImport.objects.count() == 0


def test_large_files_are_checked_and_imported_by_celery_tasks(
    client, organizer, organization, settings, django_capture_on_commit_callbacks
):
    settings.MEMBER_IMPORT_INLINE_MAX_ROWS = 10
    client.force_login(organizer)
    content, _expected = import_files.csv_bytes(40, bad=["bad_email"])
    member_import = create_import(organizer, organization, content)
    detail = english_url("members:import_detail", pk=member_import.pk)
    progress = english_url("members:import_progress", pk=member_import.pk)

    with django_capture_on_commit_callbacks() as queued:
        client.post(detail, mapping_post(member_import))
    assert MemberImport.objects.get().status == Status.VALIDATING
    assert "import-progress" in client.get(detail).content.decode()
    assert 'data-running="true"' in client.get(progress).content.decode()
    assert len(queued) == 1
    queued[0]()  # the worker runs validate_import
    assert MemberImport.objects.get().status == Status.VALIDATED
    assert 'data-running="false"' in client.get(progress).content.decode()

    with django_capture_on_commit_callbacks() as queued:
        client.post(detail, {"decision": "valid_rows"})
    assert MemberImport.objects.get().status == Status.IMPORTING
    assert Member.objects.count() == 0
    (run_apply,) = queued
    run_apply()  # the worker runs apply_import
    assert MemberImport.objects.get().status == Status.IMPORTED
    assert Member.objects.count() == 39


def test_an_import_is_only_visible_to_its_uploader_and_superusers(client, organizer, organization):
    content, _expected = import_files.csv_bytes(3)
    member_import = create_import(organizer, organization, content)
    colleague = UserFactory()
    OrganizationRoleFactory(user=colleague, organization=organization, role="organizer")
    detail = reverse("members:import_detail", kwargs={"pk": member_import.pk})

    client.force_login(colleague)
    assert client.get(detail).status_code == 404
    assert client.post(detail, {"decision": "nothing"}).status_code == 404
    client.force_login(UserFactory(is_superuser=True))
    assert client.get(detail).status_code == 200
    assert MemberImport.objects.get().status == Status.UPLOADED


@pytest.mark.parametrize("bad_rows", [3, 45])
def test_the_report_page_costs_the_same_queries_for_few_or_many_bad_rows(
    client, organizer, organization, bad_rows, request
):
    content, _expected = import_files.csv_bytes(60, bad=import_files.mixed_bad_kinds(bad_rows))
    member_import = member_import_validate(
        member_import=create_import(organizer, organization, content)
    )
    client.force_login(organizer)
    url = reverse("members:import_detail", kwargs={"pk": member_import.pk})
    client.get(url)  # warm up: session, reach

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == 200
    # session, user, reach, the import; the navbar's profile check. Nothing per row.
    assert len(queries) <= 6, [query["sql"] for query in queries]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("url_name", "state", "expected"), IMPORT_EXPORT_PERMISSIONS)
def test_import_export_permission_rows(
    client, role, url_name, state, expected, organization, request
):
    kwargs = import_kwargs(state, organization=organization, request=request) if state else {}
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))

    response = client.get(reverse(url_name, kwargs=kwargs))

    if expected[role] == LOGIN_REDIRECT:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected[role]


def test_with_the_broker_down_a_large_import_fails_and_can_be_checked_again(
    client, organizer, organization, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.MEMBER_IMPORT_INLINE_MAX_ROWS = 10
    client.force_login(organizer)
    content, _expected = import_files.csv_bytes(40)
    member_import = create_import(organizer, organization, content)
    detail = english_url("members:import_detail", pk=member_import.pk)

    def broker_refuses(*args, **kwargs):
        raise KombuOperationalError("[Errno 111] Connection refused")

    monkeypatch.setattr(tasks.validate_import, "delay", broker_refuses)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail, mapping_post(member_import))

    member_import.refresh_from_db()
    assert member_import.status == Status.FAILED
    assert "broker" in member_import.failure
    assert Member.objects.count() == 0
    monkeypatch.undo()
    with django_capture_on_commit_callbacks() as queued:
        client.post(detail, mapping_post(member_import))
    assert MemberImport.objects.get().status == Status.VALIDATING
    assert len(queued) == 1


def test_undecided_imports_are_discarded_with_their_files_after_the_keep_period(
    organizer, organization, settings, django_capture_on_commit_callbacks
):
    content, _expected = import_files.csv_bytes(3)
    forgotten = create_import(organizer, organization, content)
    recent = create_import(organizer, organization, content, name="baru.csv")
    MemberImport.objects.filter(pk=forgotten.pk).update(
        created_at=timezone.now() - timedelta(days=settings.MEMBER_IMPORT_KEEP_DAYS + 1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        discarded = tasks.discard_stale_imports()

    assert discarded == 1
    forgotten.refresh_from_db()
    recent.refresh_from_db()
    assert forgotten.status == Status.DISCARDED
    assert not forgotten.file
    assert recent.status == Status.UPLOADED
    assert [path.name for path in stored_files(settings)] == [Path(recent.file.name).name]
