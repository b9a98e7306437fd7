"""Certificates: what is copied at issue, the serial, the PDF (its text read back with
pypdf, Indonesian names intact), the holder's download, the public verify page, revoking.

Pages are read under /en/ (the Indonesian catalogue is filled at the end)."""

import datetime as dt
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from cohorts.certificate_pdf import certificate_pdf, display_code
from cohorts.demo import demo_data_load
from cohorts.models import Attendance, Certificate, Cohort, Enrollment
from cohorts.services.certificates import certificate_issue, certificate_revoke
from cohorts.services.completion import completion_apply, completion_override
from tests.cohorts.factories import CohortFactory, EnrollmentFactory, SessionFactory
from tests.members.factories import MemberFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

Status = Enrollment.Status
NAME = "Ni Luh Putu Ayu Ṣāliḥah Dewi"
SERIAL = re.compile(r"^TOT-(\d{4})-(\d{4})-(\d{3})$")


def completed_cohort(organizations, *, people: int = 1, **fields) -> tuple[Cohort, list]:
    """A completed cohort with two held sessions of 90 minutes everyone attended (and a
    cancelled and an unreported one that do not count), decided by its rule."""
    cohort = CohortFactory(
        organizers=organizations,
        status=Cohort.Status.COMPLETED,
        starts_on=dt.date(2026, 11, 2),
        **fields,
    )
    start = timezone.now() - dt.timedelta(days=20)
    sessions = [
        SessionFactory(
            cohort=cohort,
            status=status,
            starts_at=start + dt.timedelta(hours=3 * number),
            ends_at=start + dt.timedelta(hours=3 * number, minutes=90),
        )
        for number, status in enumerate(["held", "held", "cancelled", "scheduled"])
    ]
    enrollments = [EnrollmentFactory(cohort=cohort) for _ in range(people)]
    Attendance.objects.bulk_create(
        Attendance(enrollment=enrollment, session=session, status="present", method="roll_call")
        for enrollment in enrollments
        for session in sessions[:2]
    )
    return cohort, enrollments


def certificate_of(enrollment: Enrollment) -> Certificate:
    return Certificate.objects.get(enrollment=enrollment)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(BytesIO(data))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    return page.extract_text()


# --- issue ------------------------------------------------------------------------------------


def test_issue_copies_name_training_dates_hours_and_organizers(organizer, organization):
    partner = OrganizationFactory(name="Konfederasi Serikat Buruh Sejahtera Indonesia")
    organization.name = "Konfederasi Serikat Pekerja Indonesia"
    organization.save()
    cohort, [person] = completed_cohort([organization, partner], title="TOT Bekasi")
    person.member.full_name = NAME
    person.member.save()

    completion_apply(cohort=cohort, by=organizer)
    certificate = certificate_of(person)

    assert certificate.holder_name == NAME
    assert certificate.cohort_title == "TOT Bekasi"
    assert (certificate.starts_on, certificate.ends_on) == (cohort.starts_on, cohort.ends_on)
    assert certificate.hours == Decimal("3.0")  # two held sessions of 90 minutes
    assert certificate.organizations == (
        "Konfederasi Serikat Buruh Sejahtera Indonesia, Konfederasi Serikat Pekerja Indonesia"
    )
    assert certificate.issued_by == organizer
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{10}", certificate.verification_code)
    # A later edit of the member or the cohort does not change what was issued.
    Cohort.objects.filter(pk=cohort.pk).update(title="Judul baru")
    certificate.refresh_from_db()
    assert certificate.cohort_title == "TOT Bekasi"


def test_serials_number_the_cohorts_certificates_in_turn(organizer, organization):
    cohort, people = completed_cohort([organization], people=3)
    completion_apply(cohort=cohort, by=organizer)

    serials = sorted(certificate_of(person).serial for person in people)

    assert serials == [f"TOT-{cohort.ends_on.year}-{cohort.pk:04d}-00{n}" for n in (1, 2, 3)]
    other, [someone] = completed_cohort([organization])
    completion_apply(cohort=other, by=organizer)
    assert certificate_of(someone).serial == f"TOT-{other.ends_on.year}-{other.pk:04d}-001"


