from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest

from cohorts.models import Cohort
from cohorts.selectors import cohort_manage_get


def managed_cohort_or_404(request: HttpRequest, slug: str) -> Cohort:
    """The cohort if the user may change it; another organization's cohort is a 404."""
    try:
        return cohort_manage_get(user=request.user, slug=slug)
    except Cohort.DoesNotExist as missing:
        raise Http404 from missing


def show_service_errors(form: Form, error: ValidationError) -> None:
    """A service's error on the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
