"""The cohort dashboard: how attendance, knowledge and completion stand, at a glance.

Its organizers read it from the cohort's manage page; its lead trainers may read it too
(read-only: it changes nothing, and shows no phone numbers). Everyone else gets a 404.
Charts are inline SVG drawn here on the server: no chart library, nothing from a CDN.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from cohorts.dashboard_exports import dashboard_csv_response, dashboard_xlsx_response
from cohorts.models import Attendance, Cohort
from cohorts.selectors.dashboard import cohort_dashboard as build_dashboard
from cohorts.selectors.dashboard import cohort_dashboard_get

# The stacked bar's pieces, in the order they stand, with the legend's words.
SESSION_LEGEND = [*Attendance.Status.choices, ("unmarked", _("Not marked"))]
EXPORT_FORMATS = ("csv", "xlsx")


def _cohort_or_404(request: HttpRequest, slug: str) -> Cohort:
    try:
        return cohort_dashboard_get(user=request.user, slug=slug)
    except Cohort.DoesNotExist as missing:
        raise Http404 from missing


@login_required
@require_GET
def cohort_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = _cohort_or_404(request, slug)
    context = {
        "cohort": cohort,
        "dashboard": build_dashboard(cohort=cohort),
        "session_legend": SESSION_LEGEND,
    }
    with timezone.override(cohort.time_zone):
        return render(request, "cohorts/cohort_dashboard.html", context)


@login_required
@require_GET
def cohort_dashboard_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The per-participant table as CSV (default) or XLSX."""
    cohort = _cohort_or_404(request, slug)
    export_format = request.GET.get("format", "csv")
    if export_format not in EXPORT_FORMATS:
        raise Http404
    dashboard = build_dashboard(cohort=cohort)
    if export_format == "xlsx":
        return dashboard_xlsx_response(dashboard=dashboard)
    return dashboard_csv_response(dashboard=dashboard)
