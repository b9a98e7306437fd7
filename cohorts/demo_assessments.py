"""Pre- and post-test results in the demo: the participants of the finished TOTs and
cascade trainings took both tests, so the knowledge-gain tables have something to show.

The cohort ended weeks ago (its windows are closed), so the attempts are written directly,
scored by the same function the service uses. Loading again adds nothing: an enrollment
that already has attempts is left alone.
"""

import datetime as dt
from collections.abc import Sequence

from django.db import transaction

from cohorts import zones
from cohorts.models import AssessmentAttempt, Cohort, Enrollment
from cohorts.selectors.assessments_taking import AssessmentPaper, assessment_paper
from cohorts.services.assessments import score_answers
from members.models import Member, Organization

BEKASI_PARTICIPANTS = 12


def _participants(cohort: Cohort) -> list[Enrollment]:
    """The cohort's confirmed or completed participants; a cohort without any gets twelve
    workplace-union members of its organizers' tree, seated by the organizers."""
    taking = (Enrollment.Status.CONFIRMED, Enrollment.Status.COMPLETED)
    enrollments = list(cohort.enrollments.filter(status__in=taking).order_by("id"))
    if enrollments:
        return enrollments
    members = Member.objects.filter(
        organization__kind=Organization.Kind.WORKPLACE_UNION,
        organization__parent__parent__in=cohort.organizers.all(),
        user=None,
    ).order_by("-pk")[:BEKASI_PARTICIPANTS]
    return [
        Enrollment.objects.create(
            cohort=cohort,
            member=member,
            status=Enrollment.Status.CONFIRMED,
            source=Enrollment.Source.ORGANIZER,
        )
        for member in members
    ]


def _sheet(paper: AssessmentPaper, *, right: int, shift: int) -> dict[int, int]:
    """``right`` questions answered correctly; which ones differs from person to person."""
    count = len(paper.questions)
    wrong_at = {(shift + offset) % count for offset in range(count - right)}
    sheet = {}
    for index, question in enumerate(paper.questions):
        choices = list(question.choices.all())
        correct = next(choice for choice in choices if choice.is_correct)
        wrong = next(choice for choice in choices if not choice.is_correct)
        sheet[question.pk] = (wrong if index in wrong_at else correct).pk
    return sheet


def _unsaved_attempt(
    enrollment: Enrollment, paper: AssessmentPaper, *, kind: str, number: int, right: int
) -> AssessmentAttempt:
    """Scored by the same function the service uses."""
    sheet = _sheet(paper, right=right, shift=enrollment.pk + number)
    score = score_answers(paper=paper, answers=sheet)
    return AssessmentAttempt(
        enrollment=enrollment,
        kind=kind,
        number=number,
        answers={str(question): choice for question, choice in sheet.items()},
        correct_count=score.correct,
        question_count=score.total,
        score_percent=score.percent,
        passed=score.passed,
    )


def _attempt(
    enrollment: Enrollment,
    paper: AssessmentPaper,
    *,
    kind: str,
    number: int,
    right: int,
    at: dt.datetime,
) -> AssessmentAttempt:
    attempt = _unsaved_attempt(enrollment, paper, kind=kind, number=number, right=right)
    attempt.save()
    AssessmentAttempt.objects.filter(pk=attempt.pk).update(submitted_at=at)
    return attempt


def _post_attempts(pre_right: int, index: int, total: int) -> list[int]:
    """Correct answers of each post-test attempt: most improve; some pass only at the
    second attempt; the last person never took the post-test."""
    if index == BEKASI_PARTICIPANTS - 1:
        return []
    first = min(total, pre_right + 2 + index % 3)
    if first * 100 >= 70 * total or index % 2:
        return [first]
    return [first, min(total, first + 3)]


@transaction.atomic
def demo_assessment_attempts_load(*, cohort: Cohort) -> int:
    """Pre- and post-test attempts for the participants of a finished ``cohort``;
    returns how many attempts were written."""
    assessment = getattr(cohort.curriculum, "assessment", None)
    if assessment is None:
        return 0
    paper = assessment_paper(assessment=assessment)
    total = len(paper.questions)
    if not total:
        return 0
    sessions = cohort.sessions.exclude(status="cancelled").order_by("starts_at")
    first_day = zones.aware(cohort.starts_on, dt.time(8), cohort)
    pre_at = sessions.first().starts_at if sessions.exists() else first_day
    post_at = sessions.last().ends_at if sessions.exists() else first_day
    written = 0
    for index, enrollment in enumerate(_participants(cohort)):
        if enrollment.assessment_attempts.exists():
            continue
        pre_right = min(total, total * 3 // 10 + index % 4)
        _attempt(
            enrollment,
            paper,
            kind=AssessmentAttempt.Kind.PRE,
            number=1,
            right=pre_right,
            at=pre_at - dt.timedelta(minutes=40 - index),
        )
        for number, right in enumerate(_post_attempts(pre_right, index, total), start=1):
            at = post_at + dt.timedelta(minutes=10 + index, days=number - 1)
            _attempt(
                enrollment,
                paper,
                kind=AssessmentAttempt.Kind.POST,
                number=number,
                right=right,
                at=at,
            )
            written += 1
        written += 1
    return written


@transaction.atomic
def demo_cascade_attempts_load(*, cohort: Cohort, improvements: Sequence[int]) -> int:
    """One pre- and one post-test for each participant of a finished cascade ``cohort``
    that has none yet: a quarter to a half right before, and ``improvements[i]`` more
    answers right after (cycling over the participants). A smaller improvement further down
    the cascade shows the message thinning as it travels. Returns the attempts written."""
    assessment = getattr(cohort.curriculum, "assessment", None)
    paper = assessment_paper(assessment=assessment) if assessment else None
    if paper is None or not paper.questions:
        return 0
    total = len(paper.questions)
    taking = (Enrollment.Status.CONFIRMED, Enrollment.Status.COMPLETED)
    enrollments = list(
        cohort.enrollments.filter(status__in=taking, assessment_attempts__isnull=True).order_by(
            "id"
        )
    )
    attempts = []
    for index, enrollment in enumerate(enrollments):
        pre_right = min(total, total // 4 + index % 3)
        post_right = min(total, pre_right + improvements[index % len(improvements)])
        attempts += [
            _unsaved_attempt(
                enrollment, paper, kind=AssessmentAttempt.Kind.PRE, number=1, right=pre_right
            ),
            _unsaved_attempt(
                enrollment, paper, kind=AssessmentAttempt.Kind.POST, number=1, right=post_right
            ),
        ]
    AssessmentAttempt.objects.bulk_create(attempts)
    sessions = list(cohort.sessions.exclude(status="cancelled").order_by("starts_at"))
    written = AssessmentAttempt.objects.filter(enrollment__in=enrollments)
    written.filter(kind=AssessmentAttempt.Kind.PRE).update(
        submitted_at=sessions[0].starts_at - dt.timedelta(minutes=20)
    )
    written.filter(kind=AssessmentAttempt.Kind.POST).update(
        submitted_at=sessions[-1].ends_at - dt.timedelta(minutes=10)
    )
    return len(attempts)
