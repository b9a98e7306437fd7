"""The register page: a member, someone logged in without a member record, and an
anonymous visitor each register in one step; everything or nothing is written; closed
windows, drafts, full cohorts, bad input, bots, floods and a busy lock get a clear answer.

Messages are checked as their English msgids under /en/ or through the page's stable ids;
the database is always checked to hold nothing more than it should."""

import datetime as dt
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from cohorts.models import Cohort, Enrollment
from cohorts.services.registration import enrollment_register_new_member
from members.models import Member, Region
from tests.cohorts.factories import CohortFactory, EnrollmentFactory
from tests.members.factories import PASSWORD, MemberFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Enrollment.Status
User = get_user_model()
CONFIRM_PATH = re.compile(r"https?://[^/\s]+(/(?:en/)?accounts/confirm-email/[^\s]+/)")


def first_day() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=60)


def open_cohort(**fields) -> Cohort:
    fields.setdefault("starts_on", first_day())
    fields.setdefault("capacity", 2)
    fields.setdefault("organizers", [OrganizationFactory()])
    return CohortFactory(**fields)


def register_url(cohort: Cohort, *, english: bool = False) -> str:
    url = reverse("cohorts:register", kwargs={"slug": cohort.slug})
    if english:
        with translation.override("en"):
            url = reverse("cohorts:register", kwargs={"slug": cohort.slug})
    return url


def answers(**fields) -> dict:
    return {
        "motivation": "Agar bisa melatih anggota PUK saya.",
        "union_position": Member.Position.WORKPLACE_OFFICER,
        "workplace": "PT Sinar Logam",
        **fields,
    }


def regency() -> Region:
    return Region.objects.filter(level=Region.Level.REGENCY).order_by("code").first()


def new_member_fields(organization, /, **fields) -> dict:
    return {
        "full_name": "Rina Wulandari",
        "phone": "0812-3456-7890",
        "organization": organization.pk,
        "region": regency().pk,
        "consent": "on",
        **fields,
    }


def visitor_fields(organization, /, **fields) -> dict:
    return {
        "email": "rina@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **new_member_fields(organization),
        **answers(),
        **fields,
    }


def nothing_written(*, users_before: int) -> bool:
    return (
        User.objects.count() == users_before
        and not Enrollment.objects.exists()
        and not Member.objects.filter(full_name="Rina Wulandari").exists()
    )


@pytest.fixture
def member_user(organization):
    """A member with a login who has not agreed to the use of their data yet."""
    user = UserFactory()
    MemberFactory(
        user=user,
        organization=organization,
        email=user.email,
        position=Member.Position.REGIONAL_OFFICER,
        workplace="PT Musi Rawas Motor",
    )
    return user


# --- a member --------------------------------------------------------------------------------


def test_member_registers_in_one_step_and_agrees_on_the_way(
    client, member_user, django_capture_on_commit_callbacks, mailoutbox
):
    cohort = open_cohort()
    client.force_login(member_user)

    form_page = client.get(register_url(cohort))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url(cohort), answers(consent="on"))

    forms = form_page.context["forms"]
    assert forms.account is None
    assert forms.member is None
    assert forms.consent is not None
    assert forms.answers.fields["union_position"].initial == Member.Position.REGIONAL_OFFICER
    assert forms.answers.fields["workplace"].initial == "PT Musi Rawas Motor"
    enrollment = Enrollment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cohorts:my_training", kwargs={"pk": enrollment.pk})
    assert enrollment.member == member_user.member
    assert enrollment.status == Status.CONFIRMED
    assert enrollment.answers == answers()
    member_user.member.refresh_from_db()
    assert member_user.member.has_consent
    assert [message.to for message in mailoutbox] == [[member_user.email]]


def test_member_who_agreed_before_is_not_asked_again(client, participant):
    Member.objects.filter(user=participant).update(consent_given_at=timezone.now())
    cohort = open_cohort(registration_questions=["motivation", "experience"])
    client.force_login(participant)

    forms = client.get(register_url(cohort)).context["forms"]
    response = client.post(register_url(cohort), {"motivation": "Belajar.", "experience": ""})

    assert forms.consent is None
    assert list(forms.answers.fields) == ["motivation", "experience"]
    assert response.status_code == 302
    assert Enrollment.objects.get().answers == {"motivation": "Belajar.", "experience": ""}


