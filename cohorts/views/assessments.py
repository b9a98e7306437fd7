"""A participant takes the pre- or post-test of their own training and sees the result.

All questions stand on one page as plain radio lists (no script needed, fine on a small
phone). Only the enrollment's own member reaches these pages; anyone else gets a 404.
The pre-test's result shows the score only: it is a baseline, and the post-test asks the
same questions. The post-test's result also explains the questions answered wrongly,
without giving the right answer away to the next attempt.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from cohorts.forms.assessments import AssessmentAnswersForm
from cohorts.models import AssessmentAttempt, Enrollment
from cohorts.selectors.assessments_taking import (
    AssessmentOptions,
    assessment_options,
    assessment_paper,
    attempt_mistakes,
    own_attempt_get,
)
from cohorts.selectors.registration import own_enrollment_get
from cohorts.services.assessments import assessment_attempt_submit


def _own_enrollment_or_404(request: HttpRequest, pk: int) -> Enrollment:
    try:
        return own_enrollment_get(user=request.user, pk=pk)
    except Enrollment.DoesNotExist as missing:
        raise Http404 from missing


def _kind_or_404(kind: str) -> str:
    if kind not in AssessmentAttempt.Kind.values:
        raise Http404
    return kind


def _offered_or_404(enrollment: Enrollment) -> AssessmentOptions:
    options = assessment_options(enrollment=enrollment)
    if not options.offered:
        raise Http404
    return options


@login_required
@never_cache
def assessment_take(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    enrollment = _own_enrollment_or_404(request, pk)
    kind = _kind_or_404(kind)
    options = _offered_or_404(enrollment)
    option = options.of(kind)
    form = None
    if option.can_take:
        paper = assessment_paper(assessment=options.assessment)
        form = AssessmentAnswersForm(request.POST or None, paper=paper)
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            attempt = assessment_attempt_submit(
                enrollment=enrollment, kind=kind, answers=form.answers(), by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            return redirect(
                "cohorts:assessment_result", pk=enrollment.pk, kind=kind, number=attempt.number
            )
    with timezone.override(enrollment.cohort.time_zone):
        return render(
            request,
            "cohorts/assessment_take.html",
            {"enrollment": enrollment, "option": option, "options": options, "form": form},
        )


@login_required
def assessment_result(request: HttpRequest, pk: int, kind: str, number: int) -> HttpResponse:
    enrollment = _own_enrollment_or_404(request, pk)
    kind = _kind_or_404(kind)
    try:
        attempt = own_attempt_get(enrollment=enrollment, kind=kind, number=number)
    except AssessmentAttempt.DoesNotExist as missing:
        raise Http404 from missing
    options = _offered_or_404(enrollment)
    mistakes = []
    if kind == AssessmentAttempt.Kind.POST:
        paper = assessment_paper(assessment=options.assessment)
        mistakes = attempt_mistakes(attempt=attempt, paper=paper)
    with timezone.override(enrollment.cohort.time_zone):
        return render(
            request,
            "cohorts/assessment_result.html",
            {
                "enrollment": enrollment,
                "attempt": attempt,
                "option": options.of(kind),
                "pass_mark": options.assessment.pass_mark,
                "mistakes": mistakes,
            },
        )
