"""Taking the pre- and post-test (services and selectors): scoring and the pass mark, the
pre-test once, the post-test's attempts and no retake after a pass, the windows with a
moved clock, refused answers that write nothing, and who may take a test at all.

The scene: a WITA cohort from Monday 14 to Wednesday 16 December 2026 with a session at
09:00 on the first and on the last day. Messages are read in English (the msgids)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from cohorts.models import AssessmentAttempt, Enrollment, Session
from cohorts.selectors.assessments_taking import (
    Refusal,
    assessment_options,
    assessment_windows,
)
from cohorts.services.assessments import assessment_attempt_submit
from tests.cohorts.assessments_scene import (
    BEFORE,
    DURING_POST,
    FIRST_SESSION,
    LAST_SESSION,
    POST_DEFAULT_CLOSE,
    WITA,
    Kind,
    answer_sheet,
    cohort_with_test,
    curriculum_with_test,
    refusal,
    seat,
    submit,
)
from tests.cohorts.factories import SessionFactory

pytestmark = pytest.mark.django_db

# --- scoring -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("questions", "right", "pass_mark", "score", "passed"),
    [
        (10, 7, 70, "70.0", True),  # exactly the pass mark passes
        (10, 6, 70, "60.0", False),
        (3, 2, 67, "66.7", False),  # 66.67 % is below 67 although it rounds up
        (3, 2, 66, "66.7", True),
        (6, 5, 80, "83.3", True),
        (8, 8, 100, "100.0", True),
        (8, 0, 1, "0.0", False),
    ],
)
def test_an_attempt_is_scored_against_the_pass_mark(questions, right, pass_mark, score, passed):
    enrollment = seat(cohort_with_test(questions=questions, pass_mark=pass_mark))

    attempt = submit(enrollment, Kind.POST, right=right, now=DURING_POST)

    attempt.refresh_from_db()
    assert (attempt.correct_count, attempt.question_count) == (right, questions)
    assert attempt.score_percent == Decimal(score)
    assert attempt.passed is passed
    assert (attempt.kind, attempt.number) == ("post", 1)


def test_the_answers_given_are_kept_with_the_attempt():
    cohort = cohort_with_test(questions=3)
    enrollment = seat(cohort)
    sheet = answer_sheet(cohort, right=1)

    attempt = submit(enrollment, Kind.PRE, right=1, answers=sheet)

    attempt.refresh_from_db()
    assert attempt.answers == {str(question): choice for question, choice in sheet.items()}


# --- the pre-test once, the post-test's attempts -----------------------------------------------


def test_the_pre_test_is_taken_once():
    enrollment = seat(cohort_with_test())
    submit(enrollment, Kind.PRE, right=4)

    message = refusal(lambda: submit(enrollment, Kind.PRE, right=9))

    assert message == "You have already taken the pre-test."
    assert enrollment.assessment_attempts.get().score_percent == Decimal("40.0")


def test_post_test_attempts_are_numbered_up_to_the_cohorts_limit():
    enrollment = seat(cohort_with_test(post_test_max_attempts=2))

    first = submit(enrollment, Kind.POST, right=3, now=DURING_POST)
    second = submit(enrollment, Kind.POST, right=5, now=DURING_POST)
    message = refusal(lambda: submit(enrollment, Kind.POST, right=10, now=DURING_POST))

    assert (first.number, second.number) == (1, 2)
    assert message == "You have used all 2 attempts at the post-test."
    assert enrollment.assessment_attempts.count() == 2


def test_one_attempt_only_says_so_in_the_singular():
    enrollment = seat(cohort_with_test(post_test_max_attempts=1))
    submit(enrollment, Kind.POST, right=3, now=DURING_POST)

    message = refusal(lambda: submit(enrollment, Kind.POST, right=10, now=DURING_POST))

    assert message == "You have used your 1 attempt at the post-test."


def test_no_retake_after_a_passed_post_test():
    enrollment = seat(cohort_with_test(post_test_max_attempts=3))
    submit(enrollment, Kind.POST, right=5, now=DURING_POST)
    passed = submit(enrollment, Kind.POST, right=8, now=DURING_POST)

    message = refusal(lambda: submit(enrollment, Kind.POST, right=10, now=DURING_POST))

    assert (passed.number, passed.passed) == (2, True)
    assert message == "You have passed the post-test."
    options = assessment_options(enrollment=enrollment, now=DURING_POST)
    assert options.post.best == passed
    assert options.post.passed
    assert options.post.attempts_left == 1
    assert not options.post.can_take


def test_the_pre_test_does_not_use_up_post_test_attempts():
    enrollment = seat(cohort_with_test(post_test_max_attempts=1))
    submit(enrollment, Kind.PRE, right=2)

    attempt = submit(enrollment, Kind.POST, right=6, now=DURING_POST)

    assert (attempt.kind, attempt.number) == ("post", 1)


# --- windows -------------------------------------------------------------------------------------


def test_default_windows_follow_the_sessions_and_the_last_day():
    cohort = cohort_with_test()

    windows = assessment_windows(cohort=cohort)

    assert windows.pre.opens_at is None
    assert windows.pre.closes_at == FIRST_SESSION
    assert windows.post.opens_at == LAST_SESSION
    assert windows.post.closes_at == POST_DEFAULT_CLOSE


def test_cancelled_sessions_do_not_set_the_windows():
    cohort = cohort_with_test()
    cancelled = {"status": Session.Status.CANCELLED}
    SessionFactory(cohort=cohort, starts_at=FIRST_SESSION - dt.timedelta(hours=2), **cancelled)
    SessionFactory(cohort=cohort, starts_at=LAST_SESSION + dt.timedelta(hours=4), **cancelled)

    windows = assessment_windows(cohort=cohort)

    assert (windows.pre.closes_at, windows.post.opens_at) == (FIRST_SESSION, LAST_SESSION)
    loaded = list(cohort.sessions.all())
    assert assessment_windows(cohort=cohort, sessions=loaded) == windows


def test_without_sessions_the_first_and_last_day_stand_in():
    cohort = cohort_with_test(sessions=False)

    windows = assessment_windows(cohort=cohort)

    assert windows.pre.closes_at == dt.datetime(2026, 12, 14, 0, tzinfo=WITA)
    assert windows.post.opens_at == dt.datetime(2026, 12, 16, 0, tzinfo=WITA)


def test_the_cohorts_own_windows_win_over_the_defaults():
    own = {
        "pre_test_opens_at": dt.datetime(2026, 12, 1, 8, tzinfo=WITA),
        "pre_test_closes_at": dt.datetime(2026, 12, 13, 20, tzinfo=WITA),
        "post_test_opens_at": dt.datetime(2026, 12, 16, 14, tzinfo=WITA),
        "post_test_closes_at": dt.datetime(2026, 12, 18, 17, tzinfo=WITA),
    }

    windows = assessment_windows(cohort=cohort_with_test(**own))

    assert (windows.pre.opens_at, windows.pre.closes_at) == (
        own["pre_test_opens_at"],
        own["pre_test_closes_at"],
    )
    assert (windows.post.opens_at, windows.post.closes_at) == (
        own["post_test_opens_at"],
        own["post_test_closes_at"],
    )


SECOND = dt.timedelta(seconds=1)


@pytest.mark.parametrize(
    ("kind", "now", "expected"),
    [
        (Kind.PRE, dt.datetime(2026, 1, 1, tzinfo=WITA), ""),  # open as soon as confirmed
        (Kind.PRE, FIRST_SESSION - SECOND, ""),
        (Kind.PRE, FIRST_SESSION, Refusal.CLOSED),
        (Kind.POST, BEFORE, Refusal.NOT_YET_OPEN),
        (Kind.POST, LAST_SESSION - SECOND, Refusal.NOT_YET_OPEN),
        (Kind.POST, LAST_SESSION, ""),
        (Kind.POST, POST_DEFAULT_CLOSE - SECOND, ""),
        (Kind.POST, POST_DEFAULT_CLOSE, Refusal.CLOSED),
    ],
)
def test_a_test_can_be_taken_only_inside_its_window(kind, now, expected):
    enrollment = seat(cohort_with_test())

    option = assessment_options(enrollment=enrollment, now=now).of(kind)

    assert option.refusal == expected
    if expected:
        assert refusal(lambda: submit(enrollment, kind, right=5, now=now)) == option_reason(option)
        assert not enrollment.assessment_attempts.exists()
    else:
        assert submit(enrollment, kind, right=5, now=now).number == 1


def option_reason(option) -> str:
    with translation.override("en"):
        return option.reason


def test_window_messages_give_the_time_in_the_cohorts_zone():
    pre_opens = dt.datetime(2026, 12, 1, 8, tzinfo=WITA)
    enrollment = seat(cohort_with_test(pre_test_opens_at=pre_opens))

    options = assessment_options(enrollment=enrollment, now=pre_opens - SECOND)
    late = assessment_options(enrollment=enrollment, now=POST_DEFAULT_CLOSE)

    with translation.override("en"):
        assert options.pre.reason == "Pre-test opens on 1 December 2026, 08:00 WITA."
        assert options.post.reason == "Post-test opens on 16 December 2026, 09:00 WITA."
        assert late.post.reason == "Post-test closed on 24 December 2026, 00:00 WITA."
        assert late.pre.reason == "Pre-test closed on 14 December 2026, 09:00 WITA."


# --- refused answers write nothing -------------------------------------------------------------


def test_an_unanswered_question_is_refused_and_nothing_is_saved():
    cohort = cohort_with_test(questions=4)
    enrollment = seat(cohort)
    sheet = answer_sheet(cohort, right=4)
    del sheet[next(iter(sheet))]

    message = refusal(lambda: submit(enrollment, Kind.PRE, right=0, answers=sheet))

    assert message == "1 question is not answered. Answer every question."
    assert not AssessmentAttempt.objects.exists()


def test_an_empty_answer_sheet_counts_every_question():
    enrollment = seat(cohort_with_test(questions=4))

    message = refusal(
        lambda: assessment_attempt_submit(
            enrollment=enrollment, kind=Kind.PRE, answers={}, by=enrollment.member.user, now=BEFORE
        )
    )

    assert message == "4 questions are not answered. Answer every question."
    assert not AssessmentAttempt.objects.exists()


@pytest.mark.parametrize("foreign", ["other_question", "other_test", "unknown_question", "junk"])
def test_an_answer_that_is_not_a_choice_of_its_question_is_refused(foreign):
    cohort = cohort_with_test(questions=3)
    enrollment = seat(cohort)
    sheet = answer_sheet(cohort, right=3)
    first, second = list(sheet)[:2]
    if foreign == "other_question":
        sheet[first] = sheet[second]
    elif foreign == "other_test":
        sheet[first] = answer_sheet(cohort_with_test(questions=1), right=1).popitem()[1]
    elif foreign == "unknown_question":
        sheet[max(sheet) + 1000] = sheet[first]
    else:
        sheet[first] = "A"

    message = refusal(lambda: submit(enrollment, Kind.PRE, right=0, answers=sheet))

    assert message == "Some answers do not belong to the questions of this test. Reload the page."
    assert not AssessmentAttempt.objects.exists()


def test_an_unknown_kind_of_test_is_refused():
    enrollment = seat(cohort_with_test())

    assert refusal(lambda: submit(enrollment, "mid", right=1)) == "There is no such test."


# --- who may take a test -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status",
    [
        Enrollment.Status.WAITLISTED,
        Enrollment.Status.PENDING,
        Enrollment.Status.CANCELLED,
        Enrollment.Status.REJECTED,
        Enrollment.Status.INCOMPLETE,
    ],
)
def test_only_confirmed_participants_take_a_test(status):
    enrollment = seat(cohort_with_test(), status=status)

    message = refusal(lambda: submit(enrollment, Kind.PRE, right=5))

    assert message == "Only confirmed participants take the tests of a training."
    assert not AssessmentAttempt.objects.exists()


def test_a_completed_participant_still_takes_the_post_test():
    enrollment = seat(cohort_with_test(), status=Enrollment.Status.COMPLETED)

    assert submit(enrollment, Kind.POST, right=9, now=DURING_POST).passed


def test_nobody_takes_a_test_for_someone_else():
    cohort = cohort_with_test()
    enrollment = seat(cohort)
    other = seat(cohort)

    with pytest.raises(PermissionDenied):
        submit(enrollment, Kind.PRE, right=5, by=other.member.user)

    assert not AssessmentAttempt.objects.exists()


@pytest.mark.parametrize("assessment", ["none", "no_questions"])
def test_a_curriculum_without_questions_offers_no_test(assessment):
    curriculum = (
        curriculum_with_test(with_assessment=False)
        if assessment == "none"
        else curriculum_with_test(questions=0)
    )
    enrollment = seat(cohort_with_test(curriculum=curriculum))

    options = assessment_options(enrollment=enrollment, now=BEFORE)
    message = refusal(lambda: submit(enrollment, Kind.PRE, right=0, answers={1: 1}))

    assert not options.offered
    assert message == "This training has no test."
    assert not AssessmentAttempt.objects.exists()


def test_options_cost_three_queries(django_assert_num_queries):
    enrollment = seat(cohort_with_test())
    submit(enrollment, Kind.PRE, right=5)
    enrollment = Enrollment.objects.select_related("cohort").get(pk=enrollment.pk)

    # the assessment with its question count, the session bounds, the attempts
    with django_assert_num_queries(3):
        options = assessment_options(enrollment=enrollment, now=BEFORE)

    assert options.pre.best.score_percent == Decimal("50.0")
    assert options.question_count == 10
