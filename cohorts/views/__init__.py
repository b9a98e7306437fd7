from django.http import Http404, HttpRequest

from cohorts.models import Cohort
from cohorts.selectors import cohort_manage_get


def managed_cohort_or_404(request: HttpRequest, slug: str) -> Cohort:
    """The cohort if the user may change it; another organization's cohort is a 404."""
    try:
        return cohort_manage_get(user=request.user, slug=slug)
    except Cohort.DoesNotExist as missing:
        raise Http404 from missing
