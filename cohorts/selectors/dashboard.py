"""What the cohort dashboard shows: attendance per session and per participant, knowledge
gain from the pre- and post-test, and the completion decisions.

Five queries whatever the size of the cohort; every count is an aggregate in the database.
The definitions are the ones the completion service uses:

- attended = present or late; only HELD sessions count; an excused session leaves the
  denominator: attendance % = attended ÷ (held − excused held) × 100, 0 when nothing is left;
- pre-test = the single pre attempt; post-test = the best post attempt; gain = post − pre in
  percentage points when both exist; passed = any post attempt passed.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from cohorts import zones
from cohorts.models import (
    AssessmentAttempt,
    Attendance,
    Cohort,
    CompletionReason,
    Enrollment,
    Session,
)
from cohorts.permissions import cohorts_managed_by
from curriculum.models import Assessment

# Everyone who held a seat through the training, also once completion was decided.
PARTICIPANT_STATUSES = (
    Enrollment.Status.CONFIRMED,
    Enrollment.Status.COMPLETED,
    Enrollment.Status.INCOMPLETE,
)
ATTENDED = (Attendance.Status.PRESENT, Attendance.Status.LATE)
# Stacking order of a session's bar, left to right.
BAR_STATUSES = ("present", "late", "absent", "excused", "unmarked")
ONE_DECIMAL = Decimal("0.1")


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent with one decimal, rounded down as the completion
    page does (a share just under the minimum never shows as the minimum); None when
    there is no whole."""
    if not whole:
        return None
    return (Decimal(part * 100) / Decimal(whole)).quantize(ONE_DECIMAL, ROUND_DOWN)