def test_member_must_agree_and_say_why(client, member_user):
    cohort = open_cohort()
    client.force_login(member_user)

    response = client.post(register_url(cohort), answers(motivation=""))

    forms = response.context["forms"]
    assert response.status_code == 200
    assert "motivation" in forms.answers.errors
    assert "consent" in forms.consent.errors
    assert not Enrollment.objects.exists()
    member_user.member.refresh_from_db()
    assert not member_user.member.has_consent


def test_registering_twice_shows_the_existing_registration(client, member_user):
    cohort = open_cohort()
    client.force_login(member_user)
    client.post(register_url(cohort), answers(consent="on"))

    page = client.get(register_url(cohort))
    again = client.post(register_url(cohort), answers(consent="on"))

    assert Enrollment.objects.count() == 1
    existing = Enrollment.objects.get()
    for response in (page, again):
        assert response.status_code == 200
        assert response.context["existing"] == existing
        assert "forms" not in response.context
        assert b'id="registration-existing"' in response.content
        assert b'id="registration-form"' not in response.content


def test_registration_needing_approval_is_pending(client, member_user):
    cohort = open_cohort(requires_approval=True)
    client.force_login(member_user)

    client.post(register_url(cohort), answers(consent="on"))

    assert Enrollment.objects.get().status == Status.PENDING


# --- logged in without a member record -------------------------------------------------------


def test_account_without_member_record_gets_one_and_a_seat(client, trainer, organization):
    cohort = open_cohort()
    client.force_login(trainer)

    form_page = client.get(register_url(cohort))
    response = client.post(register_url(cohort), {**new_member_fields(organization), **answers()})

    assert form_page.context["forms"].account is None
    assert form_page.context["forms"].member is not None
    member = Member.objects.get(user=trainer)
    assert response.status_code == 302
    assert member.full_name == "Rina Wulandari"
    assert str(member.phone) == "+6281234567890"
    assert member.email == trainer.email
    assert member.organization == organization
    assert member.region == regency()
    assert member.workplace == "PT Sinar Logam"
    assert member.has_consent
    assert member.created_by == trainer
    assert Enrollment.objects.get().member == member


PHONE_CANNOT_BE_USED = (
    "This phone number cannot be used for a new registration here. If you are already a union "
    "member, ask your organizer for an account link or log in."
)
EMAIL_CANNOT_BE_USED = (
    "This e-mail address cannot be used for a new registration here. If you are already a "
    "union member, ask your organizer for an account link or log in."
)


def test_phone_of_another_member_gets_the_neutral_answer_when_logged_in(
    client, trainer, organization
):
    MemberFactory(phone="+6281234567890")
    cohort = open_cohort()
    client.force_login(trainer)

    response = client.post(
        register_url(cohort, english=True), {**new_member_fields(organization), **answers()}
    )

    assert response.context["forms"].member.errors["phone"] == [PHONE_CANNOT_BE_USED]
    assert not Member.objects.filter(user=trainer).exists()
    assert not Enrollment.objects.exists()


def test_phone_of_another_member_gets_the_same_neutral_answer_for_a_visitor(client, organization):
    MemberFactory(phone="+6281234567890")
    cohort = open_cohort()
    users = User.objects.count()

    response = client.post(register_url(cohort, english=True), visitor_fields(organization))

    assert response.context["forms"].member.errors["phone"] == [PHONE_CANNOT_BE_USED]
    assert "union already has" not in response.content.decode()
    assert nothing_written(users_before=users)


def test_visitor_with_the_email_of_a_member_without_login_gets_no_second_record(
    client, organization
):
    known = MemberFactory(email="Rina@Example.org", user=None)
    cohort = open_cohort()
    users = User.objects.count()

    response = client.post(register_url(cohort, english=True), visitor_fields(organization))

    assert response.status_code == 200
    assert response.context["forms"].account.errors["email"] == [EMAIL_CANNOT_BE_USED]
    assert nothing_written(users_before=users)
    assert list(Member.objects.filter(email__iexact="rina@example.org")) == [known]


