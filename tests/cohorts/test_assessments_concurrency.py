"""The same answers sent from several tabs at once, on Postgres: each thread on its own
connection (``at_once`` from the seat races). The lock on the enrollment row numbers the
attempts one after another: no error, no attempt number twice, and no attempt beyond the
cohort's limit. (SQLite serializes every write: nothing to race there.)"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from cohorts.models import AssessmentAttempt
from cohorts.services.assessments import assessment_attempt_submit
from tests.cohorts.assessments_scene import (
    BEFORE,
    DURING_POST,
    Kind,
    answer_sheet,
    cohort_with_test,
    seat,
)
from tests.cohorts.test_enrollments_concurrency import at_once, errors

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need Postgres"),
]


def tabs(enrollment, kind: str, count: int, *, right: int, now):
    """``count`` submits of the same sheet, as from that many browser tabs."""
    sheet = answer_sheet(enrollment.cohort, right=right)

    def send():
        with translation.override("en"):
            return assessment_attempt_submit(
                enrollment=enrollment, kind=kind, answers=sheet, by=enrollment.member.user, now=now
            )

    return [send] * count


def test_two_tabs_sending_the_post_test_at_once_make_attempts_one_and_two():
    enrollment = seat(cohort_with_test(post_test_max_attempts=3))

    outcomes = at_once(tabs(enrollment, Kind.POST, 2, right=4, now=DURING_POST))

    assert errors(outcomes) == []
    assert sorted(attempt.number for attempt in outcomes) == [1, 2]
    assert list(enrollment.assessment_attempts.values_list("number", flat=True)) == [1, 2]


def test_many_tabs_at_once_never_go_past_the_limit():
    enrollment = seat(cohort_with_test(post_test_max_attempts=4))

    outcomes = at_once(tabs(enrollment, Kind.POST, 8, right=4, now=DURING_POST))

    made = [outcome for outcome in outcomes if isinstance(outcome, AssessmentAttempt)]
    refused = errors(outcomes)
    assert sorted(attempt.number for attempt in made) == [1, 2, 3, 4]
    assert len(refused) == 4
    assert all(type(error) is ValidationError for error in refused)
    assert {error.messages[0] for error in refused} == {
        "You have used all 4 attempts at the post-test."
    }
    assert enrollment.assessment_attempts.count() == 4


def test_with_one_attempt_allowed_the_second_tab_is_refused():
    enrollment = seat(cohort_with_test(post_test_max_attempts=1))

    outcomes = at_once(tabs(enrollment, Kind.POST, 2, right=4, now=DURING_POST))

    [refused] = errors(outcomes)
    assert refused.messages == ["You have used your 1 attempt at the post-test."]
    assert enrollment.assessment_attempts.get().number == 1


def test_a_pass_in_one_tab_stops_the_other_tabs():
    enrollment = seat(cohort_with_test(post_test_max_attempts=5))

    outcomes = at_once(tabs(enrollment, Kind.POST, 3, right=9, now=DURING_POST))

    [passed] = [outcome for outcome in outcomes if isinstance(outcome, AssessmentAttempt)]
    assert (passed.number, passed.passed) == (1, True)
    assert {error.messages[0] for error in errors(outcomes)} == {"You have passed the post-test."}


def test_the_pre_test_sent_twice_at_once_is_kept_once():
    enrollment = seat(cohort_with_test())

    outcomes = at_once(tabs(enrollment, Kind.PRE, 2, right=5, now=BEFORE))

    [refused] = errors(outcomes)
    assert refused.messages == ["You have already taken the pre-test."]
    assert enrollment.assessment_attempts.get().kind == Kind.PRE
