"""The cascade of a cohort for its organizers: the lineage tree and the reach per
generation. An organizer of a partner confederation sees a joint TOT's whole tree, but
the names of lead trainers outside their reach are withheld."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from cohorts.models import Cohort
from cohorts.selectors.cascade import cascade_forest, cascade_reach, cascade_tree
from cohorts.views import managed_cohort_or_404
from members.permissions import members_visible_to, reach_of


def _reach_report_url(request: HttpRequest, cohort: Cohort) -> str | None:
    """The TOT's reach report, for its organizers (a graduate leading a cascade is not)."""
    if cohort.kind != Cohort.Kind.TOT or not reach_of(request.user).is_organizer:
        return None
    return f"{reverse('cohorts:reach')}?{urlencode({'tot': cohort.slug})}"


@login_required
@require_GET
def cascade_page(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = managed_cohort_or_404(request, slug)
    nodes = cascade_tree(root=cohort)
    lead_ids = {member_id for node in nodes for member_id, _name in node.lead_trainers}
    visible = set(
        members_visible_to(request.user).filter(pk__in=lead_ids).values_list("pk", flat=True)
    )
    reach = cascade_reach(root=cohort)
    widest = max((g.members_reached for g in reach.generations), default=0)
    context = {
        "cohort": cohort,
        "root": cascade_forest(nodes),
        "cohort_count": len(nodes),
        "visible_leads": visible,
        "reach": reach,
        "reach_report_url": _reach_report_url(request, cohort),
        "generations": [
            (g, round(100 * g.members_reached / widest, 1) if widest else 0)
            for g in reach.generations
        ],
    }
    with timezone.override(cohort.time_zone):
        return render(request, "cohorts/cascade.html", context)
