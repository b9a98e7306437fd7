"""Deciding who completed a cohort, and an organizer's override of that decision.

``completion_apply`` runs when the cohort becomes completed (in ``cohort_transition``'s
transaction) and again whenever an organizer asks for a recompute (a report submitted
late, a post-test passed after the last day). Each run decides every confirmed or already
decided participant by the rule (``cohorts.selectors.completion``), except those an
organizer decided by hand: an override stays until the organizer changes it.

Certificates follow the decision in the same transaction: everyone completed gets one
(numbered under the cohort's lock), and a certificate whose holder no longer completes
is revoked.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cohorts.models import Certificate, Cohort, CompletionReason, Enrollment, EnrollmentChange
from cohorts.selectors.completion import (
    DECIDED,
    CompletionCount,
    cohort_sessions_for_completion,
    completion_counts,
    reason_text,
)
from cohorts.services.certificates import (
    certificate_issue,
    certificate_revoke,
    certificates_issue_many,
    certificates_revoke_many,
)
from cohorts.services.enrollments import lock_cohort
from cohorts.services.follow_ups import follow_ups_after_completion

Status = Enrollment.Status
DECISION_FIELDS = [
    "status",
    "status_changed_at",
    "attendance_percent",
    "completion_reason",
    "completion_decided_at",
]


@dataclass(frozen=True)
class CompletionOutcome:
    completed: int
    incomplete: int
    overridden: int
    certificates_issued: int
    certificates_revoked: int


def _certificate_of(enrollment: Enrollment) -> Certificate | None:
    return getattr(enrollment, "certificate", None)


def _decide(
    count: CompletionCount, cohort: Cohort, *, by: AbstractBaseUser | None, now: dt.datetime
) -> EnrollmentChange | None:
    """Apply the rule to one participant (in memory); the history row when the status
    changes."""
    enrollment, decision = count.enrollment, count.decide(cohort)
    from_status = enrollment.status
    enrollment.status = decision.status
    enrollment.attendance_percent = count.percent
    enrollment.completion_reason = decision.reason
    enrollment.completion_decided_at = now
    if from_status == decision.status:
        return None
    enrollment.status_changed_at = now
    # History notes are read by organizers later; written in the platform's language.
    with translation.override(settings.LANGUAGE_CODE):
        note = reason_text(
            reason=decision.reason, percent=count.percent, cohort=cohort, counted=count.counted
        )
    return EnrollmentChange(
        enrollment=enrollment,
        from_status=from_status,
        to_status=decision.status,
        changed_by=by,
        note=note,
    )


def _certificates_follow(
    cohort: Cohort,
    counts: list[CompletionCount],
    *,
    by: AbstractBaseUser | None,
    hours: Decimal,
) -> tuple[int, int]:
    """Completed without a certificate → issued; not completed with a valid one → revoked."""
    completed = [c.enrollment for c in counts if c.enrollment.status == Status.COMPLETED]
    issued = certificates_issue_many(
        cohort=cohort,
        enrollments=[e for e in completed if _certificate_of(e) is None],
        by=by,
        hours=hours,
    )
    not_completed = [c.enrollment for c in counts if c.enrollment.status != Status.COMPLETED]
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("The completion decision changed: the training is no longer completed.")
    revoked = certificates_revoke_many(
        certificates=[_certificate_of(e) for e in not_completed if _certificate_of(e)],
        reason=reason,
        by=by,
    )
    return len(issued), revoked


@transaction.atomic
def completion_apply(*, cohort: Cohort, by: AbstractBaseUser | None) -> CompletionOutcome:
    """Decide every participant of a completed cohort by its rule; overrides are kept."""
    cohort = lock_cohort(cohort.pk)
    if cohort.status != Cohort.Status.COMPLETED:
        raise ValidationError(_("Completion is decided once the cohort is completed."))
    sessions = cohort_sessions_for_completion(cohort=cohort)
    counts = completion_counts(cohort=cohort, held=len(sessions.held))
    by_rule = [c for c in counts if c.enrollment.completion_reason != CompletionReason.OVERRIDDEN]
    now = timezone.now()
    history = [change for c in by_rule if (change := _decide(c, cohort, by=by, now=now))]
    Enrollment.objects.bulk_update([c.enrollment for c in by_rule], DECISION_FIELDS)
    EnrollmentChange.objects.bulk_create(history)
    issued, revoked = _certificates_follow(cohort, counts, by=by, hours=sessions.hours)
    follow_ups_after_completion(cohort=cohort)
    statuses = [c.enrollment.status for c in counts]
    return CompletionOutcome(
        completed=statuses.count(Status.COMPLETED),
        incomplete=statuses.count(Status.INCOMPLETE),
        overridden=len(counts) - len(by_rule),
        certificates_issued=issued,
        certificates_revoked=revoked,
    )


def _check_override(cohort: Cohort, enrollment: Enrollment, note: str) -> None:
    if not note:
        raise ValidationError(_("Write a note: why does this decision differ from the rule?"))
    if cohort.status != Cohort.Status.COMPLETED:
        raise ValidationError(_("Completion can be overridden only once the cohort is completed."))
    if enrollment.status not in DECIDED:
        raise ValidationError(_("Only a participant with a completion decision can be overridden."))


@transaction.atomic
def completion_override(
    *, enrollment: Enrollment, completed: bool, note: str, by: AbstractBaseUser
) -> Enrollment:
    """An organizer decides one participant by hand, with a note saying why. Completing
    issues the certificate (a revoked one stays revoked); not completing revokes it, with
    the note as the reason."""
    cohort = lock_cohort(enrollment.cohort_id)
    enrollment = cohort.enrollments.select_related("member").get(pk=enrollment.pk)
    note = note.strip()
    _check_override(cohort, enrollment, note)
    from_status, now = enrollment.status, timezone.now()
    enrollment.status = Status.COMPLETED if completed else Status.INCOMPLETE
    enrollment.status_changed_at = now
    enrollment.completion_reason = CompletionReason.OVERRIDDEN
    enrollment.completion_decided_at = now
    enrollment.completion_overridden_by = by
    enrollment.completion_override_note = note
    enrollment.save(
        update_fields=[*DECISION_FIELDS, "completion_overridden_by", "completion_override_note"]
    )
    EnrollmentChange.objects.create(
        enrollment=enrollment,
        from_status=from_status,
        to_status=enrollment.status,
        changed_by=by,
        note=note,
    )
    certificate = Certificate.objects.filter(enrollment=enrollment).first()
    if completed:
        certificate_issue(enrollment=enrollment, by=by)
    elif certificate and certificate.is_valid:
        certificate_revoke(certificate=certificate, reason=note, by=by)
    follow_ups_after_completion(cohort=cohort)
    return enrollment
