"""Certificates outside the organizer's page: the holder's download and the public verify
page.

The verify page is for anyone holding a certificate or its code (an employer, another
union): no login. It shows only the holder's name, the training, its dates and whether
the certificate is valid (or since when it is revoked) — never the member's record, and
never why a certificate was revoked. Look-ups are rate limited per IP
(``CERTIFICATE_VERIFY_RATE_LIMITS``), and search engines are asked not to index it.
"""

from http import HTTPStatus

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cohorts.certificate_pdf import certificate_filename, certificate_pdf
from cohorts.forms.completion import CertificateVerifyForm, normalize_code
from cohorts.models import Certificate, Enrollment
from cohorts.ratelimits import rate_limit_hit
from cohorts.selectors.certificates import certificate_for_code
from cohorts.selectors.registration import own_enrollment_get
from members.models import Member


def certificate_response(certificate: Certificate, *, member: Member) -> HttpResponse:
    """The PDF as a download, in the holder's language."""
    language = member.preferred_language or settings.LANGUAGE_CODE
    response = HttpResponse(
        certificate_pdf(certificate, language=language), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{certificate_filename(certificate)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def certificate_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The holder's own certificate; someone else's registration is a 404."""
    try:
        enrollment = own_enrollment_get(user=request.user, pk=pk)
    except Enrollment.DoesNotExist as missing:
        raise Http404 from missing
    certificate = getattr(enrollment, "certificate", None)
    if certificate is None:
        raise Http404
    if not certificate.is_valid:
        # The registration's page says it was revoked, and when.
        return redirect("cohorts:my_training", pk=enrollment.pk)
    return certificate_response(certificate, member=enrollment.member)


def _verify_page(request: HttpRequest, status: int = HTTPStatus.OK, **context) -> HttpResponse:
    context.setdefault("form", CertificateVerifyForm())
    response = render(request, "cohorts/certificate_verify.html", context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    if status == HTTPStatus.TOO_MANY_REQUESTS:
        response["Retry-After"] = "60"
    return response


def _too_many(request: HttpRequest) -> bool:
    return rate_limit_hit(
        request, action="certificate_verify", spec=settings.CERTIFICATE_VERIFY_RATE_LIMITS
    )


@never_cache
@require_GET
def verify(request: HttpRequest) -> HttpResponse:
    """The form to type a code; a valid one leads to its verify page."""
    form = CertificateVerifyForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        return redirect("cohorts:verify_code", code=form.cleaned_data["code"])
    return _verify_page(request, form=form)


@never_cache
@require_GET
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """What the QR code on a certificate opens. Capitals or not, with spaces or dashes:
    the same certificate."""
    if _too_many(request):
        return _verify_page(request, HTTPStatus.TOO_MANY_REQUESTS, too_many=True)
    certificate = certificate_for_code(code=normalize_code(code))
    if certificate is None:
        form = CertificateVerifyForm(initial={"code": code})
        return _verify_page(request, HTTPStatus.NOT_FOUND, form=form, not_found=True, code=code)
    return _verify_page(request, certificate=certificate)
