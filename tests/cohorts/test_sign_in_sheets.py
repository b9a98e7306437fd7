"""The paper fallback: the printed sign-in sheet, the signed sheets kept as evidence, and
marking attendance from them on the roll call (``?from=sheet``).

Texts are read under /en/ or translation.override("en")."""

import io
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from PIL import Image
from pypdf import PdfReader

from cohorts.models import Attendance, AttendanceSheet, Cohort, Enrollment, Session
from cohorts.selectors.session_log import session_for_log, sign_in_sheet
from cohorts.sign_in_sheets import sign_in_sheet_pdf
from members.models import Member
from tests.cohorts.factories import CohortFactory, EnrollmentFactory, SessionFactory
from tests.cohorts.images import PDF_BYTES, image_bytes, jpeg_upload, upload
from tests.members.factories import (
    MemberFactory,
    OrganizationFactory,
    OrganizationRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NAMES = ["Wayan Sudarsana", "Dédé Suryadi", "Ni Komang Ayu Wulandari", "Andi Ma'ruf Daeng Ngalle"]


def url(name: str, session: Session, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs={"pk": session.pk, **kwargs})


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


@pytest.fixture
def trainer_member(trainer, organization):
    return MemberFactory(user=trainer, organization=organization, full_name="Rudi Hartono")


@pytest.fixture
def cohort(organization):
    return CohortFactory(
        organizers=[organization],
        status=Cohort.Status.RUNNING,
        time_zone="Asia/Makassar",
        title="TOT Dialog Sosial Makassar",
        venue_name="Aula Serikat Pekerja",
    )


@pytest.fixture
def session(cohort, trainer_member):
    return SessionFactory(
        cohort=cohort, trainers=[trainer_member], title="Strategi berunding", room="R2"
    )


@pytest.fixture
def seats(cohort):
    return [EnrollmentFactory(cohort=cohort, member__full_name=name) for name in NAMES]


@pytest.fixture
def as_trainer(client, trainer, trainer_member):
    client.force_login(trainer)
    return client


# --- the printed sheet -----------------------------------------------------------------------


def test_the_sheet_lists_confirmed_participants_by_name_under_the_sessions_header(
    as_trainer, session, seats, cohort
):
    EnrollmentFactory(cohort=cohort, status=Enrollment.Status.WAITLISTED, member__full_name="Zed")
    EnrollmentFactory(cohort=cohort, status=Enrollment.Status.CANCELLED, member__full_name="Yuli")

    response = as_trainer.get(url("cohorts:sign_in_sheet", session))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    (text,) = pdf_pages(response.content)
    for expected in (
        "Sign-in sheet",
        "TOT Dialog Sosial Makassar",
        "Strategi berunding",
        "09:00–10:30 WITA",
        "Aula Serikat Pekerja",
        "Room: R2",
        "Trainers: Rudi Hartono",
        "Signature",
        "Arrived",
        "Page 1 of 1",
    ):
        assert expected in text
    assert "Zed" not in text
    assert "Yuli" not in text
    positions = [text.index(name) for name in sorted(NAMES)]
    assert positions == sorted(positions)
    assert "1\nAndi Ma'ruf" in text or "1 Andi Ma'ruf" in text


def test_sixty_people_fill_pages_that_each_repeat_the_header_and_count_themselves(
    session, cohort, organization
):
    members = Member.objects.bulk_create(
        MemberFactory.build(organization=organization, full_name=f"Peserta Ṣālih {number:02d}")
        for number in range(60)
    )
    Enrollment.objects.bulk_create(
        Enrollment(cohort=cohort, member=member, status=Enrollment.Status.CONFIRMED)
        for member in members
    )

    with translation.override("en"):
        content = sign_in_sheet_pdf(sign_in_sheet(session=session_for_log(pk=session.pk)))

    pages = pdf_pages(content)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "Strategi berunding" in page
        assert "Signature" in page  # the table's titles repeat
    whole = "".join(pages)
    assert all(f"Peserta Ṣālih {number:02d}" in whole for number in range(60))
    assert "Not on the list?" in pages[-1]


def test_the_sheet_is_in_indonesian_on_unprefixed_urls(client, trainer, trainer_member, session):
    client.force_login(trainer)

    response = client.get(reverse("cohorts:sign_in_sheet", kwargs={"pk": session.pk}))

    with translation.override("id"):
        expected = translation.gettext("Page %(page)s of %(total)s") % {"page": 1, "total": 1}
    assert expected in pdf_pages(response.content)[0]


@pytest.mark.parametrize("count", [10, 60])
def test_the_sheet_costs_the_same_queries_for_10_or_60(
    as_trainer, session, cohort, organization, count, django_assert_max_num_queries
):
    members = Member.objects.bulk_create(
        MemberFactory.build(organization=organization) for _ in range(count)
    )
    Enrollment.objects.bulk_create(
        Enrollment(cohort=cohort, member=member, status=Enrollment.Status.CONFIRMED)
        for member in members
    )

    # login session, user, session + cohort + region, is-trainer check; the sheet: people
    # (with organization), organizers, trainers
    with django_assert_max_num_queries(7):
        response = as_trainer.get(url("cohorts:sign_in_sheet", session))

    # A long name wraps inside its cell: compare with the line breaks as spaces.
    text = " ".join(" ".join(pdf_pages(response.content)).split())
    missing = [m.full_name for m in members if " ".join(m.full_name.split()) not in text]
    assert not missing


def test_the_selector_reads_three_queries(session, seats, django_assert_num_queries):
    loaded = session_for_log(pk=session.pk)

    with django_assert_num_queries(3):
        sheet = sign_in_sheet(session=loaded)

    assert [row.name for row in sheet.rows] == sorted(NAMES)
    assert [row.number for row in sheet.rows] == [1, 2, 3, 4]


# --- who -------------------------------------------------------------------------------------


def _trainer_of_another_session(cohort, organization):
    user = UserFactory()
    OrganizationRoleFactory(user=user, organization=organization, role="trainer")
    SessionFactory(cohort=cohort, trainers=[MemberFactory(user=user, organization=organization)])
    return user


def _organizer_elsewhere(cohort, organization):
    user = UserFactory()
    OrganizationRoleFactory(user=user, organization=OrganizationFactory(), role="organizer")
    return user


@pytest.mark.parametrize("make_user", [_trainer_of_another_session, _organizer_elsewhere])
def test_anyone_but_the_takers_gets_404_and_changes_nothing(
    client, media, organization, cohort, session, make_user
):
    sheet = AttendanceSheet(session=session)
    sheet.file.save("sheet.jpg", jpeg_upload(), save=True)
    client.force_login(make_user(cohort, organization))

    assert client.get(url("cohorts:sign_in_sheet", session)).status_code == 404
    assert client.get(url("cohorts:attendance_sheets", session)).status_code == 404
    posted = client.post(url("cohorts:attendance_sheets", session), {"files": jpeg_upload()})
    assert posted.status_code == 404
    file_url = url("cohorts:attendance_sheet_file", session, sheet_pk=sheet.pk)
    assert client.get(file_url).status_code == 404
    delete_url = url("cohorts:attendance_sheet_delete", session, sheet_pk=sheet.pk)
    assert client.post(delete_url).status_code == 404
    assert AttendanceSheet.objects.count() == 1


def test_a_sheet_of_another_session_is_404(as_trainer, media, session, cohort):
    other = AttendanceSheet(session=SessionFactory(cohort=cohort))
    other.file.save("sheet.jpg", jpeg_upload(), save=True)

    response = as_trainer.get(url("cohorts:attendance_sheet_file", session, sheet_pk=other.pk))

    assert response.status_code == 404


# --- uploading the signed sheet --------------------------------------------------------------


def test_photos_and_a_pdf_scan_are_kept_as_pages(as_trainer, media, session, trainer):
    files = [
        jpeg_upload("halaman1.jpg", 3000, 4000),
        upload("halaman2.png", image_bytes(fmt="PNG"), "image/png"),
        upload("scan.pdf", PDF_BYTES, "application/pdf"),
    ]

    response = as_trainer.post(
        url("cohorts:attendance_sheets", session), {"files": files, "note": "Hari 1"}
    )

    assert response.status_code == 302
    assert texts(response) == ["3 files kept."]
    sheets = list(AttendanceSheet.objects.order_by("id"))
    assert [Path(s.file.name).suffix for s in sheets] == [".jpg", ".jpg", ".pdf"]
    assert {(s.uploaded_by, s.note) for s in sheets} == {(trainer, "Hari 1")}
    with Image.open(sheets[0].file.path) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) == 1600
    assert Path(sheets[2].file.path).read_bytes() == PDF_BYTES
    page = as_trainer.get(url("cohorts:attendance_sheets", session)).content.decode()
    assert url("cohorts:attendance_sheet_file", session, sheet_pk=sheets[0].pk) in page
    assert f"{url('cohorts:roll_call', session)}?from=sheet" in page


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("daftar.jpg", b"MZ\x90\x00\x03" + b"\x00" * 200, "not a JPEG or PNG image"),
        ("daftar.jpg", b"Nama: Siti, hadir\n" * 20, "not a JPEG or PNG image"),
        ("daftar.pdf", image_bytes(), "not a PDF"),
        ("daftar.exe", b"MZ\x90\x00\x03", "Upload a photo (JPEG or PNG) or a scan as a PDF"),
        ("daftar.gif", b"GIF89a" + b"\x00" * 20, "Upload a photo (JPEG or PNG) or a scan as a PDF"),
    ],
    ids=["exe as jpg", "text as jpg", "jpeg as pdf", "exe", "gif"],
)
def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_kept(
    as_trainer, media, session, name, content, problem
):
    files = [jpeg_upload("good.jpg"), upload(name, content, "image/jpeg")]

    response = as_trainer.post(url("cohorts:attendance_sheets", session), {"files": files})

    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert name in errors[0]
    assert problem in errors[0]
    assert not AttendanceSheet.objects.exists()
    assert stored_files(media) == []


