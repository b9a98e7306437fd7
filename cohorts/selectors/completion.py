"""What completion counts, for a whole cohort in two queries (its sessions, then its
participants with their counts), and what the rule decides from those counts.

The shared definitions (issue 7):

- only HELD sessions count; cancelled and still-scheduled ones do not;
- attended = present or late; an excused session leaves the denominator;
- attendance % = attended ÷ (held − excused) × 100; a denominator of 0 is 0% and never
  completes; exactly at the minimum passes (compared in integers);
- with ``post_test_required``, a passed post-test attempt (any of them) is needed too;
- training hours = the total length of the held sessions, in hours, one decimal.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohorts.models import (
    AssessmentAttempt,
    Attendance,
    Cohort,
    CompletionReason,
    Enrollment,
    Session,
)

Status = Enrollment.Status
# Confirmed participants, and those a previous run (or an organizer) already decided.
IN_SCOPE = (Status.CONFIRMED, Status.COMPLETED, Status.INCOMPLETE)
DECIDED = (Status.COMPLETED, Status.INCOMPLETE)
ATTENDED = (Attendance.Status.PRESENT, Attendance.Status.LATE)


def hours_of(sessions: list[Session]) -> Decimal:
    seconds = sum((s.ends_at - s.starts_at).total_seconds() for s in sessions)
    return (Decimal(seconds) / 3600).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CohortSessions:
    """The cohort's sessions that are not cancelled, in time order."""

    sessions: list[Session]
    now: dt.datetime = field(default_factory=timezone.now)

    @property
    def held(self) -> list[Session]:
        return [s for s in self.sessions if s.status == Session.Status.HELD]

    @property
    def unreported(self) -> list[Session]:
        """Sessions that have ended but are still scheduled: no report was submitted, so
        they do not count towards anyone's attendance."""
        return past_sessions_without_report(self.sessions, now=self.now)

    @property
    def hours(self) -> Decimal:
        return hours_of(self.held)


def past_sessions_without_report(
    sessions: list[Session], *, now: dt.datetime | None = None
) -> list[Session]:
    now = now or timezone.now()
    return [s for s in sessions if s.status == Session.Status.SCHEDULED and s.ends_at <= now]


def cohort_sessions_for_completion(*, cohort: Cohort) -> CohortSessions:
    sessions = cohort.sessions.exclude(status=Session.Status.CANCELLED).only(
        "id", "cohort_id", "title", "status", "starts_at", "ends_at"
    )
    return CohortSessions(sessions=list(sessions.order_by("starts_at", "id")))


def percent_text(value: Decimal | int) -> str:
    """75 → "75", 66.6 → "66.6" (or "66,6" in Indonesian)."""
    return floatformat(value, -1)


@dataclass(frozen=True)
class Decision:
    status: str
    reason: str


@dataclass(frozen=True)
class CompletionCount:
    """One participant's counts over the cohort's held sessions."""

    enrollment: Enrollment
    held: int
    attended: int
    excused: int
    post_test_passed: bool

    @property
    def counted(self) -> int:
        return self.held - self.excused

    @property
    def percent(self) -> Decimal:
        """Rounded down, so a share just under the minimum never shows as the minimum."""
        if self.counted <= 0:
            return Decimal("0.0")
        share = Decimal(self.attended * 100) / Decimal(self.counted)
        return share.quantize(Decimal("0.1"), rounding=ROUND_DOWN)

    def meets_attendance(self, minimum: int) -> bool:
        return self.counted > 0 and self.attended * 100 >= minimum * self.counted

    def decide(self, cohort: Cohort) -> Decision:
        """What the cohort's rule says, whatever was decided before."""
        if not self.meets_attendance(cohort.min_attendance_percent):
            return Decision(Status.INCOMPLETE, CompletionReason.LOW_ATTENDANCE)
        if cohort.post_test_required and not self.post_test_passed:
            return Decision(Status.INCOMPLETE, CompletionReason.POST_TEST)
        return Decision(Status.COMPLETED, CompletionReason.MET_RULE)


