"""Reading certificates: for the public verify page, the organizer and the holder."""

from cohorts.models import Certificate, Cohort, Enrollment

# All the verify page may show: never the member's record, the serial or a revoke reason.
PUBLIC_FIELDS = ("id", "holder_name", "cohort_title", "starts_on", "ends_on", "revoked_at")


def certificate_for_code(*, code: str) -> Certificate | None:
    """The certificate with this verification code (already normalized), or ``None``."""
    return Certificate.objects.only(*PUBLIC_FIELDS).filter(verification_code=code).first()


def cohort_enrollment_get(*, cohort: Cohort, pk: int) -> Enrollment:
    """One registration of the cohort with its member and certificate (if any); else
    ``Enrollment.DoesNotExist``."""
    return cohort.enrollments.select_related("member", "certificate").get(pk=pk)