def test_account_with_the_email_of_a_member_without_login_gets_no_second_record(
    client, organization
):
    user = UserFactory(email="rina@example.org")
    MemberFactory(email="rina@example.org", user=None)
    cohort = open_cohort()
    client.force_login(user)

    response = client.post(
        register_url(cohort, english=True), {**new_member_fields(organization), **answers()}
    )

    assert response.status_code == 200
    assert response.context["forms"].member.non_field_errors() == [EMAIL_CANNOT_BE_USED]
    assert not Member.objects.filter(user=user).exists()
    assert not Enrollment.objects.exists()


def test_new_member_record_keeps_the_workplace_answer_and_the_page_language(trainer, organization):
    cohort = open_cohort()
    member_data = {
        "full_name": "Rina Wulandari",
        "phone": "+6281234567890",
        "organization": organization,
        "region": regency(),
    }

    registration = enrollment_register_new_member(
        cohort=cohort,
        user=trainer,
        member_data=member_data,
        answers=answers(workplace="PT Baja Musi"),
        language="en",
    )

    member = registration.enrollment.member
    assert member.user == trainer
    assert member.workplace == "PT Baja Musi"
    assert member.preferred_language == "en"
    assert member.has_consent
    assert registration.enrollment.status == Status.CONFIRMED


class ClosedSignupAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False


def test_visitor_cannot_make_an_account_while_sign_up_is_closed(client, organization, settings):
    settings.ACCOUNT_ADAPTER = f"{__name__}.ClosedSignupAdapter"
    cohort = open_cohort()
    users = User.objects.count()

    response = client.post(register_url(cohort, english=True), visitor_fields(organization))

    assert response.status_code == 200
    assert response.context["forms"].account.non_field_errors() == [
        "New accounts cannot be made now. Log in first."
    ]
    assert nothing_written(users_before=users)


# --- an anonymous visitor --------------------------------------------------------------------


def sent_url(cohort: Cohort) -> str:
    return reverse("cohorts:register_sent", kwargs={"slug": cohort.slug})


def test_visitor_registers_with_a_new_account_verified_by_the_mailed_link(
    client, organization, django_capture_on_commit_callbacks, mailoutbox
):
    cohort = open_cohort()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url(cohort), visitor_fields(organization))

    user = User.objects.get(email="rina@example.org")
    member = Member.objects.get(user=user)
    enrollment = Enrollment.objects.get()
    result_url = reverse("cohorts:my_training", kwargs={"pk": enrollment.pk})
    assert response.status_code == 302
    assert response["Location"] == sent_url(cohort)
    assert enrollment.member == member
    assert enrollment.status == Status.CONFIRMED
    assert member.has_consent
    assert member.email == "rina@example.org"
    assert user.check_password(PASSWORD)
    assert not EmailAddress.objects.get(user=user).verified
    # Verification is mandatory outside DEBUG: allauth did not log them in.
    assert "_auth_user_id" not in client.session
    sent = client.get(sent_url(cohort))
    assert sent.status_code == 200
    assert sent.context["email"] == "rina@example.org"
    assert b'id="registration-sent"' in sent.content
    subjects = sorted(message.subject for message in mailoutbox)
    assert len(subjects) == 2  # allauth's confirmation and the seat's message
    confirmation = next(m for m in mailoutbox if CONFIRM_PATH.search(m.body))

    confirm_path = CONFIRM_PATH.search(confirmation.body).group(1)
    confirmed = client.post(confirm_path)

    assert confirmed.status_code == 302
    assert confirmed["Location"] == result_url
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(result_url).context["enrollment"] == enrollment


