"""A participant's side of registration: the register page, "my trainings", cancelling,
and the e-ticket.

The register page serves three kinds of visitor with one form: a member (the cohort's
questions, and consent if their record has none), someone logged in without a member
record (also who they are), and an anonymous visitor (also an account, made by allauth's
sign-up form and flow). Whatever is created — account, member record, consent, seat — is
written in one transaction, so a refused seat leaves nothing behind. A new visitor then
sees a "check your e-mail" page — the same when their address already had an account,
which writes nothing and mails its owner (allauth's enumeration prevention).

Anti-abuse: POSTs are rate limited per IP and per account (``REGISTRATION_RATE_LIMITS``,
429 "try again"); a filled honeypot field answers 400 and writes nothing (a person never
sees that field; telling a bot plainly costs nothing, since it learns no more than from a
fake success); CSRF is Django's.
"""

import logging
from dataclasses import dataclass
from http import HTTPStatus

from allauth.account import app_settings as allauth_settings
from allauth.account.utils import complete_signup
from allauth.core.exceptions import ImmediateHttpResponse
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cohorts.forms.registration import (
    HONEYPOT_FIELD,
    NewMemberForm,
    RegistrationAnswersForm,
    RegistrationConsentForm,
    RegistrationSignupForm,
)
from cohorts.models import Cohort, Enrollment
from cohorts.ratelimits import registration_rate_limited
from cohorts.selectors import cohort_public_get, registration_window
from cohorts.selectors.assessments_taking import TAKING_STATUSES, assessment_options
from cohorts.selectors.cascade_place import cascade_place
from cohorts.selectors.cascade_plans import member_cascades
from cohorts.selectors.registration import (
    active_enrollment_get,
    cohort_seats_left,
    member_enrollments,
    own_enrollment_get,
)
from cohorts.services.enrollments import Registration, RegistrationBusyError, enrollment_cancel
from cohorts.services.registration import (
    enrollment_register_new_account,
    enrollment_register_new_member,
    enrollment_register_self,
)
from cohorts.tickets import ticket_qr_svg, ticket_short_code, ticket_token_for
from members.models import Member
from members.selectors import member_for_user

logger = logging.getLogger(__name__)

# The address a new visitor's registration mailed, for the "check your e-mail" page.
SENT_TO_SESSION_KEY = "cohorts_registration_sent_to"


@dataclass
class RegistrationForms:
    """The parts of the one registration form this visitor needs."""

    answers: RegistrationAnswersForm
    consent: RegistrationConsentForm | None
    member: NewMemberForm | None
    account: RegistrationSignupForm | None

    @property
    def all(self) -> list[Form]:
        return [form for form in (self.account, self.member, self.answers, self.consent) if form]

    def is_valid(self) -> bool:
        results = [form.is_valid() for form in self.all]  # every form shows its errors
        return all(results)

    def show_errors(self, error: ValidationError) -> None:
        """Put a service's error on the field it names, in whichever form has that field."""
        if not hasattr(error, "error_dict"):
            self.all[0].add_error(None, error.messages)
            return
        for field, errors in error.error_dict.items():
            form = next((form for form in self.all if field in form.fields), self.all[0])
            form.add_error(field if field in form.fields else None, errors)


def _forms(request: HttpRequest, cohort: Cohort, member: Member | None) -> RegistrationForms:
    data = request.POST if request.method == "POST" else None
    return RegistrationForms(
        answers=RegistrationAnswersForm(data, cohort=cohort, member=member),
        consent=None if member and member.has_consent else RegistrationConsentForm(data),
        member=None if member else NewMemberForm(data),
        account=None if request.user.is_authenticated else RegistrationSignupForm(data),
    )


def _public_cohort_or_404(slug: str) -> Cohort:
    try:
        return cohort_public_get(slug=slug)
    except Cohort.DoesNotExist as missing:
        raise Http404 from missing


