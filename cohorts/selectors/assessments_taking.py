"""When participants take the pre- and post-test, and what one participant may do now.

Each cohort may set its own windows; an empty field takes the default:

- the pre-test is open as soon as a participant is confirmed, until the first session
  (not cancelled) starts;
- the post-test opens when the last session (not cancelled) starts and closes seven days
  after the training's last day ends, in the cohort's zone.

Without any session the first and last day stand in for them (their start in the zone).
The pre-test is taken once; the post-test up to ``post_test_max_attempts`` times, and no
more once passed. Every function takes ``now`` so tests can move the clock.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext

from cohorts import zones
from cohorts.models import AssessmentAttempt, Cohort, Enrollment, Session
from curriculum.models import Assessment, Choice, Question

Kind = AssessmentAttempt.Kind
TAKING_STATUSES = (Enrollment.Status.CONFIRMED, Enrollment.Status.COMPLETED)
POST_TEST_GRACE_DAYS = 7


@dataclass(frozen=True)
class AssessmentWindow:
    """``opens_at`` ``None``: open from the moment a participant is confirmed."""

    opens_at: dt.datetime | None
    closes_at: dt.datetime

    def has_opened(self, now: dt.datetime) -> bool:
        return self.opens_at is None or now >= self.opens_at

    def has_closed(self, now: dt.datetime) -> bool:
        return now >= self.closes_at

    def is_open(self, now: dt.datetime) -> bool:
        return self.has_opened(now) and not self.has_closed(now)


@dataclass(frozen=True)
class AssessmentWindows:
    pre: AssessmentWindow
    post: AssessmentWindow

    def of(self, kind: str) -> AssessmentWindow:
        return self.pre if kind == Kind.PRE else self.post


def _session_bounds(
    cohort: Cohort, sessions: Iterable[Session] | None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    if sessions is not None:
        starts = [s.starts_at for s in sessions if s.status != Session.Status.CANCELLED]
        return min(starts, default=None), max(starts, default=None)
    bounds = cohort.sessions.exclude(status=Session.Status.CANCELLED).aggregate(
        first=Min("starts_at"), last=Max("starts_at")
    )
    return bounds["first"], bounds["last"]


def assessment_windows(
    *, cohort: Cohort, sessions: Iterable[Session] | None = None
) -> AssessmentWindows:
    """The cohort's two windows (pass its ``sessions`` if they are loaded; else one query)."""
    first, last = _session_bounds(cohort, sessions)
    first = first or zones.aware(cohort.starts_on, dt.time(), cohort)
    last = last or zones.aware(cohort.ends_on, dt.time(), cohort)
    grace_ends = zones.aware(
        cohort.ends_on + dt.timedelta(days=POST_TEST_GRACE_DAYS + 1), dt.time(), cohort
    )
    return AssessmentWindows(
        pre=AssessmentWindow(
            opens_at=cohort.pre_test_opens_at,
            closes_at=cohort.pre_test_closes_at or first,
        ),
        post=AssessmentWindow(
            opens_at=cohort.post_test_opens_at or last,
            closes_at=cohort.post_test_closes_at or grace_ends,
        ),
    )


class Refusal:
    """Why a test cannot be taken now (the message is written when it is read, in the
    language active then)."""

    NO_TEST = "no_test"
    NOT_CONFIRMED = "not_confirmed"
    NOT_YET_OPEN = "not_yet_open"
    CLOSED = "closed"
    TAKEN = "taken"
    PASSED = "passed"
    NO_ATTEMPTS_LEFT = "no_attempts_left"


@dataclass
class AssessmentOption:
    """One of the two tests as one participant sees it now."""

    kind: str
    cohort: Cohort
    window: AssessmentWindow
    attempts: list[AssessmentAttempt]
    max_attempts: int
    refusal: str = ""

    @property
    def can_take(self) -> bool:
        return not self.refusal

    @property
    def label(self) -> str:
        return Kind(self.kind).label

    @property
    def attempts_left(self) -> int:
        return max(self.max_attempts - len(self.attempts), 0)

    @property
    def best(self) -> AssessmentAttempt | None:
        """The attempt that counts: the pre-test's only one, the post-test's best."""
        return max(self.attempts, key=lambda a: (a.score_percent, -a.number), default=None)

    @property
    def passed(self) -> bool:
        return any(attempt.passed for attempt in self.attempts)

    @property
    def next_number(self) -> int:
        return max((attempt.number for attempt in self.attempts), default=0) + 1

    def _when(self, moment: dt.datetime) -> str:
        local = zones.local(moment, self.cohort)
        return f"{formats.date_format(local, 'j F Y, H:i')} {self.cohort.zone_abbreviation}"

    @property
    def closes(self) -> str:
        return self._when(self.window.closes_at)

    @property
    def reason(self) -> str:
        messages = {
            Refusal.NO_TEST: lambda: gettext("This training has no test."),
            Refusal.NOT_CONFIRMED: lambda: gettext(
                "Only confirmed participants take the tests of a training."
            ),
            Refusal.NOT_YET_OPEN: lambda: (
                gettext("%(test)s opens on %(when)s.")
                % {"test": self.label, "when": self._when(self.window.opens_at)}
            ),
            Refusal.CLOSED: lambda: (
                gettext("%(test)s closed on %(when)s.") % {"test": self.label, "when": self.closes}
            ),
            Refusal.TAKEN: lambda: gettext("You have already taken the pre-test."),
            Refusal.PASSED: lambda: gettext("You have passed the post-test."),
            Refusal.NO_ATTEMPTS_LEFT: lambda: (
                ngettext(
                    "You have used your %(count)d attempt at the post-test.",
                    "You have used all %(count)d attempts at the post-test.",
                    self.max_attempts,
                )
                % {"count": self.max_attempts}
            ),
        }
        return messages[self.refusal]() if self.refusal else ""