def test_an_oversized_file_is_refused(as_trainer, media, session, settings):
    settings.SESSION_LOG_MAX_UPLOAD_MB = 1
    big = upload("besar.pdf", PDF_BYTES + b"0" * (1024 * 1024), "application/pdf")

    response = as_trainer.post(url("cohorts:attendance_sheets", session), {"files": [big]})

    assert "larger than 1 MB" in response.context["form"].non_field_errors()[0]
    assert not AttendanceSheet.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize("data", [{"note": "x"}, {}])
def test_no_file_is_refused_with_a_message(as_trainer, session, data):
    response = as_trainer.post(url("cohorts:attendance_sheets", session), data)

    assert response.status_code == 200
    assert response.context["form"].errors["files"] == [
        "Choose at least one photo or scan of the signed sheet."
    ]
    assert not AttendanceSheet.objects.exists()


def test_a_completed_training_takes_no_more_sheets(as_trainer, media, cohort, session):
    Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.COMPLETED)

    response = as_trainer.post(url("cohorts:attendance_sheets", session), {"files": jpeg_upload()})

    assert response.context["form"].non_field_errors() == [
        "The training is “Completed”: attendance can no longer be changed."
    ]
    assert stored_files(media) == []


def test_the_sheet_is_served_to_takers_and_removed_with_its_file(
    as_trainer, media, session, django_capture_on_commit_callbacks
):
    as_trainer.post(url("cohorts:attendance_sheets", session), {"files": jpeg_upload()})
    sheet = AttendanceSheet.objects.get()

    served = as_trainer.get(url("cohorts:attendance_sheet_file", session, sheet_pk=sheet.pk))
    body = b"".join(served.streaming_content)
    with django_capture_on_commit_callbacks(execute=True):
        removed = as_trainer.post(
            url("cohorts:attendance_sheet_delete", session, sheet_pk=sheet.pk)
        )

    assert served["Content-Type"] == "image/jpeg"
    assert body.startswith(b"\xff\xd8\xff")
    assert texts(removed)[-1] == "The file was removed."
    assert not AttendanceSheet.objects.exists()
    assert stored_files(media) == []


