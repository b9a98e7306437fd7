"""The participant's test pages: one page of radio lists, the result (the pre-test's
score only; the post-test's also explaining what went wrong, never the right answer), the
calls to action on "my training", refusals that save nothing, 404 for anyone else's
enrollment, and constant query counts for 5 and 40 questions.

The cohort's own window fields put "now" inside or outside a window, so these tests do
not depend on the date they run. Pages are read under /en/ (the msgids)."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from cohorts.models import AssessmentAttempt, Enrollment
from tests.cohorts.assessments_scene import (
    WITA,
    Kind,
    answer_sheet,
    cohort_with_test,
    curriculum_with_test,
    seat,
)
from tests.cohorts.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db


def pre_test_open(**fields):
    fields.setdefault("pre_test_closes_at", timezone.now() + dt.timedelta(days=2))
    return cohort_with_test(**fields)


def post_test_open(**fields):
    now = timezone.now()
    fields.setdefault("post_test_opens_at", now - dt.timedelta(hours=1))
    fields.setdefault("post_test_closes_at", now + dt.timedelta(days=2))
    return cohort_with_test(**fields)


def take_url(enrollment: Enrollment, kind: str) -> str:
    with translation.override("en"):
        return reverse("cohorts:assessment_take", kwargs={"pk": enrollment.pk, "kind": kind})


def result_url(enrollment: Enrollment, kind: str, number: int = 1) -> str:
    with translation.override("en"):
        return reverse(
            "cohorts:assessment_result",
            kwargs={"pk": enrollment.pk, "kind": kind, "number": number},
        )


def detail_url(enrollment: Enrollment) -> str:
    with translation.override("en"):
        return reverse("cohorts:my_training", kwargs={"pk": enrollment.pk})


def form_data(sheet: dict[int, int]) -> dict[str, int]:
    return {f"question_{question}": choice for question, choice in sheet.items()}


@pytest.fixture
def as_participant(client):
    def login(enrollment: Enrollment):
        client.force_login(enrollment.member.user)
        return client

    return login


# --- taking the pre-test ---------------------------------------------------------------------


def test_the_test_page_lists_every_question_with_its_choices(as_participant):
    enrollment = seat(pre_test_open(questions=4))

    page = as_participant(enrollment).get(take_url(enrollment, Kind.PRE))

    content = page.content.decode()
    assert page.status_code == 200
    assert content.count('type="radio"') == 4 * 3
    assert content.count("<fieldset") == 4
    assert "Pertanyaan 4: apa inti serikat yang kuat?" in content
    assert "4 questions." in content
    # Nothing on the page tells the right choice from the others.
    assert "Penjelasan" not in content
    assert "correct" not in content.lower()


def test_sending_the_pre_test_shows_the_score_and_no_answers(as_participant):
    cohort = pre_test_open(questions=10)
    enrollment = seat(cohort)
    client = as_participant(enrollment)

    response = client.post(take_url(enrollment, Kind.PRE), form_data(answer_sheet(cohort, right=7)))

    assert response.status_code == 302
    assert response["Location"] == result_url(enrollment, Kind.PRE)
    attempt = enrollment.assessment_attempts.get()
    assert (attempt.kind, attempt.correct_count, attempt.passed) == ("pre", 7, True)
    result = client.get(response["Location"]).content.decode()
    assert "70.0%" in result
    assert "7 of 10 answers correct." in result
    assert "This is your starting point." in result
    for hidden in ("Penjelasan", "Your answer", "Benar 8", "Salah 8"):
        assert hidden not in result


def test_a_missing_answer_keeps_the_others_chosen_and_saves_nothing(as_participant):
    cohort = pre_test_open(questions=5)
    enrollment = seat(cohort)
    sheet = answer_sheet(cohort, right=5)
    left_out = next(iter(sheet))
    del sheet[left_out]

    page = as_participant(enrollment).post(take_url(enrollment, Kind.PRE), form_data(sheet))

    content = page.content.decode()
    assert page.status_code == 200
    assert "Answer every question, then send your answers again." in content
    assert content.count("Choose an answer.") == 1
    assert len(re.findall(r"\bchecked\b", content)) == 4
    assert page.context["form"].errors.keys() == {f"question_{left_out}"}
    assert not AssessmentAttempt.objects.exists()


def test_a_choice_of_another_question_is_refused_and_saves_nothing(as_participant):
    cohort = pre_test_open(questions=3)
    enrollment = seat(cohort)
    sheet = answer_sheet(cohort, right=3)
    first, second = list(sheet)[:2]
    sheet[first] = sheet[second]

    page = as_participant(enrollment).post(take_url(enrollment, Kind.PRE), form_data(sheet))

    assert page.status_code == 200
    assert "Choose one of the answers given." in page.content.decode()
    assert not AssessmentAttempt.objects.exists()


def test_the_pre_test_taken_shows_why_it_cannot_be_taken_again(as_participant):
    cohort = pre_test_open()
    enrollment = seat(cohort)
    client = as_participant(enrollment)
    client.post(take_url(enrollment, Kind.PRE), form_data(answer_sheet(cohort, right=4)))

    again = client.get(take_url(enrollment, Kind.PRE))
    resent = client.post(take_url(enrollment, Kind.PRE), form_data(answer_sheet(cohort, right=9)))

    assert again.context["form"] is None
    assert "You have already taken the pre-test." in again.content.decode()
    assert result_url(enrollment, Kind.PRE) in again.content.decode()
    assert resent.status_code == 200
    assert enrollment.assessment_attempts.get().correct_count == 4


def test_a_closed_window_shows_when_it_closed_and_a_late_sheet_saves_nothing(as_participant):
    closed_at = timezone.now() - dt.timedelta(hours=1)
    cohort = cohort_with_test(pre_test_closes_at=closed_at)
    enrollment = seat(cohort)
    client = as_participant(enrollment)

    page = client.get(take_url(enrollment, Kind.PRE))
    late = client.post(take_url(enrollment, Kind.PRE), form_data(answer_sheet(cohort, right=3)))

    with translation.override("en"):
        when = formats.date_format(closed_at.astimezone(WITA), "j F Y, H:i")
    assert f"Pre-test closed on {when} WITA." in page.content.decode()
    assert f"Pre-test closed on {when} WITA." in late.content.decode()
    assert page.context["form"] is None
    assert not AssessmentAttempt.objects.exists()


# --- the post-test -----------------------------------------------------------------------------


def test_the_post_test_result_explains_the_mistakes_without_the_right_answers(as_participant):
    cohort = post_test_open(questions=10, post_test_max_attempts=3)
    enrollment = seat(cohort)
    client = as_participant(enrollment)

    response = client.post(
        take_url(enrollment, Kind.POST), form_data(answer_sheet(cohort, right=6)), follow=True
    )

    result = response.content.decode()
    assert response.redirect_chain == [(result_url(enrollment, Kind.POST), 302)]
    assert "60.0%" in result
    assert "Not passed yet: the pass mark is 70%." in result
    # Questions 7-10 were wrong: 7 and 9 have an explanation, 8 and 10 send to the trainer.
    assert "Penjelasan 7" in result
    assert "Penjelasan 9" in result
    assert "Penjelasan 1<" not in result
    assert "Penjelasan 5" not in result
    assert result.count("Ask your trainer about this question.") == 2
    assert "Your answer: Salah 7" in result
    assert "Benar 7" not in result
    assert "Take the post-test again (2 attempts left)" in result
    assert take_url(enrollment, Kind.POST) in result


def test_a_passed_post_test_offers_no_retake(as_participant):
    cohort = post_test_open(questions=10, post_test_max_attempts=3)
    enrollment = seat(cohort)
    client = as_participant(enrollment)
    client.post(take_url(enrollment, Kind.POST), form_data(answer_sheet(cohort, right=10)))

    result = client.get(result_url(enrollment, Kind.POST)).content.decode()
    again = client.get(take_url(enrollment, Kind.POST)).content.decode()

    assert "You passed (pass mark 70%)." in result
    assert 'id="test-mistakes"' not in result
    assert 'id="test-again"' not in result
    assert "You have passed the post-test." in again


# --- only one's own ----------------------------------------------------------------------------


def test_someone_elses_enrollment_is_404_and_nothing_is_saved(client):
    cohort = pre_test_open()
    mine, theirs = seat(cohort), seat(cohort)
    AssessmentAttempt.objects.create(
        enrollment=theirs, kind=Kind.PRE, correct_count=1, question_count=10, score_percent=10
    )
    client.force_login(mine.member.user)

    sheet = form_data(answer_sheet(cohort, right=10))
    assert client.get(take_url(theirs, Kind.PRE)).status_code == 404
    assert client.post(take_url(theirs, Kind.PRE), sheet).status_code == 404
    assert client.get(result_url(theirs, Kind.PRE)).status_code == 404
    assert AssessmentAttempt.objects.count() == 1


@pytest.mark.parametrize("case", ["unknown_kind", "no_such_attempt", "no_test"])
def test_what_does_not_exist_is_404(as_participant, case):
    curriculum = curriculum_with_test(with_assessment=case != "no_test")
    enrollment = seat(pre_test_open(curriculum=curriculum))
    client = as_participant(enrollment)

    if case == "unknown_kind":
        url = take_url(enrollment, Kind.PRE).replace("/pre/", "/mid/")
    elif case == "no_such_attempt":
        url = result_url(enrollment, Kind.POST, 2)
    else:
        url = take_url(enrollment, Kind.PRE)

    assert client.get(url).status_code == 404


def test_a_waitlisted_participant_is_told_the_test_is_for_confirmed_participants(as_participant):
    enrollment = seat(pre_test_open(), status=Enrollment.Status.WAITLISTED)

    page = as_participant(enrollment).get(take_url(enrollment, Kind.PRE))

    assert page.context["form"] is None
    assert "Only confirmed participants take the tests of a training." in page.content.decode()


# --- "my training" -----------------------------------------------------------------------------


def test_my_training_invites_to_the_pre_test_with_its_closing_time(as_participant):
    closes = dt.datetime(2030, 1, 20, 9, tzinfo=WITA)
    enrollment = seat(pre_test_open(pre_test_closes_at=closes))

    page = as_participant(enrollment).get(detail_url(enrollment)).content.decode()

    assert 'id="my-tests"' in page
    assert "Take the pre-test" in page
    assert take_url(enrollment, Kind.PRE) in page
    assert "closes 20 January 2030, 09:00 WITA" in page
    assert "Post-test opens on" in page


def test_my_training_shows_scores_and_post_test_attempts_left(as_participant):
    cohort = post_test_open(post_test_max_attempts=3)
    enrollment = seat(cohort)
    for number, right in ((1, 3), (2, 5)):
        AssessmentAttempt.objects.create(
            enrollment=enrollment,
            kind=Kind.POST if number == 2 else Kind.PRE,
            number=1,
            correct_count=right,
            question_count=10,
            score_percent=right * 10,
        )

    page = as_participant(enrollment).get(detail_url(enrollment)).content.decode()

    assert "Your score: 30.0%" in page
    assert "Attempt 1: 50.0%" in page
    assert "Take the post-test again" in page
    assert "2 attempts left" in page
    assert result_url(enrollment, Kind.POST) in page


def test_a_waitlisted_participants_page_does_not_mention_the_tests(as_participant):
    enrollment = seat(pre_test_open(), status=Enrollment.Status.WAITLISTED)

    page = as_participant(enrollment).get(detail_url(enrollment))

    assert page.context["tests"] is None
    assert 'id="my-tests"' not in page.content.decode()


# --- query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize("questions", [5, 40])
def test_the_test_page_query_count_is_constant(
    as_participant, questions, django_assert_max_num_queries
):
    enrollment = seat(pre_test_open(questions=questions))
    client = as_participant(enrollment)

    # session + user (2), the enrollment with its cohort (1), the assessment with its
    # question count (1), session bounds (1), attempts (1), questions (1), choices (1),
    # navbar: reach (1) + member record (1)
    with django_assert_max_num_queries(10):
        page = client.get(take_url(enrollment, Kind.PRE))

    assert len(page.context["form"].fields) == questions


@pytest.mark.parametrize("questions", [5, 40])
def test_the_post_test_result_query_count_is_constant(
    as_participant, questions, django_assert_max_num_queries
):
    cohort = post_test_open(questions=questions)
    enrollment = seat(cohort)
    client = as_participant(enrollment)
    client.post(take_url(enrollment, Kind.POST), form_data(answer_sheet(cohort, right=1)))

    # session + user (2), the enrollment (1), the attempt (1), the assessment (1), session
    # bounds (1), attempts (1), questions (1), choices (1), navbar (2)
    with django_assert_max_num_queries(11):
        page = client.get(result_url(enrollment, Kind.POST))

    assert len(page.context["mistakes"]) == questions - 1


@pytest.mark.parametrize("attempts", [1, 6])
def test_my_training_with_tests_query_count_is_constant(
    as_participant, attempts, django_assert_max_num_queries
):
    enrollment = seat(post_test_open(post_test_max_attempts=10))
    AssessmentAttempt.objects.bulk_create(
        AssessmentAttempt(
            enrollment=enrollment,
            kind=Kind.POST,
            number=number,
            correct_count=2,
            question_count=10,
            score_percent=20,
        )
        for number in range(1, attempts + 1)
    )
    client = as_participant(enrollment)

    # session + user (2), the enrollment (1), the assessment (1), session bounds (1),
    # attempts (1), navbar (2)
    with django_assert_max_num_queries(8):
        page = client.get(detail_url(enrollment))

    assert len(page.context["tests"].post.attempts) == attempts


def test_someone_elses_enrollment_in_the_same_cohort_is_not_on_my_page(as_participant):
    cohort = pre_test_open()
    mine = seat(cohort)
    EnrollmentFactory(cohort=cohort)

    page = as_participant(mine).get(detail_url(mine))

    assert page.context["tests"].pre.attempts == []