def test_visitor_is_logged_in_at_once_where_verification_is_optional(
    client, organization, settings
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    cohort = open_cohort()

    response = client.post(register_url(cohort), visitor_fields(organization))

    enrollment = Enrollment.objects.get()
    assert response["Location"] == reverse("cohorts:my_training", kwargs={"pk": enrollment.pk})
    assert client.session["_auth_user_id"] == str(enrollment.member.user_id)


def test_a_fresh_registration_page_needs_the_login_even_in_the_session_that_made_it(
    client, organization
):
    cohort = open_cohort()
    client.post(register_url(cohort), visitor_fields(organization))
    enrollment = Enrollment.objects.get()

    for session in (client, Client()):
        response = session.get(reverse("cohorts:my_training", kwargs={"pk": enrollment.pk}))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def sent_page_text(client: Client, cohort: Cohort, email: str) -> str:
    """The "check your e-mail" page as a visitor reads it: their own address and the
    per-session CSRF token blanked."""
    page = client.get(sent_url(cohort)).content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "<csrf>", page)
    return page.replace(email, "<email>")


def test_visitor_whose_email_has_an_account_sees_what_a_new_visitor_sees(
    client, organization, django_capture_on_commit_callbacks, mailoutbox
):
    """Like allauth's own sign-up: nothing is written, the address's owner is told by mail
    that someone tried to sign up with it, and the page is the one a new account gets."""
    UserFactory(username="rina@example.org", email="rina@example.org")
    cohort = open_cohort()
    users = User.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url(cohort), visitor_fields(organization))

    assert response.status_code == 302
    assert response["Location"] == sent_url(cohort)
    assert nothing_written(users_before=users)
    assert [message.to for message in mailoutbox] == [["rina@example.org"]]
    assert "already exists" in mailoutbox[0].body or "sudah ada" in mailoutbox[0].body
    existing_page = sent_page_text(client, cohort, "rina@example.org")
    newcomer = Client()
    newcomer.post(register_url(cohort), visitor_fields(organization, email="budi@example.org"))
    assert Enrollment.objects.count() == 1
    assert existing_page == sent_page_text(newcomer, cohort, "budi@example.org")
    assert "budi@example.org" not in existing_page


class FailingEmailBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server is down")


def test_a_failing_mail_server_leaves_the_new_registration_and_shows_the_same_page(
    client, organization, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.FailingEmailBackend"
    cohort = open_cohort()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url(cohort), visitor_fields(organization))

    assert response.status_code == 302
    assert response["Location"] == sent_url(cohort)
    enrollment = Enrollment.objects.get()
    assert enrollment.status == Status.CONFIRMED
    assert enrollment.member.user.email == "rina@example.org"
    assert "_auth_user_id" not in client.session
    failures = [r for r in caplog.records if "sign-up mail could not be sent" in r.getMessage()]
    assert len(failures) == 1
    assert failures[0].exc_info
    assert client.get(sent_url(cohort)).status_code == 200


def test_a_failing_mail_server_for_an_existing_account_writes_nothing_and_shows_the_same_page(
    client, organization, settings, caplog
):
    settings.EMAIL_BACKEND = f"{__name__}.FailingEmailBackend"
    UserFactory(username="rina@example.org", email="rina@example.org")
    cohort = open_cohort()
    users = User.objects.count()

    response = client.post(register_url(cohort), visitor_fields(organization))

    assert response.status_code == 302
    assert response["Location"] == sent_url(cohort)
    assert nothing_written(users_before=users)
    assert any("sign-up mail could not be sent" in r.getMessage() for r in caplog.records)


def test_register_form_offers_the_login_to_every_visitor(client):
    cohort = open_cohort()

    page = client.get(register_url(cohort))

    assert b'id="registration-login"' in page.content
    assert page.context["login_url"] == (
        reverse("account_login") + "?next=" + register_url(cohort).replace("/", "%2F")
    )


@pytest.mark.parametrize(
    ("fields", "form", "field"),
    [
        ({"phone": "08123"}, "member", "phone"),
        ({"phone": "nomor saya"}, "member", "phone"),
        ({"password2": "something-else-42"}, "account", "password2"),
        ({"email": "bukan-email"}, "account", "email"),
        ({"organization": ""}, "member", "organization"),
        ({"consent": ""}, "consent", "consent"),
        ({"motivation": ""}, "answers", "motivation"),
    ],
)
def test_visitor_bad_input_is_shown_on_its_field_and_nothing_is_written(
    client, organization, fields, form, field
):
    cohort = open_cohort()
    users = User.objects.count()

    response = client.post(register_url(cohort), visitor_fields(organization, **fields))

    assert response.status_code == 200
    assert field in getattr(response.context["forms"], form).errors
    assert nothing_written(users_before=users)


