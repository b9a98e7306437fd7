"""The organizer's registration page of a cohort: counts, the filtered list, its export,
and the actions on it. Every change goes through ``cohorts.services.enrollments``; a
refusal (full cohort, lock timeout, wrong status) comes back as a message and changes
nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    QueryDict,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from cohorts.exports import registrations_csv_response, registrations_xlsx_response
from cohorts.filters import EnrollmentFilter
from cohorts.forms.registrations_manage import (
    MemberSearchForm,
    RegistrationAddForm,
    RegistrationCancelForm,
    RegistrationDecisionForm,
    RegistrationMoveForm,
)
from cohorts.models import Cohort, Enrollment
from cohorts.selectors.registrations_manage import (
    cohort_registrations,
    enrollment_answers,
    registration_candidates,
    registration_counts,
)
from cohorts.services.enrollments import (
    enrollment_add,
    enrollment_cancel,
    enrollment_move,
    enrollments_approve,
    enrollments_reject,
)
from cohorts.views import managed_cohort_or_404
from members.permissions import members_visible_to

REGISTRATIONS_PER_PAGE = 50
LIST_PARAMETERS = ("status", "q", "page")
ADDING_STATUSES = {Cohort.Status.OPEN, Cohort.Status.RUNNING}
Status = Enrollment.Status


def _enrollment_or_404(cohort: Cohort, pk: int) -> Enrollment:
    return get_object_or_404(cohort.enrollments, pk=pk)


def _list_query(data: QueryDict, *, keep_page: bool = True) -> str:
    """The list's own parameters from ``data``, as a query string; nothing else passes."""
    kept = QueryDict(mutable=True)
    for name in LIST_PARAMETERS:
        if (keep_page or name != "page") and data.get(name):
            kept[name] = data[name]
    return kept.urlencode()


def _back_to_list(request: HttpRequest, cohort: Cohort) -> HttpResponseRedirect:
    """To the list as the organizer left it (its filters travel in the form's "back")."""
    query = _list_query(QueryDict(request.POST.get("back", "")))
    url = reverse("cohorts:registrations", kwargs={"slug": cohort.slug})
    return redirect(f"{url}?{query}" if query else url)


