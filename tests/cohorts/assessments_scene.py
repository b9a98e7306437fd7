"""The scene for the pre- and post-test tests: a WITA cohort from Monday 14 to Wednesday
16 December 2026 with a session at 09:00 on the first and on the last day, whose
curriculum's test has questions of three choices (the first one right)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cohorts.models import AssessmentAttempt, Cohort, Enrollment
from cohorts.selectors.assessments_taking import assessment_paper
from cohorts.services.assessments import assessment_attempt_submit
from curriculum.models import Assessment, Choice, Curriculum, Question
from tests.cohorts.factories import CohortFactory, EnrollmentFactory, SessionFactory
from tests.curriculum.factories import DraftCurriculumFactory
from tests.members.factories import MemberFactory, UserFactory

WITA = ZoneInfo("Asia/Makassar")
FIRST_SESSION = dt.datetime(2026, 12, 14, 9, tzinfo=WITA)
LAST_SESSION = dt.datetime(2026, 12, 16, 9, tzinfo=WITA)
# Seven days after the last day (16 December) ends, in the cohort's zone.
POST_DEFAULT_CLOSE = dt.datetime(2026, 12, 24, 0, tzinfo=WITA)
BEFORE = FIRST_SESSION - dt.timedelta(days=3)
DURING_POST = LAST_SESSION + dt.timedelta(hours=2)
Kind = AssessmentAttempt.Kind


def curriculum_with_test(
    *, questions: int = 10, pass_mark: int = 70, with_assessment: bool = True
) -> Curriculum:
    """A published curriculum whose assessment has ``questions`` questions of three
    choices each; the first choice is the right one. Filled while a draft, as the
    database allows, then published."""
    curriculum = DraftCurriculumFactory()
    if with_assessment:
        assessment = Assessment.objects.create(curriculum=curriculum, pass_mark=pass_mark)
        made = Question.objects.bulk_create(
            Question(
                assessment=assessment,
                position=number,
                text=f"Pertanyaan {number}: apa inti serikat yang kuat?",
                explanation=f"Penjelasan {number}" if number % 2 else "",
            )
            for number in range(1, questions + 1)
        )
        Choice.objects.bulk_create(
            Choice(question=question, position=position, text=text, is_correct=position == 0)
            for question in made
            for position, text in enumerate(
                [f"Benar {question.position}", f"Salah {question.position}", "Ragu-ragu"]
            )
        )
    curriculum.status = Curriculum.Status.PUBLISHED
    curriculum.save(update_fields=["status"])
    return curriculum


def cohort_with_test(*, questions: int = 10, pass_mark: int = 70, sessions: bool = True, **fields):
    fields.setdefault("curriculum", curriculum_with_test(questions=questions, pass_mark=pass_mark))
    cohort = CohortFactory(
        time_zone=Cohort.TimeZone.WITA,
        starts_on=dt.date(2026, 12, 14),
        ends_on=dt.date(2026, 12, 16),
        status=Cohort.Status.OPEN,
        **fields,
    )
    if sessions:
        SessionFactory(cohort=cohort, starts_at=FIRST_SESSION)
        SessionFactory(cohort=cohort, starts_at=LAST_SESSION)
    return cohort


def seat(cohort: Cohort, status: str = Enrollment.Status.CONFIRMED) -> Enrollment:
    """An enrollment of a member with a login account."""
    return EnrollmentFactory(cohort=cohort, member=MemberFactory(user=UserFactory()), status=status)


def answer_sheet(cohort: Cohort, *, right: int) -> dict[int, int]:
    """The first ``right`` questions answered correctly, the others wrongly."""
    paper = assessment_paper(assessment=cohort.curriculum.assessment)
    return {
        question.pk: list(question.choices.all())[0 if number < right else 1].pk
        for number, question in enumerate(paper.questions)
    }


def submit(enrollment: Enrollment, kind: str, *, right: int, now=BEFORE, **overrides):
    answers = overrides.pop("answers", None) or answer_sheet(enrollment.cohort, right=right)
    return assessment_attempt_submit(
        enrollment=enrollment,
        kind=kind,
        answers=answers,
        by=overrides.pop("by", enrollment.member.user),
        now=now,
    )


def refusal(call) -> str:
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        call()
    return " ".join(refused.value.messages)