def test_issue_is_idempotent_and_refused_for_anyone_not_completed(organizer, organization):
    cohort, [person] = completed_cohort([organization])
    completion_apply(cohort=cohort, by=organizer)
    first = certificate_of(person)
    confirmed = EnrollmentFactory(cohort=cohort)

    again = certificate_issue(enrollment=person, by=organizer)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        certificate_issue(enrollment=confirmed, by=organizer)

    assert again == first
    assert Certificate.objects.count() == 1
    assert refused.value.messages == ["A certificate is issued only for a completed training."]


def test_a_revoked_certificate_stays_revoked_when_issued_again(organizer, organization):
    cohort, [person] = completed_cohort([organization])
    completion_apply(cohort=cohort, by=organizer)
    certificate_revoke(certificate=certificate_of(person), reason="Data salah.", by=organizer)

    again = certificate_issue(enrollment=person, by=organizer)
    completion_apply(cohort=cohort, by=organizer)

    assert not again.is_valid
    assert Certificate.objects.count() == 1
    assert not certificate_of(person).is_valid


def test_revoking_needs_a_reason_and_happens_once(organizer, organization):
    cohort, [person] = completed_cohort([organization])
    completion_apply(cohort=cohort, by=organizer)
    certificate = certificate_of(person)

    with translation.override("en"):
        with pytest.raises(ValidationError) as no_reason:
            certificate_revoke(certificate=certificate, reason="   ", by=organizer)
        assert certificate_of(person).is_valid
        certificate_revoke(certificate=certificate, reason="Nama salah eja.", by=organizer)
        with pytest.raises(ValidationError) as twice:
            certificate_revoke(certificate=certificate, reason="Lagi.", by=organizer)

    assert no_reason.value.messages == ["Write why the certificate is revoked."]
    assert twice.value.messages == ["This certificate was already revoked."]
    revoked = certificate_of(person)
    assert (revoked.revoke_reason, revoked.revoked_by) == ("Nama salah eja.", organizer)


# --- the PDF ----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_pdf_opens_and_carries_the_name_with_its_accents(organizer, organization, language):
    cohort, [person] = completed_cohort([organization], title="TOT Dialog Sosial Bekasi")
    person.member.full_name = NAME
    person.member.save()
    completion_apply(cohort=cohort, by=organizer)
    certificate = certificate_of(person)

    text = pdf_text(certificate_pdf(certificate, language=language))

    assert NAME in text
    assert "TOT Dialog Sosial Bekasi" in text
    assert certificate.serial in text
    assert display_code(certificate.verification_code) in text
    with translation.override(language):
        verify = reverse("cohorts:verify_code", kwargs={"code": certificate.verification_code})
    assert f"/{verify.lstrip('/')}" in text
    if language == "en":
        assert "Certificate" in text
        assert "3.0 training hours" in text
        assert "2 November 2026 – 4 November 2026" in text
    else:
        assert "2 November 2026 – 4 November 2026" in text  # Indonesian months
        assert "3,0" in text


def test_the_holders_language_decides_the_pdfs_language(client, organizer, organization):
    cohort, [person] = completed_cohort([organization])
    person.member.preferred_language = "en"
    person.member.save()
    completion_apply(cohort=cohort, by=organizer)
    client.force_login(organizer)

    with translation.override("id"):
        url = reverse("cohorts:completion_certificate", args=[cohort.slug, person.pk])
    response = client.get(url)

    assert response["Content-Type"] == "application/pdf"
    assert "Certificate" in pdf_text(response.content)
    assert f"/en/verify/{certificate_of(person).verification_code}/" in pdf_text(response.content)


# --- the holder's download ----------------------------------------------------------------


@pytest.fixture
def my_certificate(participant, organizer, organization):
    cohort, [person] = completed_cohort([organization])
    Enrollment.objects.filter(pk=person.pk).update(member=participant.member)
    completion_apply(cohort=cohort, by=organizer)
    return certificate_of(person)


def _download_url(enrollment_pk: int) -> str:
    with translation.override("en"):
        return reverse("cohorts:certificate_download", kwargs={"pk": enrollment_pk})