def completion_counts(*, cohort: Cohort, held: int) -> list[CompletionCount]:
    """Every participant in scope with their counts, by name (one query). ``held`` is the
    number of held sessions (from ``cohort_sessions_for_completion``)."""
    at_held = Q(attendances__session__status=Session.Status.HELD)
    passed_post = AssessmentAttempt.objects.filter(
        enrollment=OuterRef("pk"), kind=AssessmentAttempt.Kind.POST, passed=True
    )
    enrollments = (
        cohort.enrollments.filter(status__in=IN_SCOPE)
        .select_related("member", "certificate", "completion_overridden_by")
        .annotate(
            attended_count=Count(
                "attendances", filter=at_held & Q(attendances__status__in=ATTENDED)
            ),
            excused_count=Count(
                "attendances", filter=at_held & Q(attendances__status=Attendance.Status.EXCUSED)
            ),
            post_test_passed=Exists(passed_post),
        )
        .order_by("member__full_name", "id")
    )
    return [
        CompletionCount(
            enrollment=enrollment,
            held=held,
            attended=enrollment.attended_count,
            excused=enrollment.excused_count,
            post_test_passed=enrollment.post_test_passed,
        )
        for enrollment in enrollments
    ]


REASON_TEXTS = {
    CompletionReason.LOW_ATTENDANCE: gettext_lazy(
        "Attendance %(percent)s%% below the minimum %(minimum)s%%"
    ),
    CompletionReason.POST_TEST: gettext_lazy(
        "Attendance %(percent)s%% is enough, but the required post-test was not passed"
    ),
    CompletionReason.MET_RULE: gettext_lazy(
        "Attendance %(percent)s%% meets the minimum %(minimum)s%%"
    ),
}


def reason_text(
    *, reason: str, percent: Decimal | None, cohort: Cohort, note: str = "", counted: int = 1
) -> str:
    """The decision in words, with its numbers: "Attendance 75% below the minimum 80%"."""
    numbers = {
        "percent": percent_text(percent or 0),
        "minimum": cohort.min_attendance_percent,
    }
    if reason == CompletionReason.OVERRIDDEN:
        return _("Decided by an organizer: %(note)s") % {"note": note}
    if reason == CompletionReason.LOW_ATTENDANCE and counted <= 0:
        return _("No held session counts yet (none was held, or every one was excused).")
    return str(REASON_TEXTS[reason]) % numbers if reason in REASON_TEXTS else ""


@dataclass(frozen=True)
class CompletionRow:
    """A line of the organizer's completion page: the live counts, and the decision —
    the stored one once the cohort is completed, else what the rule would decide now."""

    count: CompletionCount
    cohort: Cohort

    @property
    def enrollment(self) -> Enrollment:
        return self.count.enrollment

    @property
    def is_decided(self) -> bool:
        return self.enrollment.status in DECIDED and bool(self.enrollment.completion_reason)

    @property
    def status(self) -> str:
        return self.enrollment.status if self.is_decided else self.count.decide(self.cohort).status

    @property
    def is_completed(self) -> bool:
        return self.status == Status.COMPLETED

    @property
    def is_overridden(self) -> bool:
        return self.enrollment.completion_reason == CompletionReason.OVERRIDDEN

    @property
    def reason(self) -> str:
        if self.is_decided:
            return reason_text(
                reason=self.enrollment.completion_reason,
                percent=self.enrollment.attendance_percent,
                cohort=self.cohort,
                note=self.enrollment.completion_override_note,
                counted=self.count.counted,
            )
        return reason_text(
            reason=self.count.decide(self.cohort).reason,
            percent=self.count.percent,
            cohort=self.cohort,
            counted=self.count.counted,
        )

    @property
    def certificate(self):
        return getattr(self.enrollment, "certificate", None)


def completion_rows(*, cohort: Cohort, sessions: CohortSessions) -> list[CompletionRow]:
    counts = completion_counts(cohort=cohort, held=len(sessions.held))
    return [CompletionRow(count=count, cohort=cohort) for count in counts]
