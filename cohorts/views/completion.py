"""The organizer's completion page: who completed and why, overrides with a note, a
recompute, certificates to download or revoke. Reached through the cohorts the user
organizes; anything else is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cohorts.forms.completion import CertificateRevokeForm, CompletionOverrideForm
from cohorts.models import Certificate, Cohort, Enrollment
from cohorts.permissions import cohorts_managed_by
from cohorts.selectors.certificates import cohort_enrollment_get
from cohorts.selectors.completion import cohort_sessions_for_completion, completion_rows
from cohorts.services.certificates import certificate_revoke
from cohorts.services.completion import completion_apply, completion_override
from cohorts.views.certificates import certificate_response


def _cohort_or_404(request: HttpRequest, slug: str) -> Cohort:
    try:
        return cohorts_managed_by(request.user).get(slug=slug)
    except Cohort.DoesNotExist as missing:
        raise Http404 from missing


def _enrollment_or_404(cohort: Cohort, pk: int) -> Enrollment:
    try:
        return cohort_enrollment_get(cohort=cohort, pk=pk)
    except Enrollment.DoesNotExist as missing:
        raise Http404 from missing


def _back(cohort: Cohort, enrollment: Enrollment | None = None) -> HttpResponse:
    url = reverse("cohorts:completion", kwargs={"slug": cohort.slug})
    return redirect(f"{url}#person-{enrollment.pk}" if enrollment else url)


def _form_errors(request: HttpRequest, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@login_required
@require_GET
def completion(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = _cohort_or_404(request, slug)
    sessions = cohort_sessions_for_completion(cohort=cohort)
    rows = completion_rows(cohort=cohort, sessions=sessions)
    completed = sum(1 for row in rows if row.is_completed)
    with timezone.override(cohort.time_zone):
        return render(
            request,
            "cohorts/completion.html",
            {
                "cohort": cohort,
                "sessions": sessions,
                "rows": rows,
                "completed_count": completed,
                "incomplete_count": len(rows) - completed,
                "is_completed": cohort.status == Cohort.Status.COMPLETED,
                "override_form": CompletionOverrideForm(),
                "revoke_form": CertificateRevokeForm(),
            },
        )


@login_required
@require_POST
def completion_recompute(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = _cohort_or_404(request, slug)
    try:
        outcome = completion_apply(cohort=cohort, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _(
                "Recomputed: %(completed)d completed, %(incomplete)d did not complete "
                "(%(overridden)d decided by an organizer kept). Certificates: %(issued)d "
                "issued, %(revoked)d revoked."
            )
            % {
                "completed": outcome.completed,
                "incomplete": outcome.incomplete,
                "overridden": outcome.overridden,
                "issued": outcome.certificates_issued,
                "revoked": outcome.certificates_revoked,
            },
        )
    return _back(cohort)


def _after_override(request: HttpRequest, enrollment: Enrollment, completed: bool) -> None:
    name = enrollment.member.full_name
    certificate = Certificate.objects.filter(enrollment=enrollment).first()
    if completed and certificate and not certificate.is_valid:
        messages.warning(
            request,
            _(
                "%(name)s now counts as completed, but their certificate %(serial)s was "
                "revoked earlier and stays revoked."
            )
            % {"name": name, "serial": certificate.serial},
        )
        return
    decision = _("completed") if completed else _("did not complete")
    messages.success(
        request, _("Saved: %(name)s %(decision)s.") % {"name": name, "decision": decision}
    )


@login_required
@require_POST
def completion_override_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    cohort = _cohort_or_404(request, slug)
    enrollment = _enrollment_or_404(cohort, pk)
    form = CompletionOverrideForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(cohort, enrollment)
    try:
        enrollment = completion_override(
            enrollment=enrollment,
            completed=form.completed,
            note=form.cleaned_data["note"],
            by=request.user,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        _after_override(request, enrollment, form.completed)
    return _back(cohort, enrollment)


@login_required
@require_POST
def certificate_revoke_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    cohort = _cohort_or_404(request, slug)
    enrollment = _enrollment_or_404(cohort, pk)
    certificate = getattr(enrollment, "certificate", None)
    if certificate is None:
        raise Http404
    form = CertificateRevokeForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(cohort, enrollment)
    try:
        certificate_revoke(
            certificate=certificate, reason=form.cleaned_data["reason"], by=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Certificate %(serial)s of %(name)s was revoked.")
            % {"serial": certificate.serial, "name": enrollment.member.full_name},
        )
    return _back(cohort, enrollment)


@login_required
@require_GET
def completion_certificate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Any certificate of the organizer's cohort; a revoked one carries a stamp."""
    cohort = _cohort_or_404(request, slug)
    enrollment = _enrollment_or_404(cohort, pk)
    certificate = getattr(enrollment, "certificate", None)
    if certificate is None:
        raise Http404
    return certificate_response(certificate, member=enrollment.member)