@pytest.mark.parametrize("phone", ["0812-3456-7890", "+62 812 3456 7890", "081234567890"])
def test_indonesian_phone_formats_are_understood(client, organization, phone):
    cohort = open_cohort()

    client.post(register_url(cohort), visitor_fields(organization, phone=phone))

    assert str(Member.objects.get(full_name="Rina Wulandari").phone) == "+6281234567890"


def test_organizations_are_grouped_under_their_confederation(client):
    kspi = OrganizationFactory(short_name="KSPI", name="Konfederasi SPI")
    fspmi = OrganizationFactory(short_name="FSPMI", kind="federation", parent=kspi)
    OrganizationFactory(short_name="PUK Sinar", kind="workplace_union", parent=fspmi)
    cohort = open_cohort()

    choices = client.get(register_url(cohort)).context["forms"].member.fields["organization"]

    groups = dict(choices.choices[1:])
    assert [label for _, label in groups["KSPI"]] == [
        "Konfederasi SPI",
        "FSPMI · KSPI",
        "PUK Sinar · FSPMI",
    ]


# --- when registration is closed -------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "state", "reason"),
    [
        ({"status": Cohort.Status.RUNNING}, "not_published", "Registration is not open"),
        ({"status": Cohort.Status.COMPLETED}, "not_published", "Registration is not open"),
        (
            {"registration_opens_at": timezone.now() + dt.timedelta(days=3)},
            "not_yet_open",
            "Registration opens on",
        ),
        (
            {"registration_closes_at": timezone.now() - dt.timedelta(minutes=1)},
            "closed",
            "Registration is closed.",
        ),
    ],
)
def test_closed_registration_says_why_and_refuses_a_post(
    client, organization, fields, state, reason
):
    cohort = open_cohort(**fields)
    users = User.objects.count()

    page = client.get(register_url(cohort, english=True))
    refused = client.post(register_url(cohort, english=True), visitor_fields(organization))

    for response in (page, refused):
        assert response.status_code == 200
        assert response.context["window"].state == state
        assert "forms" not in response.context
        assert b'id="registration-form"' not in response.content
        assert reason in response.content.decode()
    assert nothing_written(users_before=users)


def test_closed_registration_refuses_a_member_too(client, member_user):
    cohort = open_cohort(registration_closes_at=timezone.now() - dt.timedelta(minutes=1))
    client.force_login(member_user)

    response = client.post(register_url(cohort), answers(consent="on"))

    assert response.context["window"].state == "closed"
    assert not Enrollment.objects.exists()
    member_user.member.refresh_from_db()
    assert not member_user.member.has_consent


def test_draft_cohort_has_no_register_page(client, organization, member_user):
    cohort = open_cohort(status=Cohort.Status.DRAFT)

    anonymous = client.post(register_url(cohort), visitor_fields(organization))
    client.force_login(member_user)
    member = client.post(register_url(cohort), answers(consent="on"))

    assert anonymous.status_code == 404
    assert member.status_code == 404
    assert not Enrollment.objects.exists()
    assert not Member.objects.filter(full_name="Rina Wulandari").exists()


# --- a full cohort ---------------------------------------------------------------------------


def test_full_cohort_puts_the_visitor_on_the_waiting_list_with_their_place(client, organization):
    cohort = open_cohort(capacity=1)
    EnrollmentFactory(cohort=cohort)
    EnrollmentFactory(cohort=cohort, status=Status.WAITLISTED)

    page = client.get(register_url(cohort))
    client.post(register_url(cohort), visitor_fields(organization))

    mine = Enrollment.objects.get(member__full_name="Rina Wulandari")
    client.force_login(mine.member.user)
    result = client.get(reverse("cohorts:my_training", kwargs={"pk": mine.pk}))
    assert page.context["seats_left"] == 0
    assert b'id="registration-submit"' in page.content
    assert mine.status == Status.WAITLISTED
    assert result.context["enrollment"].waitlist_position == 2
    assert cohort.enrollments.filter(status=Status.CONFIRMED).count() == 1


# --- anti-abuse ------------------------------------------------------------------------------