def _report(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _report_form(request: HttpRequest, form: Form) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


@login_required
@require_GET
def registrations(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = managed_cohort_or_404(request, slug)
    enrollment_filter = EnrollmentFilter(
        request.GET, queryset=cohort_registrations(cohort=cohort), request=request
    )
    page = Paginator(enrollment_filter.qs, REGISTRATIONS_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for enrollment in rows:
        enrollment.answer_items = enrollment_answers(enrollment=enrollment)
    context = {
        "cohort": cohort,
        "counts": registration_counts(cohort=cohort),
        "filter": enrollment_filter,
        "page": page,
        "registrations": rows,
        "query_without_page": _list_query(request.GET, keep_page=False),
        "back": _list_query(request.GET),
        "decision_form": RegistrationDecisionForm(cohort=cohort),
        "can_add": cohort.status in ADDING_STATUSES,
    }
    with timezone.override(cohort.time_zone):
        return render(request, "cohorts/registrations_list.html", context)


@login_required
@require_GET
def registrations_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The list as filtered on the page, as CSV (default) or XLSX."""
    cohort = managed_cohort_or_404(request, slug)
    export_format = request.GET.get("format", "csv")
    if export_format not in ("csv", "xlsx"):
        raise Http404
    enrollment_filter = EnrollmentFilter(
        request.GET, queryset=cohort_registrations(cohort=cohort), request=request
    )
    if not enrollment_filter.is_valid():
        return HttpResponseBadRequest()
    if export_format == "xlsx":
        return registrations_xlsx_response(cohort=cohort, enrollments=enrollment_filter.qs)
    return registrations_csv_response(cohort=cohort, enrollments=enrollment_filter.qs)


@login_required
@require_POST
def registrations_decide(request: HttpRequest, slug: str) -> HttpResponse:
    """Approve or reject the chosen registrations (one or many) with an optional message."""
    cohort = managed_cohort_or_404(request, slug)
    form = RegistrationDecisionForm(request.POST, cohort=cohort)
    if not form.is_valid():
        _report_form(request, form)
        return _back_to_list(request, cohort)
    decide = _approve if form.cleaned_data["decision"] == form.APPROVE else _reject
    try:
        decide(request, cohort, form)
    except ValidationError as error:
        _report(request, error)
    return _back_to_list(request, cohort)


def _approve(request: HttpRequest, cohort: Cohort, form: RegistrationDecisionForm) -> None:
    approved = enrollments_approve(
        cohort=cohort,
        enrollment_ids=form.enrollment_ids,
        by=request.user,
        message=form.cleaned_data["message"],
    )
    if not approved:
        messages.warning(request, _("Nothing was approved: none of them awaits approval now."))
        return
    confirmed = sum(1 for enrollment in approved if enrollment.status == Status.CONFIRMED)
    waitlisted = len(approved) - confirmed
    if waitlisted:
        text = _(
            "%(approved)d approved: %(confirmed)d confirmed, %(waitlisted)d on the waiting "
            "list (no free seat for them)."
        )
    else:
        text = ngettext(
            "%(approved)d registration approved and confirmed.",
            "%(approved)d registrations approved and confirmed.",
            confirmed,
        )
    counts = {"approved": len(approved), "confirmed": confirmed, "waitlisted": waitlisted}
    messages.success(request, text % counts)


def _reject(request: HttpRequest, cohort: Cohort, form: RegistrationDecisionForm) -> None:
    rejected = enrollments_reject(
        cohort=cohort,
        enrollment_ids=form.enrollment_ids,
        by=request.user,
        message=form.cleaned_data["message"],
    )
    if not rejected:
        messages.warning(
            request, _("Nothing was rejected: none of them is pending or on the waiting list.")
        )
        return
    text = ngettext(
        "%(count)d registration rejected.", "%(count)d registrations rejected.", len(rejected)
    )
    messages.success(request, text % {"count": len(rejected)})


@login_required
@require_POST
def registration_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A waitlisted person gets a seat (if one is free), or a confirmed one waits again."""
    cohort = managed_cohort_or_404(request, slug)
    enrollment = _enrollment_or_404(cohort, pk)
    form = RegistrationMoveForm(request.POST)
    if not form.is_valid():
        _report_form(request, form)
        return _back_to_list(request, cohort)
    try:
        enrollment = enrollment_move(
            enrollment=enrollment, to_status=form.cleaned_data["to_status"], by=request.user
        )
    except ValidationError as error:
        _report(request, error)
    else:
        if enrollment.status == Status.CONFIRMED:
            text = _("%(member)s now has a seat.")
        else:
            text = _("%(member)s is back on the waiting list, at its end.")
        messages.success(request, text % {"member": enrollment.member.full_name})
    return _back_to_list(request, cohort)


@login_required
@require_POST
def registration_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Cancel on the member's behalf; a freed seat goes to the first on the waiting list."""
    cohort = managed_cohort_or_404(request, slug)
    enrollment = _enrollment_or_404(cohort, pk)
    form = RegistrationCancelForm(request.POST)
    if not form.is_valid():
        _report_form(request, form)
        return _back_to_list(request, cohort)
    try:
        enrollment = enrollment_cancel(
            enrollment=enrollment, by=request.user, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(
            request,
            _("The registration of %(member)s is cancelled.")
            % {"member": enrollment.member.full_name},
        )
    return _back_to_list(request, cohort)


@login_required
def registration_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Find a member in the organizer's reach and add them: a seat, or the waiting list."""
    cohort = managed_cohort_or_404(request, slug)
    if request.method == "POST":
        return _add_member(request, cohort)
    search = MemberSearchForm(request.GET)
    text = search.cleaned_data["q"] if search.is_valid() else ""
    candidates = list(registration_candidates(user=request.user, cohort=cohort, search=text))
    for candidate in candidates:
        candidate.registered_label = (
            Status(candidate.registered_as).label if candidate.registered_as else ""
        )
    context = {
        "cohort": cohort,
        "search": search,
        "searched": bool(text.strip()),
        "candidates": candidates,
        "can_add": cohort.status in ADDING_STATUSES,
    }
    return render(request, "cohorts/registrations_add.html", context)


def _add_member(request: HttpRequest, cohort: Cohort) -> HttpResponse:
    form = RegistrationAddForm(request.POST)
    if not form.is_valid():
        raise Http404
    member = get_object_or_404(members_visible_to(request.user), pk=form.cleaned_data["member"])
    try:
        enrollment = enrollment_add(cohort=cohort, member=member, by=request.user)
    except ValidationError as error:
        _report(request, error)
        search = QueryDict(mutable=True)
        search["q"] = request.POST.get("q", "")[:100]
        add_url = reverse("cohorts:registration_add", kwargs={"slug": cohort.slug})
        return redirect(f"{add_url}?{search.urlencode()}")
    if enrollment.status == Status.CONFIRMED:
        text = _("%(member)s was added with a seat.")
    else:
        text = _("%(member)s was added to the waiting list: no seat is free for them.")
    messages.success(request, text % {"member": member.full_name})
    return redirect("cohorts:registrations", slug=cohort.slug)