def _refusal(
    *,
    kind: str,
    enrollment: Enrollment,
    window: AssessmentWindow,
    attempts: list[AssessmentAttempt],
    max_attempts: int,
    now: dt.datetime,
) -> str:
    if enrollment.status not in TAKING_STATUSES:
        return Refusal.NOT_CONFIRMED
    if kind == Kind.PRE and attempts:
        return Refusal.TAKEN
    if kind == Kind.POST and any(attempt.passed for attempt in attempts):
        return Refusal.PASSED
    if len(attempts) >= max_attempts:
        return Refusal.NO_ATTEMPTS_LEFT
    if not window.has_opened(now):
        return Refusal.NOT_YET_OPEN
    if window.has_closed(now):
        return Refusal.CLOSED
    return ""


@dataclass
class AssessmentOptions:
    """Both tests for one enrollment; ``offered`` is false when the curriculum has no
    assessment with questions (the tests are then not mentioned at all)."""

    assessment: Assessment | None
    question_count: int
    pre: AssessmentOption
    post: AssessmentOption
    options: list[AssessmentOption] = field(init=False)

    def __post_init__(self) -> None:
        self.options = [self.pre, self.post]

    @property
    def offered(self) -> bool:
        return self.assessment is not None and self.question_count > 0

    def of(self, kind: str) -> AssessmentOption:
        return self.pre if kind == Kind.PRE else self.post


def assessment_with_question_count(*, cohort: Cohort) -> Assessment | None:
    """The cohort curriculum's assessment with ``question_count`` annotated (one query)."""
    return (
        Assessment.objects.filter(curriculum_id=cohort.curriculum_id)
        .annotate(question_count=Count("questions"))
        .first()
    )


def assessment_options(
    *,
    enrollment: Enrollment,
    now: dt.datetime | None = None,
    attempts: Iterable[AssessmentAttempt] | None = None,
) -> AssessmentOptions:
    """What ``enrollment`` (with its cohort loaded) may do about each test at ``now``:
    three queries (assessment, session bounds, attempts; pass ``attempts`` to save one)."""
    now = now or timezone.now()
    cohort = enrollment.cohort
    assessment = assessment_with_question_count(cohort=cohort)
    question_count = assessment.question_count if assessment else 0
    windows = assessment_windows(cohort=cohort)
    if attempts is None:
        attempts = enrollment.assessment_attempts.order_by("number")
    made = {Kind.PRE: [], Kind.POST: []}
    for attempt in attempts:
        made[attempt.kind].append(attempt)
    options = {}
    for kind, max_attempts in ((Kind.PRE, 1), (Kind.POST, cohort.post_test_max_attempts)):
        option = AssessmentOption(
            kind=kind,
            cohort=cohort,
            window=windows.of(kind),
            attempts=made[kind],
            max_attempts=max_attempts,
        )
        option.refusal = (
            _refusal(
                kind=kind,
                enrollment=enrollment,
                window=option.window,
                attempts=option.attempts,
                max_attempts=max_attempts,
                now=now,
            )
            if question_count
            else Refusal.NO_TEST
        )
        options[kind] = option
    return AssessmentOptions(
        assessment=assessment,
        question_count=question_count,
        pre=options[Kind.PRE],
        post=options[Kind.POST],
    )


@dataclass
class AssessmentPaper:
    """The questions of a test with their answer choices, in order (two queries)."""

    assessment: Assessment
    questions: list[Question]

    @cached_property
    def choice_ids(self) -> dict[int, set[int]]:
        return {q.pk: {c.pk for c in q.choices.all()} for q in self.questions}


def assessment_paper(*, assessment: Assessment) -> AssessmentPaper:
    questions = list(assessment.questions.prefetch_related("choices").order_by("position", "id"))
    return AssessmentPaper(assessment=assessment, questions=questions)


@dataclass(frozen=True)
class Mistake:
    """A question an attempt got wrong and the answer given; the right answer is left out,
    since later attempts ask the same questions."""

    number: int
    question: Question
    chosen: Choice | None


def attempt_mistakes(*, attempt: AssessmentAttempt, paper: AssessmentPaper) -> list[Mistake]:
    mistakes = []
    for number, question in enumerate(paper.questions, start=1):
        choices = {choice.pk: choice for choice in question.choices.all()}
        chosen = choices.get(attempt.answers.get(str(question.pk)))
        if chosen is None or not chosen.is_correct:
            mistakes.append(Mistake(number=number, question=question, chosen=chosen))
    return mistakes


def own_attempt_get(*, enrollment: Enrollment, kind: str, number: int) -> AssessmentAttempt:
    """One attempt of the enrollment; ``AssessmentAttempt.DoesNotExist`` otherwise."""
    return enrollment.assessment_attempts.get(kind=kind, number=number)
