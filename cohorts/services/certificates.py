"""Issuing and revoking certificates.

One certificate per completed registration, numbered within its cohort under the
cohort's lock: ``TOT-<year the cohort ended>-<cohort id, 4 digits>-<nnn>``. What it says
(name, training, dates, hours, organizers) is copied at issue, so later edits never change
a certificate already printed.

Issuing is idempotent: when the registration already has a certificate, that one is
returned unchanged — also when it was revoked. A revoked certificate stays revoked (the
verify page keeps saying so); it is never revived, and no second one is made for the same
registration.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Certificate, Cohort, Enrollment, Session
from cohorts.selectors.completion import hours_of
from cohorts.services.enrollments import lock_cohort

SERIAL_PREFIX = "TOT"
ORGANIZATIONS_MAX_LENGTH = Certificate._meta.get_field("organizations").max_length


def certificate_serial(*, cohort: Cohort, number: int) -> str:
    return f"{SERIAL_PREFIX}-{cohort.ends_on.year}-{cohort.pk:04d}-{number:03d}"


def _next_number(cohort: Cohort) -> int:
    serials = Certificate.objects.filter(enrollment__cohort=cohort).values_list("serial", flat=True)
    numbers = [int(serial.rsplit("-", 1)[1]) for serial in serials]
    return max(numbers, default=0) + 1


def _organizations_of(cohort: Cohort) -> str:
    names = cohort.organizers.order_by("name").values_list("name", flat=True)
    return ", ".join(names)[:ORGANIZATIONS_MAX_LENGTH]


def _held_hours(cohort: Cohort) -> Decimal:
    held = cohort.sessions.filter(status=Session.Status.HELD).only("starts_at", "ends_at")
    return hours_of(list(held))


def certificates_issue_many(
    *,
    cohort: Cohort,
    enrollments: Sequence[Enrollment],
    by: AbstractBaseUser | None,
    hours: Decimal | None = None,
) -> list[Certificate]:
    """Certificates for completed registrations that have none yet, numbered on from the
    cohort's last. Call inside a transaction with the cohort locked (``lock_cohort``);
    ``enrollments`` come with their member loaded."""
    if not enrollments:
        return []
    hours = _held_hours(cohort) if hours is None else hours
    organizations = _organizations_of(cohort)
    first = _next_number(cohort)
    return Certificate.objects.bulk_create(
        Certificate(
            enrollment=enrollment,
            serial=certificate_serial(cohort=cohort, number=first + offset),
            holder_name=enrollment.member.full_name,
            cohort_title=cohort.title,
            starts_on=cohort.starts_on,
            ends_on=cohort.ends_on,
            hours=hours,
            organizations=organizations,
            issued_by=by,
        )
        for offset, enrollment in enumerate(enrollments)
    )


@transaction.atomic
def certificate_issue(*, enrollment: Enrollment, by: AbstractBaseUser | None) -> Certificate:
    """The registration's certificate: the existing one (valid or revoked), else a new one.
    Only a completed registration gets one."""
    cohort = lock_cohort(enrollment.cohort_id)
    enrollment = Enrollment.objects.select_related("member").get(pk=enrollment.pk)
    existing = Certificate.objects.filter(enrollment=enrollment).first()
    if existing:
        return existing
    if enrollment.status != Enrollment.Status.COMPLETED:
        raise ValidationError(_("A certificate is issued only for a completed training."))
    [certificate] = certificates_issue_many(cohort=cohort, enrollments=[enrollment], by=by)
    return certificate


def _revoke(certificate: Certificate, *, reason: str, by: AbstractBaseUser | None) -> None:
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = by
    certificate.revoke_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])


@transaction.atomic
def certificate_revoke(
    *, certificate: Certificate, reason: str, by: AbstractBaseUser | None
) -> Certificate:
    """Withdraw a certificate. The row stays, so its verify page says it was revoked (and
    when, never why: the reason is for the organizers)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Write why the certificate is revoked."))
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise ValidationError(_("This certificate was already revoked."))
    _revoke(certificate, reason=reason, by=by)
    return certificate


def certificates_revoke_many(
    *, certificates: Sequence[Certificate], reason: str, by: AbstractBaseUser | None
) -> int:
    """Inside the caller's transaction (completion): revoke those still valid."""
    valid = [certificate.pk for certificate in certificates if certificate.revoked_at is None]
    return Certificate.objects.filter(pk__in=valid, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by, revoke_reason=reason
    )