def _my_training_url(enrollment_pk: int) -> str:
    with translation.override("en"):
        return reverse("cohorts:my_training", kwargs={"pk": enrollment_pk})


def test_the_holder_downloads_their_certificate_from_my_trainings(
    client, participant, my_certificate
):
    client.force_login(participant)

    page = client.get(_my_training_url(my_certificate.enrollment_id)).content.decode()
    response = client.get(_download_url(my_certificate.enrollment_id))

    assert _download_url(my_certificate.enrollment_id) in page
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{my_certificate.serial}.pdf"' in response["Content-Disposition"]
    assert participant.member.full_name in pdf_text(response.content)


def test_a_revoked_certificate_is_not_downloadable_by_its_holder(
    client, participant, organizer, my_certificate
):
    certificate_revoke(certificate=my_certificate, reason="Nama salah.", by=organizer)
    client.force_login(participant)

    response = client.get(_download_url(my_certificate.enrollment_id), follow=True)

    page = response.content.decode()
    assert response.redirect_chain == [(_my_training_url(my_certificate.enrollment_id), 302)]
    assert "Your certificate was revoked on" in page
    assert "so it can no longer be downloaded" in page
    assert _download_url(my_certificate.enrollment_id) not in page
    assert "Nama salah." not in page


def test_someone_elses_certificate_is_404(client, participant, organizer, organization):
    cohort, [other] = completed_cohort([organization])
    completion_apply(cohort=cohort, by=organizer)
    client.force_login(participant)

    assert client.get(_download_url(other.pk)).status_code == 404


def test_organizers_download_revoked_ones_with_a_stamp(
    client, organizer, organization, my_certificate
):
    certificate_revoke(certificate=my_certificate, reason="x", by=organizer)
    client.force_login(organizer)
    url = reverse(
        "cohorts:completion_certificate",
        args=[my_certificate.enrollment.cohort.slug, my_certificate.enrollment_id],
    )

    response = client.get(url)

    assert response.status_code == 200
    assert my_certificate.enrollment.member.preferred_language == "id"
    assert "DICABUT" in pdf_text(response.content)  # "REVOKED", in the holder's language


def test_revoke_from_the_completion_page_needs_a_reason(
    client, organizer, organization, my_certificate
):
    client.force_login(organizer)
    cohort = my_certificate.enrollment.cohort
    with translation.override("en"):
        url = reverse(
            "cohorts:certificate_revoke", args=[cohort.slug, my_certificate.enrollment_id]
        )

    client.post(url, {"reason": ""})
    assert certificate_of(my_certificate.enrollment).is_valid
    client.post(url, {"reason": "Sertifikat ganda."})

    revoked = certificate_of(my_certificate.enrollment)
    assert (revoked.is_valid, revoked.revoke_reason) == (False, "Sertifikat ganda.")


# --- the public verify page -------------------------------------------------------------------


def _verify_url(code: str) -> str:
    with translation.override("en"):
        return reverse("cohorts:verify_code", kwargs={"code": code})


@pytest.fixture
def issued(organizer, organization):
    cohort, [person] = completed_cohort([organization], title="TOT Dialog Sosial Bekasi")
    member = person.member
    member.full_name = NAME
    member.email = "ayu.dewi@example.org"
    member.member_number = "KSPI-0042"
    member.workplace = "PT Sinar Jaya Tekstil"
    member.save()
    completion_apply(cohort=cohort, by=organizer)
    return certificate_of(person)


def test_the_verify_page_says_valid_and_shows_only_name_training_and_dates(client, issued):
    response = client.get(_verify_url(issued.verification_code))

    page = response.content.decode()
    member = issued.enrollment.member
    assert response.status_code == 200
    assert "VALID" in page
    assert NAME in page
    assert "TOT Dialog Sosial Bekasi" in page
    assert "2 November 2026" in page
    assert "4 November 2026" in page
    for private in (
        member.email,
        member.member_number,
        member.workplace,
        str(member.phone),
        member.organization.name,
        issued.serial,
        issued.organizations,
    ):
        assert private not in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_verify_page_says_revoked_with_the_date_but_not_the_reason(client, issued, organizer):
    certificate_revoke(certificate=issued, reason="Pemalsuan tanda tangan", by=organizer)
    issued.refresh_from_db()

    page = client.get(_verify_url(issued.verification_code)).content.decode()

    assert "REVOKED" in page
    assert "✓ VALID" not in page
    assert f"revoked on {timezone.localtime(issued.revoked_at):%-d %B %Y}" in page
    assert "Pemalsuan" not in page