# --- marking from the sheet ------------------------------------------------------------------


def test_marks_from_the_sheet_page_are_paper_marks_and_come_back_to_it(
    as_trainer, media, session, seats
):
    as_trainer.post(url("cohorts:attendance_sheets", session), {"files": jpeg_upload()})
    sheet = AttendanceSheet.objects.get()
    sheet_view = f"{url('cohorts:roll_call', session)}?from=sheet"

    page = as_trainer.get(sheet_view).content.decode()
    tap = as_trainer.post(
        url("cohorts:roll_call_mark", session),
        {"enrollment": seats[0].pk, "status": "late", "method": "paper"},
    )
    everyone = as_trainer.post(url("cohorts:roll_call_all_present", session), {"method": "paper"})

    assert url("cohorts:attendance_sheet_file", session, sheet_pk=sheet.pk) in page
    assert page.count('name="method" value="paper"') == 1 + 2 * len(seats)
    assert tap["Location"] == f"{sheet_view}#person-{seats[0].pk}"
    assert everyone["Location"] == sheet_view
    marks = dict(Attendance.objects.values_list("enrollment", "status"))
    assert marks[seats[0].pk] == "late"
    assert set(Attendance.objects.values_list("method", flat=True)) == {"paper"}


def test_the_ordinary_roll_call_still_records_a_roll_call(as_trainer, session, seats):
    page = as_trainer.get(url("cohorts:roll_call", session)).content.decode()
    as_trainer.post(
        url("cohorts:roll_call_mark", session),
        {"enrollment": seats[0].pk, "status": "present", "method": "roll_call"},
    )
    forged = as_trainer.post(
        url("cohorts:roll_call_mark", session),
        {"enrollment": seats[1].pk, "status": "present", "method": "qr_self"},
    )

    assert 'name="method" value="roll_call"' in page
    assert "signed-sheets" not in page
    assert forged["Location"].startswith(url("cohorts:roll_call", session) + "#")
    assert set(Attendance.objects.values_list("method", flat=True)) == {"roll_call"}


@pytest.mark.parametrize(("people", "sheets"), [(10, 1), (200, 6)])
def test_the_sheet_view_of_the_roll_call_costs_one_query_more(
    as_trainer, media, cohort, session, people, sheets, django_assert_max_num_queries
):
    members = Member.objects.bulk_create(
        MemberFactory.build(organization=cohort.organizers.first()) for _ in range(people)
    )
    Enrollment.objects.bulk_create(
        Enrollment(cohort=cohort, member=member, status=Enrollment.Status.CONFIRMED)
        for member in members
    )
    for _ in range(sheets):
        sheet = AttendanceSheet(session=session)
        sheet.file.save("sheet.jpg", jpeg_upload(), save=True)

    # the roll call's eight (see test_roll_call.py) and the sheets (with their uploaders)
    with django_assert_max_num_queries(9):
        response = as_trainer.get(f"{url('cohorts:roll_call', session)}?from=sheet")

    assert len(response.context["roll_call"].entries) == people
    assert len(response.context["sheets"]) == sheets
