import logging
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cohorts import health
from cohorts.models import Cohort
from cohorts.permissions import can_change_cohort
from cohorts.selectors import (
    cohort_public_get,
    cohort_schedule_by_day,
    cohort_sessions,
    cohorts_open_for_registration,
    provinces_with_open_cohorts,
    registration_window,
)
from cohorts.selectors.registration import active_enrollment_get, cohort_seats_left

logger = logging.getLogger(__name__)


OPEN_COHORTS_PER_PAGE = 20


def home(request: HttpRequest) -> HttpResponse:
    provinces = provinces_with_open_cohorts()
    province = next((p for p in provinces if p.code == request.GET.get("province")), None)
    cohorts = cohorts_open_for_registration(province=province)
    page = Paginator(cohorts, OPEN_COHORTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "cohorts/cohort_list.html",
        {
            "cohorts": page.object_list,
            "page": page,
            "provinces": provinces,
            "province": province,
            "query_without_page": urlencode({"province": province.code}) if province else "",
        },
    )


def cohort_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        cohort = cohort_public_get(slug=slug)
    except Cohort.DoesNotExist as missing:
        raise Http404 from missing
    sessions = list(cohort_sessions(cohort=cohort))
    window = registration_window(cohort=cohort, sessions=sessions)
    enrollment = active_enrollment_get(cohort=cohort, user=request.user)
    seats_left = None
    if window.is_open and not enrollment:
        seats_left = cohort_seats_left(cohort=cohort)
    can_manage = can_change_cohort(request.user, cohort)
    with timezone.override(cohort.time_zone):
        return render(
            request,
            "cohorts/cohort_detail.html",
            {
                "cohort": cohort,
                "schedule": cohort_schedule_by_day(cohort=cohort, sessions=sessions),
                "window": window,
                "can_manage": can_manage,
                "can_view_dashboard": can_manage or _leads(request, cohort),
                "enrollment": enrollment,
                "seats_left": seats_left,
            },
        )


def _leads(request: HttpRequest, cohort: Cohort) -> bool:
    """A lead trainer reads the cohort's dashboard (from the prefetched lead trainers)."""
    user_id = request.user.pk
    return user_id is not None and any(t.user_id == user_id for t in cohort.lead_trainers.all())


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker answer, else 503 naming what did not.

    The answer is public, so the error itself (hosts, users) goes to the log only.
    """
    problems = {"database": health.database_problem(), "broker": health.broker_problem()}
    for name, problem in problems.items():
        if problem:
            logger.error("healthz: %s unreachable: %s", name, problem)
    failed = any(problems.values())
    body = {
        "status": "fail" if failed else "ok",
        "checks": {name: "unreachable" if problem else "ok" for name, problem in problems.items()},
    }
    return JsonResponse(body, status=503 if failed else 200)
