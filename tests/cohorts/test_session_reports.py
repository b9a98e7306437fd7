"""The session report: drafts, submitting (the session becomes held), reopening by the
cohort's organizers, photos checked and resized, and who reaches any of it.

Texts are read under /en/ (the English catalogue answers with the msgids)."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from cohorts.demo import demo_data_load
from cohorts.models import Cohort, Session, SessionReport, SessionReportPhoto
from tests.cohorts.factories import CohortFactory, SessionFactory
from tests.cohorts.images import ORIENTATION, image_bytes, jpeg_upload, upload
from tests.curriculum.factories import DraftCurriculumFactory, ModuleFactory
from tests.members.factories import (
    MemberFactory,
    OrganizationFactory,
    OrganizationRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SUBMITTED_IS_FINAL = "This report was submitted. An organizer must reopen it before it can change."


def url(name: str, session: Session, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs={"pk": session.pk, **kwargs})


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def trainer_member(trainer, organization):
    return MemberFactory(user=trainer, organization=organization)


@pytest.fixture
def cohort(organization):
    """Running since two days ago, so its first session has taken place."""
    starts_on = timezone.localdate() - dt.timedelta(days=2)
    return CohortFactory(
        organizers=[organization],
        status=Cohort.Status.RUNNING,
        starts_on=starts_on,
        time_zone="Asia/Jayapura",
        # Still a draft so the tests can add modules (the database freezes published ones).
        curriculum=DraftCurriculumFactory(),
    )


@pytest.fixture
def modules(cohort):
    return [
        ModuleFactory(curriculum=cohort.curriculum, title=title, position=position)
        for position, title in enumerate(["Dialog sosial", "Negosiasi", "Data dan argumen"], 1)
    ]


@pytest.fixture
def session(cohort, trainer_member, modules):
    return SessionFactory(cohort=cohort, trainers=[trainer_member], modules=modules[:2])


@pytest.fixture
def as_trainer(client, trainer, trainer_member):
    client.force_login(trainer)
    return client


def report_data(modules=(), action="save", **texts_) -> dict:
    return {
        "modules_covered": [module.pk for module in modules],
        "went_well": "Diskusi hidup.",
        "challenges": "",
        "participant_questions": "Bagaimana dengan PHK?",
        "follow_up_actions": "Kirim materi.",
        "action": action,
        **texts_,
    }


def submitted(client, session, modules) -> None:
    response = client.post(url("cohorts:session_report", session), report_data(modules, "submit"))
    assert response.status_code == 302, response.context["form"].errors


# --- draft and submit ------------------------------------------------------------------------


def test_a_draft_keeps_the_text_and_leaves_the_session_scheduled(
    as_trainer, trainer, session, modules
):
    response = as_trainer.post(url("cohorts:session_report", session), report_data(modules[:1]))

    assert response.status_code == 302
    assert texts(response) == ["The draft was saved."]
    report = SessionReport.objects.get()
    assert (report.status, report.written_by, report.went_well) == (
        "draft",
        trainer,
        "Diskusi hidup.",
    )
    assert list(report.modules_covered.all()) == modules[:1]
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED
    page = as_trainer.get(url("cohorts:session_report", session))
    assert page.context["form"].initial["modules_covered"] == [modules[0].pk]


@pytest.mark.parametrize("role", ["trainer", "organizer"])
def test_submitting_marks_the_session_held_and_nothing_else(
    client, request, role, trainer_member, session, modules
):
    user = request.getfixturevalue(role)
    client.force_login(user)
    sequence = session.sequence

    response = client.post(
        url("cohorts:session_report", session), report_data(modules[:2], "submit")
    )

    assert texts(response) == ["The report was submitted; the session is marked as held."]
    report = SessionReport.objects.get()
    assert report.status == SessionReport.Status.SUBMITTED
    assert report.written_by == user
    assert timezone.now() - report.submitted_at < dt.timedelta(minutes=1)
    session.refresh_from_db()
    assert (session.status, session.sequence) == (Session.Status.HELD, sequence)


def test_submit_needs_a_module_covered_or_a_reason(as_trainer, session, modules):
    refused = as_trainer.post(url("cohorts:session_report", session), report_data((), "submit"))
    explained = as_trainer.post(
        url("cohorts:session_report", session),
        report_data((), "submit", challenges="Listrik padam, sesi diganti diskusi."),
    )

    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors() == [
        (
            "Tick the modules that were covered. If none was, explain why under “Challenges” "
            "before submitting."
        )
    ]
    assert explained.status_code == 302
    assert SessionReport.objects.get().status == SessionReport.Status.SUBMITTED


def test_a_module_not_planned_for_the_session_is_refused(as_trainer, session, modules):
    response = as_trainer.post(
        url("cohorts:session_report", session), report_data([modules[2]], "submit")
    )

    assert "modules_covered" in response.context["form"].errors
    assert not SessionReport.objects.exists()
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED


def test_a_session_still_to_come_cannot_be_submitted(as_trainer, cohort, trainer_member, modules):
    later = timezone.now() + dt.timedelta(days=1)
    upcoming = SessionFactory(
        cohort=cohort,
        trainers=[trainer_member],
        modules=modules,
        starts_at=later,
        ends_at=later + dt.timedelta(hours=1),
    )

    response = as_trainer.post(
        url("cohorts:session_report", upcoming), report_data(modules[:2], "submit")
    )

    assert response.context["form"].non_field_errors() == [
        "This session has not started yet. Submit its report once it has taken place."
    ]
    assert not SessionReport.objects.exists()


def test_a_cancelled_session_gets_no_report(as_trainer, session, modules):
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)

    page = as_trainer.get(url("cohorts:session_report", session))
    response = as_trainer.post(
        url("cohorts:session_report", session), report_data(modules[:2], "submit")
    )

    assert page.context["form"] is None
    assert "This session was cancelled; it gets no report." in page.content.decode()
    assert texts(response) == ["This session was cancelled; it gets no report."]
    assert not SessionReport.objects.exists()
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED


def test_a_completed_training_takes_no_report(as_trainer, cohort, session, modules):
    Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.COMPLETED)

    response = as_trainer.post(
        url("cohorts:session_report", session), report_data(modules[:2], "submit")
    )

    assert texts(response) == [
        "The training is “Completed”: its session reports can no longer be changed."
    ]
    assert not SessionReport.objects.exists()


def test_after_submitting_the_report_reads_only(as_trainer, media, session, modules):
    submitted(as_trainer, session, modules[:2])
    photo_report = SessionReport.objects.get()

    page = as_trainer.get(url("cohorts:session_report", session))
    changed = as_trainer.post(
        url("cohorts:session_report", session), report_data((), went_well="Diubah")
    )
    photo = as_trainer.post(
        url("cohorts:session_report_photos", session), {"photos": jpeg_upload()}
    )

    assert page.context["form"] is None
    assert page.context["reopen_form"] is None  # a trainer, not an organizer
    assert "Diskusi hidup." in page.content.decode()
    assert texts(changed) == [SUBMITTED_IS_FINAL]
    assert texts(photo)[-1] == SUBMITTED_IS_FINAL
    photo_report.refresh_from_db()
    assert photo_report.went_well == "Diskusi hidup."
    assert not SessionReportPhoto.objects.exists()


# --- reopening -------------------------------------------------------------------------------


def test_an_organizer_reopens_with_a_note_and_the_trainer_can_edit_again(
    client, organizer, trainer, session, modules
):
    client.force_login(organizer)
    submitted(client, session, modules[:2])
    page = client.get(url("cohorts:session_report", session))

    response = client.post(
        url("cohorts:session_report_reopen", session), {"note": "Modul 2 belum dicatat."}
    )

    assert page.context["reopen_form"] is not None
    assert texts(response)[-1] == "The report was reopened; the session is scheduled again."
    report = SessionReport.objects.get()
    assert (report.status, report.reopened_by, report.reopen_note) == (
        "draft",
        organizer,
        "Modul 2 belum dicatat.",
    )
    assert report.reopened_at is not None
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED
    client.force_login(trainer)
    assert client.get(url("cohorts:session_report", session)).context["form"] is not None


def test_reopening_needs_a_note(client, organizer, session, modules):
    client.force_login(organizer)
    submitted(client, session, modules[:2])

    response = client.post(url("cohorts:session_report_reopen", session), {"note": "  "})

    assert texts(response)[-1] == "Say why the report is reopened."
    assert SessionReport.objects.get().status == SessionReport.Status.SUBMITTED
    session.refresh_from_db()
    assert session.status == Session.Status.HELD


def test_the_sessions_trainer_cannot_reopen(as_trainer, session, modules):
    submitted(as_trainer, session, modules[:2])

    response = as_trainer.post(url("cohorts:session_report_reopen", session), {"note": "Salah"})

    assert response.status_code == 404
    assert SessionReport.objects.get().status == SessionReport.Status.SUBMITTED


def test_a_completed_training_cannot_reopen(client, organizer, cohort, session, modules):
    client.force_login(organizer)
    submitted(client, session, modules[:2])
    Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.COMPLETED)

    response = client.post(url("cohorts:session_report_reopen", session), {"note": "Salah"})

    assert texts(response)[-1] == (
        "The training is “Completed”: its session reports can no longer be reopened."
    )
    assert SessionReport.objects.get().status == SessionReport.Status.SUBMITTED


def test_only_a_submitted_report_is_reopened(client, organizer, session):
    client.force_login(organizer)

    response = client.post(url("cohorts:session_report_reopen", session), {"note": "Salah"})

    assert texts(response) == ["Only a submitted report can be reopened."]
    assert not SessionReport.objects.exists()


# --- who -------------------------------------------------------------------------------------


def _trainer_of_another_session(cohort, organization):
    user = UserFactory()
    OrganizationRoleFactory(user=user, organization=organization, role="trainer")
    SessionFactory(cohort=cohort, trainers=[MemberFactory(user=user, organization=organization)])
    return user


def _participant(cohort, organization):
    user = UserFactory()
    MemberFactory(user=user, organization=organization)
    return user


def _organizer_elsewhere(cohort, organization):
    user = UserFactory()
    OrganizationRoleFactory(user=user, organization=OrganizationFactory(), role="organizer")
    return user


@pytest.mark.parametrize(
    "make_user", [_trainer_of_another_session, _participant, _organizer_elsewhere]
)
def test_everyone_else_gets_404_and_changes_nothing(
    client, media, organization, cohort, session, modules, make_user
):
    report = SessionReport.objects.create(session=session, went_well="Asli")
    photo = SessionReportPhoto(report=report)
    photo.image.save("p.jpg", jpeg_upload(), save=False)
    photo.width, photo.height = photo.image.width, photo.image.height
    photo.save()
    client.force_login(make_user(cohort, organization))

    answers = [
        client.get(url("cohorts:session_report", session)),
        client.post(url("cohorts:session_report", session), report_data(modules[:2], "submit")),
        client.post(url("cohorts:session_report_photos", session), {"photos": jpeg_upload()}),
        client.get(url("cohorts:session_report_photo", session, photo_pk=photo.pk)),
        client.post(url("cohorts:session_report_photo_delete", session, photo_pk=photo.pk)),
        client.post(url("cohorts:session_report_reopen", session), {"note": "x"}),
    ]

    assert [answer.status_code for answer in answers] == [404] * 6
    report.refresh_from_db()
    assert (report.status, report.went_well) == ("draft", "Asli")
    assert SessionReportPhoto.objects.count() == 1


def test_a_photo_of_another_sessions_report_is_404(as_trainer, media, cohort, session):
    other = SessionReport.objects.create(session=SessionFactory(cohort=cohort))
    photo = SessionReportPhoto(report=other)
    photo.image.save("p.jpg", jpeg_upload(), save=False)
    photo.width, photo.height = 40, 30
    photo.save()

    response = as_trainer.get(url("cohorts:session_report_photo", session, photo_pk=photo.pk))

    assert response.status_code == 404


# --- photos ----------------------------------------------------------------------------------


def test_a_big_phone_photo_is_turned_upright_shrunk_and_stripped(as_trainer, media, session):
    # Orientation 6: the camera was held upright; the pixels lie on their side.
    big = jpeg_upload("IMG_0001.jpg", 4000, 3000, orientation=6)
    with Image.open(io.BytesIO(big.read())) as original:
        assert original.getexif()[ORIENTATION] == 6
    big.seek(0)

    response = as_trainer.post(url("cohorts:session_report_photos", session), {"photos": [big]})

    assert texts(response) == ["1 photo added."]
    photo = SessionReportPhoto.objects.get()
    with Image.open(photo.image.path) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (1200, 1600)
        assert dict(stored.getexif()) == {}
        assert "exif" not in stored.info
    assert (photo.width, photo.height) == (1200, 1600)
    assert photo.image.name.startswith("session-reports/")
    assert "IMG_0001" not in photo.image.name


def test_a_transparent_png_becomes_a_jpeg(as_trainer, media, session):
    output = io.BytesIO()
    Image.new("RGBA", (50, 40), (0, 0, 0, 0)).save(output, "PNG")

    as_trainer.post(
        url("cohorts:session_report_photos", session),
        {"photos": [upload("papan.png", output.getvalue(), "image/png")]},
    )

    with Image.open(SessionReportPhoto.objects.get().image.path) as stored:
        assert (stored.format, stored.mode, stored.size) == ("JPEG", "RGB", (50, 40))
        assert stored.getpixel((0, 0)) == (255, 255, 255)


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("foto.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 500, "not a JPEG or PNG image"),
        ("foto.jpg", b"bukan foto\n" * 50, "not a JPEG or PNG image"),
        ("foto.jpg", b"%PDF-1.4\n%%EOF", "not a JPEG or PNG image"),
        ("foto.exe", image_bytes(), "Upload a photo as a JPEG or PNG file."),
    ],
    ids=["exe as jpg", "text as jpg", "pdf as jpg", "jpeg as exe"],
)
def test_a_file_that_is_not_a_photo_is_refused_and_nothing_kept(
    as_trainer, media, session, name, content, problem
):
    files = [jpeg_upload("baik.jpg"), upload(name, content)]

    response = as_trainer.post(url("cohorts:session_report_photos", session), {"photos": files})

    (message,) = texts(response)
    assert message.startswith(f"“{name}”: ")
    assert problem in message
    assert not SessionReportPhoto.objects.exists()
    assert stored_files(media) == []


def test_an_oversized_photo_is_refused(as_trainer, media, session, settings):
    settings.SESSION_LOG_MAX_UPLOAD_MB = 1
    big = upload("besar.jpg", image_bytes() + b"\x00" * (1024 * 1024))

    response = as_trainer.post(url("cohorts:session_report_photos", session), {"photos": [big]})

    assert texts(response) == ["“besar.jpg”: The file is larger than 1 MB."]
    assert stored_files(media) == []


def test_a_report_holds_a_limited_number_of_photos(as_trainer, media, session, settings):
    settings.SESSION_REPORT_MAX_PHOTOS = 2
    as_trainer.post(url("cohorts:session_report_photos", session), {"photos": [jpeg_upload()]})

    response = as_trainer.post(
        url("cohorts:session_report_photos", session),
        {"photos": [jpeg_upload(), jpeg_upload()]},
    )

    assert texts(response)[-1] == "A report holds at most 2 photos; this one has 1 already."
    assert SessionReportPhoto.objects.count() == 1


def test_no_photo_chosen_is_a_message(as_trainer, session):
    response = as_trainer.post(url("cohorts:session_report_photos", session), {})

    assert texts(response) == ["Choose at least one photo."]


def test_photos_are_served_small_or_whole_and_removed_with_their_file(
    as_trainer, media, session, django_capture_on_commit_callbacks
):
    as_trainer.post(
        url("cohorts:session_report_photos", session),
        {"photos": [jpeg_upload("a.jpg", 2000, 1000)]},
    )
    photo = SessionReportPhoto.objects.get()
    photo_url = url("cohorts:session_report_photo", session, photo_pk=photo.pk)

    whole = b"".join(as_trainer.get(photo_url).streaming_content)
    thumb = as_trainer.get(f"{photo_url}?size=thumb")
    page = as_trainer.get(url("cohorts:session_report", session)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        removed = as_trainer.post(
            url("cohorts:session_report_photo_delete", session, photo_pk=photo.pk)
        )

    with Image.open(io.BytesIO(whole)) as image:
        assert image.size == (1600, 800)
    assert thumb["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(thumb.content)) as image:
        assert image.size == (480, 240)
    assert f"{photo_url}?size=thumb" in page
    assert texts(removed)[-1] == "The photo was removed."
    assert not SessionReportPhoto.objects.exists()
    assert stored_files(media) == []


# --- the page and the schedule ---------------------------------------------------------------


@pytest.mark.parametrize("photos", [1, 10])
def test_the_report_page_costs_the_same_queries_for_1_or_10_photos(
    client, organizer, media, cohort, session, trainer_member, photos, django_assert_max_num_queries
):
    more_modules = [ModuleFactory(curriculum=cohort.curriculum) for _ in range(photos)]
    session.modules.add(*more_modules)
    session.trainers.add(*MemberFactory.create_batch(photos))
    report = SessionReport.objects.create(
        session=session,
        status=SessionReport.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    report.modules_covered.set(more_modules)
    for _ in range(photos):
        photo = SessionReportPhoto(report=report, width=40, height=30)
        photo.image.save("p.jpg", jpeg_upload(), save=True)
    client.force_login(organizer)

    # login session, user, session + cohort + region, is-trainer and is-organizer checks;
    # report (with its writers), its modules, its photos, the session's modules and trainers;
    # may-reopen check; the navbar's two (roles in reach, member record)
    with django_assert_max_num_queries(13):
        response = client.get(url("cohorts:session_report", session))

    assert len(response.context["page"].photos) == photos
    assert len(response.context["page"].covered) == photos
    assert response.context["reopen_form"] is not None


@pytest.mark.parametrize("more", [0, 12])
def test_the_organizers_schedule_shows_each_sessions_report_state(
    client, organizer, cohort, session, modules, more, django_assert_max_num_queries
):
    for _ in range(more):
        SessionReport.objects.create(
            session=SessionFactory(cohort=cohort),
            status=SessionReport.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
    later = timezone.now() + dt.timedelta(days=3)
    upcoming = SessionFactory(cohort=cohort, starts_at=later, ends_at=later + dt.timedelta(hours=1))
    drafted = SessionFactory(cohort=cohort)
    SessionReport.objects.create(session=drafted)
    client.force_login(organizer)
    submitted(client, session, modules[:2])

    # no more than tests/cohorts/test_manage_views.py allows: the state rides on the sessions
    # query (a join), whatever the number of sessions
    with django_assert_max_num_queries(14):
        page = client.get(reverse("cohorts:manage_detail", kwargs={"slug": cohort.slug}))

    html = page.content.decode()
    report_url = url("cohorts:session_report", session).removeprefix("/en")
    assert report_url in html
    states = {s.pk: s.report_status for day in page.context["schedule"] for s in day.sessions}
    assert {pk: states[pk] for pk in (session.pk, upcoming.pk, drafted.pk)} == {
        session.pk: "submitted",
        upcoming.pk: None,
        drafted.pk: "draft",
    }
    assert html.count('data-report="submitted"') == 1 + more
    assert 'data-report="draft"' in html
    assert 'data-report="none"' in html


def test_the_roll_call_links_to_the_report_and_the_paper_sheet(as_trainer, session):
    page = as_trainer.get(url("cohorts:roll_call", session)).content.decode()

    assert url("cohorts:session_report", session) in page
    assert url("cohorts:sign_in_sheet", session) in page
    assert url("cohorts:attendance_sheets", session) in page


# --- demo ------------------------------------------------------------------------------------


def test_the_demos_finished_cohort_has_submitted_reports_once():
    demo_data_load()
    demo_data_load()

    cohort = Cohort.objects.get(slug="tot-dialog-sosial-bekasi")
    sessions = list(cohort.sessions.all())
    assert sessions
    assert {session.status for session in sessions} == {Session.Status.HELD}
    reports = SessionReport.objects.filter(session__cohort=cohort)
    assert reports.count() == len(sessions)
    assert {report.status for report in reports} == {SessionReport.Status.SUBMITTED}
    assert all(report.modules_covered.exists() for report in reports)