def test_honeypot_answers_400_and_writes_nothing(client, organization, member_user):
    cohort = open_cohort()
    users = User.objects.count()

    bot = client.post(register_url(cohort), visitor_fields(organization, homepage="http://x"))
    client.force_login(member_user)
    member_bot = client.post(register_url(cohort), answers(consent="on", homepage="spam"))

    assert bot.status_code == 400
    assert member_bot.status_code == 400
    assert nothing_written(users_before=users)
    member_user.member.refresh_from_db()
    assert not member_user.member.has_consent


def test_honeypot_is_hidden_by_css_not_by_type(client):
    page = client.get(register_url(open_cohort())).content.decode()

    field = re.search(r'<input[^>]*name="homepage"[^>]*>', page).group(0)
    assert 'type="text"' in field
    assert 'class="registration-extra"' in page


@pytest.fixture
def _one_window(monkeypatch):
    """The limits count in fixed windows; a test straddling a window's edge would see the
    count start again, so the clock stands still."""
    monkeypatch.setattr("cohorts.ratelimits.time.time", lambda: 1_800_000_000.0)


@pytest.mark.usefixtures("_one_window")
def test_posts_are_rate_limited_per_ip(client, organization, settings):
    settings.REGISTRATION_RATE_LIMITS = "2/m/ip"
    cohort = open_cohort()
    bad = visitor_fields(organization, phone="08123")

    allowed = [client.post(register_url(cohort), bad).status_code for _ in range(2)]
    limited = client.post(register_url(cohort), visitor_fields(organization))
    pages = [client.get(register_url(cohort)).status_code for _ in range(3)]

    assert allowed == [200, 200]
    assert limited.status_code == 429
    assert limited["Retry-After"]
    assert b'id="registration-problem"' in limited.content
    assert pages == [200, 200, 200]  # reading the page is not limited
    assert not Enrollment.objects.exists()


@pytest.mark.usefixtures("_one_window")
def test_posts_are_rate_limited_per_account(client, member_user, participant, settings):
    settings.REGISTRATION_RATE_LIMITS = "100/m/ip,1/m/user"
    cohort = open_cohort()
    client.force_login(member_user)

    first = client.post(register_url(cohort), answers(motivation=""))
    second = client.post(register_url(cohort), answers(consent="on"))
    client.force_login(participant)
    other_account = client.post(register_url(cohort), answers(consent="on"))

    assert first.status_code == 200
    assert second.status_code == 429
    assert other_account.status_code == 302
    assert list(Enrollment.objects.values_list("member__user", flat=True)) == [participant.pk]


def test_post_without_csrf_token_is_refused(organization):
    cohort = open_cohort()
    client = Client(enforce_csrf_checks=True)
    users = User.objects.count()

    response = client.post(register_url(cohort), visitor_fields(organization))

    assert response.status_code == 403
    assert nothing_written(users_before=users)


def test_page_carries_a_csrf_token(organization):
    client = Client(enforce_csrf_checks=True)
    page = client.get(register_url(open_cohort()))

    assert b'name="csrfmiddlewaretoken"' in page.content


@contextmanager
def cohort_locked(cohort: Cohort) -> Iterator[None]:
    """Another connection holds the cohort's row lock until the block ends."""
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        try:
            with transaction.atomic():
                Cohort.objects.select_for_update().get(pk=cohort.pk)
                locked.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        yield
    finally:
        release.set()
        holder.join(timeout=10)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks")
def test_busy_cohort_answers_try_again_and_writes_nothing(client, settings):
    """Another connection holds the cohort's row lock longer than the wait allowed."""
    settings.ENROLLMENT_LOCK_TIMEOUT = 0.2
    organization = OrganizationFactory()
    cohort = open_cohort()
    user = UserFactory()
    MemberFactory(user=user, organization=organization)

    with cohort_locked(cohort):
        anonymous = Client().post(
            register_url(cohort, english=True),
            visitor_fields(organization, email="sibuk@example.org"),
        )
        client.force_login(user)
        member = client.post(register_url(cohort), answers(consent="on"))

    for response in (anonymous, member):
        assert response.status_code == 503
        assert response["Retry-After"]
        assert b'id="registration-problem"' in response.content
    assert "Please try again" in anonymous.content.decode()
    assert not Enrollment.objects.exists()
    assert not User.objects.filter(email="sibuk@example.org").exists()
    assert not Member.objects.get(user=user).has_consent
    assert len(mail.outbox) == 0