def _problem(request: HttpRequest, cohort: Cohort, message: str, status: int) -> HttpResponse:
    response = render(
        request,
        "cohorts/registration_problem.html",
        {"cohort": cohort, "message": message},
        status=status,
    )
    if status in {HTTPStatus.TOO_MANY_REQUESTS, HTTPStatus.SERVICE_UNAVAILABLE}:
        response["Retry-After"] = "30" if status == HTTPStatus.TOO_MANY_REQUESTS else "5"
    return response


def _page(request: HttpRequest, cohort: Cohort, **context) -> HttpResponse:
    with timezone.override(cohort.time_zone):
        return render(request, "cohorts/registration_form.html", {"cohort": cohort, **context})


@never_cache
def register(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = _public_cohort_or_404(slug)
    if request.method == "POST":
        if registration_rate_limited(request):
            message = _("Too many registration attempts. Please try again in a minute.")
            return _problem(request, cohort, message, HTTPStatus.TOO_MANY_REQUESTS)
        if request.POST.get(HONEYPOT_FIELD):
            message = _("Your registration could not be accepted.")
            return _problem(request, cohort, message, HTTPStatus.BAD_REQUEST)
    existing = active_enrollment_get(cohort=cohort, user=request.user)
    if existing:
        return _page(request, cohort, existing=existing)
    window = registration_window(cohort=cohort)
    if not window.is_open:
        return _page(request, cohort, window=window)
    member = member_for_user(user=request.user) if request.user.is_authenticated else None
    forms = _forms(request, cohort, member)
    if request.method == "POST" and forms.is_valid():
        response = _register(request, cohort, member, forms)
        if response:
            return response
    return _page(
        request,
        cohort,
        window=window,
        forms=forms,
        member=member,
        seats_left=cohort_seats_left(cohort=cohort),
        login_url=_login_url(cohort),
    )


def _login_url(cohort: Cohort) -> str:
    next_url = reverse("cohorts:register", kwargs={"slug": cohort.slug})
    return f"{reverse('account_login')}?{urlencode({'next': next_url})}"


def _register(
    request: HttpRequest, cohort: Cohort, member: Member | None, forms: RegistrationForms
) -> HttpResponse | None:
    """Write everything or nothing; ``None`` re-renders the form with the errors."""
    try:
        registration = _register_through_services(request, cohort, member, forms)
    except RegistrationBusyError as busy:
        return _problem(request, cohort, busy.messages[0], HTTPStatus.SERVICE_UNAVAILABLE)
    except ValidationError as error:
        forms.show_errors(error)
        return None
    except IntegrityError:  # the same form sent twice at once: the first one won
        forms.all[0].add_error(None, _("This was sent twice. Check your registration."))
        return None
    if forms.account:
        return _after_signup(request, cohort, forms.account, registration)
    if not registration.created:
        messages.info(request, _("You were already registered for this training."))
    return redirect("cohorts:my_training", pk=registration.enrollment.pk)


def _register_through_services(
    request: HttpRequest, cohort: Cohort, member: Member | None, forms: RegistrationForms
) -> Registration | None:
    answers = forms.answers.answers()
    if member:
        return enrollment_register_self(
            cohort=cohort,
            member=member,
            user=request.user,
            answers=answers,
            consent=bool(forms.consent),
        )
    new_member = {
        "cohort": cohort,
        "member_data": forms.member.member_data(),
        "answers": answers,
        "language": get_language(),
    }
    if forms.account:
        return enrollment_register_new_account(
            request=request, signup_form=forms.account, **new_member
        )
    return enrollment_register_new_member(user=request.user, **new_member)


def _after_signup(
    request: HttpRequest,
    cohort: Cohort,
    signup_form: RegistrationSignupForm,
    registration: Registration | None,
) -> HttpResponse:
    """allauth's own end of sign-up. A new account: the verification mail, and a login only
    where the settings allow it (with mandatory verification, once the mailed link is
    opened — allauth then logs them in and brings them to the result page). An e-mail that
    already has an account (``registration`` is ``None``, nothing was written): allauth's
    "account already exists" mail to its owner. Until logged in, both see the same "check
    your e-mail" page, so the form tells no one who has an account.

    The mail goes out after the commit: if the mail server fails, what was written stays
    and the visitor gets the same page (logging in sends the link again), not an error."""
    try:
        response = _signup_mail_and_login(request, signup_form, registration)
    except ImmediateHttpResponse as stop:
        response = stop.response
    except Exception:
        logger.exception("Registration for %s: the sign-up mail could not be sent", cohort.slug)
        response = None
    if response is not None and request.user.is_authenticated:
        return response
    request.session[SENT_TO_SESSION_KEY] = signup_form.cleaned_data["email"]
    return redirect("cohorts:register_sent", slug=cohort.slug)


def _signup_mail_and_login(
    request: HttpRequest, signup_form: RegistrationSignupForm, registration: Registration | None
) -> HttpResponse | None:
    if registration is None:
        signup_form.try_save(request)  # allauth's enumeration-safe answer: mails the owner
        return None
    return complete_signup(
        request,
        registration.enrollment.member.user,
        allauth_settings.EMAIL_VERIFICATION,
        success_url=reverse("cohorts:my_training", kwargs={"pk": registration.enrollment.pk}),
    )


@never_cache
def register_sent(request: HttpRequest, slug: str) -> HttpResponse:
    """Where a new visitor's registration ends until they open the mailed link — the same
    page whether or not their e-mail already had an account."""
    cohort = _public_cohort_or_404(slug)
    return render(
        request,
        "cohorts/registration_sent.html",
        {
            "cohort": cohort,
            "email": request.session.get(SENT_TO_SESSION_KEY, ""),
            "login_url": _login_url(cohort),
        },
    )


@login_required
def my_trainings(request: HttpRequest) -> HttpResponse:
    member = member_for_user(user=request.user)
    enrollments = list(member_enrollments(member=member)) if member else []
    return render(
        request,
        "cohorts/my_trainings.html",
        {
            "member": member,
            "enrollments": enrollments,
            "cascades": member_cascades(member=member) if member else None,
        },
    )


@login_required
def my_training(request: HttpRequest, pk: int) -> HttpResponse:
    """One registration's status: the page a registration lands on."""
    enrollment = _own_enrollment_or_404(request, pk)
    tests = None
    if enrollment.status in TAKING_STATUSES:
        tests = assessment_options(enrollment=enrollment)
    place = None
    if enrollment.status == Enrollment.Status.COMPLETED:
        place = cascade_place(member=enrollment.member, cohort=enrollment.cohort)
    with timezone.override(enrollment.cohort.time_zone):
        return render(
            request,
            "cohorts/my_trainings_detail.html",
            {"enrollment": enrollment, "tests": tests, "place": place},
        )


def _own_enrollment_or_404(request: HttpRequest, pk: int) -> Enrollment:
    try:
        return own_enrollment_get(user=request.user, pk=pk)
    except Enrollment.DoesNotExist as missing:
        raise Http404 from missing


@login_required
@require_POST
def enrollment_cancel_self(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _own_enrollment_or_404(request, pk)
    try:
        enrollment_cancel(enrollment=enrollment, by=request.user)
    except RegistrationBusyError as busy:
        busy_status = HTTPStatus.SERVICE_UNAVAILABLE
        return _problem(request, enrollment.cohort, busy.messages[0], busy_status)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Your registration for %(cohort)s is cancelled.") % {"cohort": enrollment.cohort},
        )
    return redirect("cohorts:my_trainings")


@login_required
def ticket(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _own_enrollment_or_404(request, pk)
    if enrollment.status != Enrollment.Status.CONFIRMED:
        raise Http404
    code = ticket_short_code(enrollment)
    with timezone.override(enrollment.cohort.time_zone):
        return render(
            request,
            "cohorts/ticket.html",
            {
                "enrollment": enrollment,
                "short_code": code,
                "qr_svg": ticket_qr_svg(
                    ticket_token_for(enrollment), title=_("Ticket %(code)s") % {"code": code}
                ),
            },
        )