def mean(values: Iterable[Decimal]) -> Decimal | None:
    values = list(values)
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def svg_number(value: float) -> str:
    """A coordinate for an SVG attribute: a dot, never the locale's decimal comma."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class BarSegment:
    """One coloured piece of a stacked bar, in a 0–100 wide viewBox."""

    key: str
    count: int
    x: str
    width: str


def stacked_bar(counts: list[tuple[str, int]], whole: int) -> list[BarSegment]:
    segments, start = [], 0.0
    for key, count in counts:
        width = count * 100 / whole if whole else 0.0
        if count:
            segments.append(BarSegment(key, count, svg_number(start), svg_number(width)))
        start += width
    return segments


@dataclass(frozen=True)
class SessionAttendance:
    session: Session
    local_start: dt.datetime
    present: int
    late: int
    absent: int
    excused: int
    on_the_roll: int

    @property
    def is_held(self) -> bool:
        return self.session.status == Session.Status.HELD

    @property
    def attended(self) -> int:
        return self.present + self.late

    @property
    def unmarked(self) -> int:
        return max(self.on_the_roll - self.marked, 0)

    @property
    def marked(self) -> int:
        return self.present + self.late + self.absent + self.excused

    @property
    def rate(self) -> Decimal | None:
        """Present or late, out of everyone on the roll; none yet for a session that is
        neither held nor marked."""
        if not self.is_held and not self.marked:
            return None
        return percent(self.attended, self.on_the_roll)

    @property
    def bar(self) -> list[BarSegment]:
        return stacked_bar([(key, getattr(self, key)) for key in BAR_STATUSES], self.on_the_roll)


@dataclass(frozen=True)
class ParticipantRow:
    enrollment: Enrollment
    attended: int
    excused: int
    held: int
    minimum_percent: int
    missed: list[Session]
    pre_score: Decimal | None
    post_score: Decimal | None
    post_passed: bool

    @property
    def name(self) -> str:
        return self.enrollment.member.full_name

    @property
    def counted_sessions(self) -> int:
        return self.held - self.excused

    @property
    def attendance_percent(self) -> Decimal:
        return percent(self.attended, self.counted_sessions) or Decimal("0.0")

    @property
    def meets_minimum(self) -> bool:
        counted = self.counted_sessions
        return counted > 0 and self.attended * 100 >= self.minimum_percent * counted

    @property
    def gain(self) -> Decimal | None:
        if self.pre_score is None or self.post_score is None:
            return None
        return self.post_score - self.pre_score

    @property
    def attendance_width(self) -> str:
        return svg_number(float(self.attendance_percent))

    @property
    def pre_width(self) -> str:
        return svg_number(float(self.pre_score or 0))

    @property
    def post_width(self) -> str:
        return svg_number(float(self.post_score or 0))


@dataclass(frozen=True)
class KnowledgeSummary:
    average_pre: Decimal | None
    average_post: Decimal | None
    average_gain: Decimal | None
    took_pre: int
    took_post: int
    passed: int

    @classmethod
    def of(cls, rows: list[ParticipantRow]) -> "KnowledgeSummary":
        pre = [row.pre_score for row in rows if row.pre_score is not None]
        post = [row.post_score for row in rows if row.post_score is not None]
        gains = [row.gain for row in rows if row.gain is not None]
        return cls(
            average_pre=mean(pre),
            average_post=mean(post),
            average_gain=mean(gains),
            took_pre=len(pre),
            took_post=len(post),
            passed=sum(1 for row in rows if row.post_passed),
        )


@dataclass(frozen=True)
class ReasonCount:
    reason: str
    label: str
    completed: int
    incomplete: int


@dataclass(frozen=True)
class CompletionSummary:
    completed: int
    incomplete: int
    undecided: int
    reasons: list[ReasonCount] = field(default_factory=list)

    @property
    def decided(self) -> int:
        return self.completed + self.incomplete


@dataclass(frozen=True)
class CohortDashboard:
    cohort: Cohort
    sessions: list[SessionAttendance]
    participants: list[ParticipantRow]
    knowledge: KnowledgeSummary
    completion: CompletionSummary
    pass_mark: int | None

    @property
    def on_the_roll(self) -> int:
        return len(self.participants)

    @property
    def held(self) -> int:
        return sum(1 for row in self.sessions if row.is_held)

    @property
    def average_attendance(self) -> Decimal | None:
        """The mean of the participants' attendance %, once a session was held."""
        if not self.held:
            return None
        return mean(row.attendance_percent for row in self.participants)

    @property
    def minimum_width(self) -> str:
        return svg_number(self.cohort.min_attendance_percent)

    @property
    def pass_mark_width(self) -> str:
        return svg_number(self.pass_mark or 0)


def cohort_dashboard_get(*, user: AbstractBaseUser, slug: str) -> Cohort:
    """A cohort whose dashboard the user may read: its organizers' (``is_managed`` set), and
    its lead trainers' (read-only); else ``Cohort.DoesNotExist``."""
    if not user.is_authenticated:
        raise Cohort.DoesNotExist
    managed = cohorts_managed_by(user)
    led = Cohort.objects.filter(lead_trainers__user=user)
    return (
        Cohort.objects.filter(Q(pk__in=managed.values("pk")) | Q(pk__in=led.values("pk")))
        .annotate(is_managed=Exists(managed.filter(pk=OuterRef("pk"))))
        .get(slug=slug)
    )