@pytest.mark.parametrize("organizations", [2, 20])
def test_register_page_query_count_is_constant(
    client, organizations, django_assert_max_num_queries
):
    root = OrganizationFactory()
    for _ in range(organizations):
        OrganizationFactory(kind="workplace_union", parent=root)
    cohort = open_cohort()

    # cohort + organizers + lead trainers (3), sessions for the window (1), seats left (1),
    # organizations (1), regencies with provinces (1)
    with django_assert_max_num_queries(7):
        response = client.get(register_url(cohort))

    groups = response.context["forms"].member.fields["organization"].choices[1:]
    assert sum(len(options) for _, options in groups) >= organizations + 1


# --- in Bahasa Indonesia ---------------------------------------------------------------------


def visitor_posts(**cohort_fields):
    def scene(client, organization) -> tuple[Cohort, dict]:
        return open_cohort(**cohort_fields), visitor_fields(organization)

    return scene


def visitor_posts_bad(**fields):
    def scene(client, organization) -> tuple[Cohort, dict]:
        return open_cohort(), visitor_fields(organization, **fields)

    return scene


def visitor_posts_without_motivation_to_a_full_cohort(client, organization):
    cohort = open_cohort(capacity=1)
    EnrollmentFactory(cohort=cohort)
    return cohort, visitor_fields(organization, motivation="")


def member_registers_again(client, organization):
    user = UserFactory()
    MemberFactory(user=user, organization=organization, consent_given_at=timezone.now())
    cohort = open_cohort()
    client.force_login(user)
    client.post(register_url(cohort), answers())
    assert Enrollment.objects.filter(member__user=user).exists()
    return cohort, answers()


def database_state() -> tuple:
    return (
        User.objects.count(),
        EmailAddress.objects.count(),
        list(Member.objects.order_by("pk").values_list("pk", "consent_given_at")),
        list(Enrollment.objects.order_by("pk").values_list("pk", "status", "status_changed_at")),
    )


@pytest.mark.parametrize(
    ("scene", "expected"),
    [
        pytest.param(member_registers_again, ["Anda sudah terdaftar:"], id="twice"),
        pytest.param(
            visitor_posts(status=Cohort.Status.RUNNING),
            ["Pendaftaran belum dibuka: kohort belum diterbitkan."],
            id="not-published",
        ),
        pytest.param(
            visitor_posts(registration_opens_at=timezone.now() + dt.timedelta(days=3)),
            ["Pendaftaran dibuka pada "],
            id="not-yet-open",
        ),
        pytest.param(
            visitor_posts(registration_closes_at=timezone.now() - dt.timedelta(minutes=1)),
            ["Pendaftaran sudah ditutup."],
            id="closed",
        ),
        pytest.param(
            visitor_posts_without_motivation_to_a_full_cohort,
            [
                (
                    "Semua kursi sudah terisi: Anda akan masuk daftar tunggu, dan mendapat "
                    "kursi begitu ada yang kosong."
                ),
                "Masuk daftar tunggu",
            ],
            id="full-waiting-list",
        ),
        pytest.param(
            visitor_posts_bad(phone="08123"),
            ["Masukkan nomor telepon yang benar"],
            id="bad-phone",
        ),
        pytest.param(
            visitor_posts_bad(consent=""),
            ["Setujui penggunaan data Anda untuk mendaftar."],
            id="no-consent",
        ),
    ],
)
def test_bad_input_is_answered_in_indonesian_on_the_unprefixed_url(
    client, organization, scene, expected
):
    """The texts are the catalogue's msgstrs (locale/id; the phone's is
    django-phonenumber-field's): a missing translation fails here."""
    cohort, data = scene(client, organization)
    before = database_state()

    response = client.post(register_url(cohort), data)

    assert not register_url(cohort).startswith("/en/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in expected:
        assert text in page
    assert database_state() == before
