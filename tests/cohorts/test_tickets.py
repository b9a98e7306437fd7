"""E-tickets: the signed token names exactly one enrollment and cannot be forged or
re-pointed; the ticket page shows a confirmed seat's QR code, only to its own member."""

import datetime as dt
import re

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Enrollment
from cohorts.tickets import (
    SALT,
    enrollment_from_ticket_token,
    ticket_qr_svg,
    ticket_short_code,
    ticket_token_for,
)
from tests.cohorts.factories import CohortFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db

Status = Enrollment.Status


def seat(**fields) -> Enrollment:
    fields.setdefault(
        "cohort",
        CohortFactory(
            starts_on=timezone.localdate() + dt.timedelta(days=60),
            venue_name="Gedung Pertemuan Kota",
        ),
    )
    return EnrollmentFactory(**fields)


def without_title(svg: str) -> str:
    return re.sub(r"<title>.*?</title>", "", str(svg))


def ticket_url(enrollment: Enrollment) -> str:
    return reverse("cohorts:ticket", kwargs={"pk": enrollment.pk})


def test_token_round_trip():
    enrollment = seat()

    found = enrollment_from_ticket_token(ticket_token_for(enrollment))

    assert found == enrollment
    assert found.member == enrollment.member  # loaded with it, for the check-in desk


def test_tampered_token_is_refused():
    token = ticket_token_for(seat())
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    assert enrollment_from_ticket_token(tampered) is None


@pytest.mark.parametrize("garbage", ["", "x", "a:b:c", "🎫", "1" * 500])
def test_garbage_is_refused(garbage):
    assert enrollment_from_ticket_token(garbage) is None


def test_token_pointed_at_another_enrollment_is_refused():
    mine, theirs = seat(), seat()

    # Signed correctly, but pairing their id with my code (as if the id were edited).
    repointed = signing.dumps([theirs.pk, mine.ticket_code], salt=SALT)

    assert enrollment_from_ticket_token(repointed) is None


def test_token_signed_for_another_purpose_is_refused():
    enrollment = seat()

    other_salt = signing.dumps([enrollment.pk, enrollment.ticket_code], salt="something.else")
    unsalted = signing.dumps([enrollment.pk, enrollment.ticket_code])

    assert enrollment_from_ticket_token(other_salt) is None
    assert enrollment_from_ticket_token(unsalted) is None


def test_token_of_the_wrong_shape_is_refused():
    enrollment = seat()

    for payload in ({"pk": enrollment.pk}, [str(enrollment.pk), enrollment.ticket_code], [1]):
        assert enrollment_from_ticket_token(signing.dumps(payload, salt=SALT)) is None


def test_token_dies_with_a_new_ticket_code():
    enrollment = seat()
    token = ticket_token_for(enrollment)

    Enrollment.objects.filter(pk=enrollment.pk).update(ticket_code="a-fresh-code")

    assert enrollment_from_ticket_token(token) is None


def test_short_code_is_readable_and_stable():
    enrollment = seat()

    code = ticket_short_code(enrollment)

    assert code == ticket_short_code(Enrollment.objects.get(pk=enrollment.pk))
    number, letters = code.split("-")
    assert number == str(enrollment.pk)
    assert len(letters) == 6
    assert not set(letters) & set("01IO")


def test_ticket_page_shows_the_qr_code_and_who_it_is_for(client, participant, monkeypatch):
    enrollment = seat(member=participant.member)
    client.force_login(participant)
    # The token carries the second it was signed: hold the clock so the page's QR and the
    # expected one below are signed in the same second.
    monkeypatch.setattr("django.core.signing.time.time", lambda: 1_800_000_000.0)

    response = client.get(ticket_url(enrollment))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<svg viewBox="' in page
    assert 'class="ticket-qr"' in page
    expected = ticket_qr_svg(ticket_token_for(enrollment), title="")
    assert without_title(response.context["qr_svg"]) == without_title(expected)
    code = ticket_short_code(enrollment)
    assert code in page
    assert participant.member.full_name in page
    assert "Gedung Pertemuan Kota" in page
    assert enrollment.ticket_code not in page  # the secret travels only inside the token


@pytest.mark.parametrize(
    "status", [Status.WAITLISTED, Status.PENDING, Status.CANCELLED, Status.REJECTED]
)
def test_no_ticket_without_a_confirmed_seat(client, participant, status):
    enrollment = seat(member=participant.member, status=status)
    client.force_login(participant)

    assert client.get(ticket_url(enrollment)).status_code == 404


def test_someone_elses_ticket_is_404(client, participant):
    client.force_login(participant)

    assert client.get(ticket_url(seat())).status_code == 404


@pytest.mark.parametrize("others", [2, 20])
def test_ticket_page_query_count_is_constant(
    client, participant, others, django_assert_max_num_queries
):
    enrollment = seat(member=participant.member)
    for _ in range(others):
        EnrollmentFactory(cohort=enrollment.cohort)
    client.force_login(participant)

    # session + user (2), the enrollment with cohort, region and member (1), navbar:
    # reach (1) + member record (1)
    with django_assert_max_num_queries(5):
        client.get(ticket_url(enrollment))