def _on_roll(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status__in": PARTICIPANT_STATUSES})


def _sessions(cohort: Cohort) -> QuerySet[Session]:
    """The cohort's sessions that were not cancelled, with one count per status of the
    marks given to people on the roll."""
    marked = _on_roll("attendances__enrollment__")
    return (
        cohort.sessions.exclude(status=Session.Status.CANCELLED)
        .annotate(
            **{
                status: Count("attendances", filter=marked & Q(attendances__status=status))
                for status in Attendance.Status.values
            }
        )
        .only("id", "cohort_id", "title", "starts_at", "status")
        .order_by("starts_at", "id")
    )


def _attempts(kind: str) -> QuerySet[AssessmentAttempt]:
    return AssessmentAttempt.objects.filter(enrollment=OuterRef("pk"), kind=kind)


def _participants(cohort: Cohort) -> QuerySet[Enrollment]:
    in_held = Q(attendances__session__status=Session.Status.HELD)
    pre = _attempts(AssessmentAttempt.Kind.PRE).filter(number=1)
    post = _attempts(AssessmentAttempt.Kind.POST)
    return (
        cohort.enrollments.filter(_on_roll())
        .select_related("member")
        .only("id", "cohort_id", "status", "completion_reason", "member__id", "member__full_name")
        .annotate(
            attended=Count("attendances", filter=in_held & Q(attendances__status__in=ATTENDED)),
            excused=Count(
                "attendances", filter=in_held & Q(attendances__status=Attendance.Status.EXCUSED)
            ),
            pre_score=Subquery(pre.values("score_percent")[:1]),
            post_score=Subquery(post.order_by("-score_percent").values("score_percent")[:1]),
            post_passed=Exists(post.filter(passed=True)),
        )
        .order_by("member__full_name", "id")
    )


def _accounted_for(cohort: Cohort) -> set[tuple[int, int]]:
    """(enrollment, session) pairs of held sessions a participant attended or was excused
    from; every other held session of theirs was missed."""
    return set(
        Attendance.objects.filter(
            session__cohort=cohort,
            session__status=Session.Status.HELD,
            status__in=[*ATTENDED, Attendance.Status.EXCUSED],
        ).values_list("enrollment_id", "session_id")
    )


def _completion(cohort: Cohort) -> CompletionSummary:
    completed = Q(status=Enrollment.Status.COMPLETED)
    incomplete = Q(status=Enrollment.Status.INCOMPLETE)
    counts = cohort.enrollments.order_by().aggregate(
        completed=Count("id", filter=completed),
        incomplete=Count("id", filter=incomplete),
        undecided=Count("id", filter=Q(status=Enrollment.Status.CONFIRMED)),
        **{
            f"{reason}:{outcome}": Count("id", filter=where & Q(completion_reason=reason))
            for reason in CompletionReason.values
            for outcome, where in (("completed", completed), ("incomplete", incomplete))
        },
    )
    reasons = [
        ReasonCount(
            reason=reason,
            label=str(label),
            completed=counts[f"{reason}:completed"],
            incomplete=counts[f"{reason}:incomplete"],
        )
        for reason, label in CompletionReason.choices
    ]
    return CompletionSummary(
        completed=counts["completed"],
        incomplete=counts["incomplete"],
        undecided=counts["undecided"],
        reasons=[row for row in reasons if row.completed or row.incomplete],
    )


def cohort_dashboard(*, cohort: Cohort) -> CohortDashboard:
    """Everything the dashboard shows, in five queries however many people and sessions."""
    participants = list(_participants(cohort))
    sessions = [
        SessionAttendance(
            session=session,
            local_start=zones.local(session.starts_at, cohort),
            present=session.present,
            late=session.late,
            absent=session.absent,
            excused=session.excused,
            on_the_roll=len(participants),
        )
        for session in _sessions(cohort)
    ]
    held = [row.session for row in sessions if row.is_held]
    accounted_for = _accounted_for(cohort) if held else set()
    rows = [
        ParticipantRow(
            enrollment=enrollment,
            attended=enrollment.attended,
            excused=enrollment.excused,
            held=len(held),
            minimum_percent=cohort.min_attendance_percent,
            missed=[s for s in held if (enrollment.pk, s.pk) not in accounted_for],
            pre_score=enrollment.pre_score,
            post_score=enrollment.post_score,
            post_passed=enrollment.post_passed,
        )
        for enrollment in participants
    ]
    pass_mark = (
        Assessment.objects.filter(curriculum_id=cohort.curriculum_id)
        .values_list("pass_mark", flat=True)
        .first()
    )
    return CohortDashboard(
        cohort=cohort,
        sessions=sessions,
        participants=rows,
        knowledge=KnowledgeSummary.of(rows),
        completion=_completion(cohort),
        pass_mark=pass_mark,
    )