def test_an_unknown_code_is_a_friendly_404(client, issued):
    response = client.get(_verify_url("ZZZZZZZZZZ"))

    assert response.status_code == 404
    page = response.content.decode()
    assert "No certificate has this verification code" in page
    assert NAME not in page


@pytest.mark.parametrize("typed", ["lower", "dashed", "spaced"])
def test_codes_are_read_without_regard_to_case_spaces_or_dashes(client, issued, typed):
    code = issued.verification_code
    written = {
        "lower": code.lower(),
        "dashed": display_code(code),
        "spaced": f" {code[:5].lower()} {code[5:]} ",
    }[typed]

    with translation.override("en"):
        form_response = client.get(reverse("cohorts:verify"), {"code": written})
    direct = client.get(_verify_url(written))

    assert form_response.status_code == 302
    assert form_response["Location"] == _verify_url(code)
    assert direct.status_code == 200
    assert NAME in direct.content.decode()


def test_an_empty_code_in_the_form_asks_for_one(client):
    with translation.override("en"):
        response = client.get(reverse("cohorts:verify"), {"code": " - "})

    assert response.status_code == 200
    assert "Type the verification code printed on the certificate." in response.content.decode()


def test_verify_look_ups_are_rate_limited(client, issued, settings):
    settings.CERTIFICATE_VERIFY_RATE_LIMITS = "2/m/ip"

    answers = [client.get(_verify_url(issued.verification_code)).status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    limited = client.get(_verify_url(issued.verification_code))
    assert "Too many look-ups" in limited.content.decode()
    assert limited["Retry-After"] == "60"
    assert NAME not in limited.content.decode()


def test_the_verify_page_needs_no_login(client):
    with translation.override("en"):
        response = client.get(reverse("cohorts:verify"))

    assert response.status_code == 200
    assert "Verify a certificate" in response.content.decode()


def test_override_to_not_completed_revokes_and_the_verify_page_follows(client, issued, organizer):
    completion_override(
        enrollment=issued.enrollment, completed=False, note="Tidak hadir.", by=organizer
    )

    page = client.get(_verify_url(issued.verification_code)).content.decode()

    assert "REVOKED" in page
    assert "Tidak hadir." not in page


def test_a_member_from_another_organization_is_fine_on_a_certificate(organizer, organization):
    cohort, [person] = completed_cohort([organization])
    Enrollment.objects.filter(pk=person.pk).update(
        member=MemberFactory(organization=OrganizationFactory(), full_name="Ọlá Gómez")
    )

    completion_apply(cohort=cohort, by=organizer)

    assert "Ọlá Gómez" in pdf_text(
        certificate_pdf(Certificate.objects.get(enrollment=person), language="id")
    )


# --- the demo ---------------------------------------------------------------------------------


def test_the_demo_bekasi_cohort_is_decided_and_certified_and_stays_so(client, capsys):
    demo_data_load()
    capsys.readouterr()
    cohort = Cohort.objects.get(slug="tot-dialog-sosial-bekasi")
    completed = cohort.enrollments.filter(status=Status.COMPLETED)
    certificates = Certificate.objects.filter(enrollment__cohort=cohort)
    counts = (completed.count(), certificates.count())
    all_certificates = Certificate.objects.count()  # the seed TOT and its cascades' too

    demo_data_load()

    assert capsys.readouterr().out == ""  # nothing sent or printed
    assert counts == (10, 10)
    assert cohort.enrollments.filter(status=Status.INCOMPLETE).count() == 2
    assert (completed.count(), certificates.count()) == counts
    assert Certificate.objects.count() == all_certificates
    certificate = certificates.order_by("serial").first()
    assert certificate.serial.endswith("-001")
    assert certificate.hours > 0
    page = client.get(_verify_url(certificate.verification_code))
    assert page.status_code == 200
    assert certificate.holder_name in page.content.decode()
