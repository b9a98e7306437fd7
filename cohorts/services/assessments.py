"""Taking the pre- and post-test: one submitted sitting becomes one scored attempt.

The participant's enrollment row is locked while the attempt is numbered, so the same
answers sent from two tabs at once make attempts 1 and 2 (or the second is refused when
no attempt is left), never an error or two attempts with one number.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohorts.models import AssessmentAttempt, Enrollment
from cohorts.selectors.assessments_taking import (
    AssessmentPaper,
    assessment_options,
    assessment_paper,
)

ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class Score:
    correct: int
    total: int
    pass_mark: int

    @property
    def percent(self) -> Decimal:
        if not self.total:
            return Decimal("0.0")
        return (Decimal(self.correct * 100) / Decimal(self.total)).quantize(
            ONE_DECIMAL, rounding=ROUND_HALF_UP
        )

    @property
    def passed(self) -> bool:
        # In whole numbers, so exactly the pass mark passes and rounding never lifts a
        # score over it.
        return self.total > 0 and self.correct * 100 >= self.pass_mark * self.total


def score_answers(*, paper: AssessmentPaper, answers: dict[int, int]) -> Score:
    """Count the correct answers of ``answers`` (question id → choice id)."""
    correct = {
        choice.question_id: choice.pk
        for question in paper.questions
        for choice in question.choices.all()
        if choice.is_correct
    }
    right = sum(
        1 for question in paper.questions if answers.get(question.pk) == correct.get(question.pk)
    )
    return Score(correct=right, total=len(paper.questions), pass_mark=paper.assessment.pass_mark)


def check_answers(*, paper: AssessmentPaper, answers: dict[int, int]) -> None:
    """Every question answered, each with one of its own choices; else a ValidationError."""
    choice_ids = paper.choice_ids
    foreign = [
        question_id
        for question_id, choice_id in answers.items()
        if choice_id not in choice_ids.get(question_id, ())
    ]
    if foreign:
        raise ValidationError(
            _("Some answers do not belong to the questions of this test. Reload the page.")
        )
    missing = len(choice_ids.keys() - answers.keys())
    if missing:
        raise ValidationError(
            ngettext(
                "%(count)d question is not answered. Answer every question.",
                "%(count)d questions are not answered. Answer every question.",
                missing,
            )
            % {"count": missing}
        )


def _as_ids(answers: dict) -> dict[int, int]:
    try:
        return {int(question): int(choice) for question, choice in answers.items()}
    except (TypeError, ValueError) as error:
        raise ValidationError(
            _("Some answers do not belong to the questions of this test. Reload the page.")
        ) from error


def _lock_enrollment(enrollment: Enrollment) -> Enrollment:
    return (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("cohort", "member")
        .get(pk=enrollment.pk)
    )


@transaction.atomic
def assessment_attempt_submit(
    *,
    enrollment: Enrollment,
    kind: str,
    answers: dict[int, int],
    by: AbstractBaseUser,
    now: dt.datetime | None = None,
) -> AssessmentAttempt:
    """Score and keep one sitting of the pre- or post-test by the participant ``by``.

    Refused with a message, writing nothing: a test that cannot be taken now (window,
    attempts, status, no test), or answers that leave a question out or name a choice
    of another question."""
    now = now or timezone.now()
    if kind not in AssessmentAttempt.Kind.values:
        raise ValidationError(_("There is no such test."))
    enrollment = _lock_enrollment(enrollment)
    if not by.is_authenticated or enrollment.member.user_id != by.pk:
        raise PermissionDenied
    options = assessment_options(enrollment=enrollment, now=now)
    option = options.of(kind)
    if not option.can_take:
        raise ValidationError(option.reason)
    paper = assessment_paper(assessment=options.assessment)
    answers = _as_ids(answers)
    check_answers(paper=paper, answers=answers)
    score = score_answers(paper=paper, answers=answers)
    return AssessmentAttempt.objects.create(
        enrollment=enrollment,
        kind=kind,
        number=option.next_number,
        answers={str(question): choice for question, choice in answers.items()},
        correct_count=score.correct,
        question_count=score.total,
        score_percent=score.percent,
        passed=score.passed,
    )
