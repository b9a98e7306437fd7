import logging

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cohorts import health
from cohorts.models import Cohort
from cohorts.selectors import (
    cohort_public_get,
    cohorts_open_for_registration,
    cohorts_organized_by,
)
from members.models import OrganizationRole
from members.permissions import can_manage_members, organizations_managed_by
from members.selectors import organizations_for_role

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "cohorts/cohort_list.html", {"cohorts": cohorts_open_for_registration()})


def cohort_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        cohort = cohort_public_get(slug=slug)
    except Cohort.DoesNotExist as missing:
        raise Http404 from missing
    return render(request, "cohorts/cohort_detail.html", {"cohort": cohort})


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    if not can_manage_members(request.user):
        raise Http404
    organizations = organizations_for_role(user=request.user, role=OrganizationRole.Role.ORGANIZER)
    cohorts = cohorts_organized_by(organizations=organizations_managed_by(request.user))
    return render(
        request,
        "cohorts/cohort_manage.html",
        {"cohorts": cohorts, "organizations": organizations},
    )


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
