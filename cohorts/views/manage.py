"""The organizer's side: list, create, change, publish and duplicate cohorts and sessions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts.filters import CohortFilter
from cohorts.forms.cohorts import CohortDuplicateForm, CohortForm, CohortStatusForm
from cohorts.forms.sessions import SessionForm
from cohorts.models import Cohort, Session
from cohorts.permissions import can_create_cohort, is_cohort_organizer
from cohorts.selectors import (
    cohort_schedule_by_day,
    cohort_sessions,
    cohort_status_history,
    cohorts_managed_list,
    registration_window,
)
from cohorts.selectors.clashes import cohort_clashes
from cohorts.selectors.completion import past_sessions_without_report
from cohorts.selectors.registrations_manage import registration_counts
from cohorts.selectors.session_log import with_report_status
from cohorts.services.cohorts import (
    ALLOWED_TRANSITIONS,
    cohort_create,
    cohort_duplicate,
    cohort_transition,
    cohort_update,
)
from cohorts.services.sessions import session_cancel, session_create, session_update
from cohorts.views import managed_cohort_or_404, show_service_errors

COHORTS_PER_PAGE = 50


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    if not can_create_cohort(request.user):
        raise Http404
    cohort_filter = CohortFilter(
        request.GET, queryset=cohorts_managed_list(user=request.user), request=request
    )
    page = Paginator(cohort_filter.qs, COHORTS_PER_PAGE).get_page(request.GET.get("page"))
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    return render(
        request,
        "cohorts/cohort_manage.html",
        {
            "filter": cohort_filter,
            "page": page,
            "cohorts": page.object_list,
            "query_without_page": query_without_page.urlencode(),
        },
    )


@login_required
def cohort_create_page(request: HttpRequest) -> HttpResponse:
    if not can_create_cohort(request.user):
        raise Http404
    form = CohortForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = cohort_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("The cohort was saved as a draft. Now plan its sessions."))
            return redirect("cohorts:manage_detail", slug=cohort.slug)
    return render(request, "cohorts/cohort_form.html", {"form": form})


@login_required
def cohort_manage_detail(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = managed_cohort_or_404(request, slug)
    sessions = list(with_report_status(cohort_sessions(cohort=cohort)))
    with timezone.override(cohort.time_zone):
        return render(
            request,
            "cohorts/cohort_manage_detail.html",
            {
                "cohort": cohort,
                "schedule": cohort_schedule_by_day(cohort=cohort, sessions=sessions),
                "clashes": cohort_clashes(cohort=cohort, sessions=sessions),
                "history": cohort_status_history(cohort=cohort),
                "window": registration_window(cohort=cohort, sessions=sessions),
                "transitions": _transition_choices(cohort),
                "registration_counts": registration_counts(cohort=cohort),
                "unreported_sessions": past_sessions_without_report(sessions),
                # A graduate running their cascade is no organizer: no cohort list, no copies.
                "is_organizer": is_cohort_organizer(request.user, cohort),
            },
        )


def _transition_choices(cohort: Cohort) -> list[tuple[str, str]]:
    labels = {
        Cohort.Status.OPEN: _("Publish: open registration"),
        Cohort.Status.DRAFT: _("Withdraw to draft"),
        Cohort.Status.RUNNING: _("Mark as running"),
        Cohort.Status.COMPLETED: _("Mark as completed"),
        Cohort.Status.CANCELLED: _("Cancel the cohort"),
    }
    order = list(labels)
    allowed = sorted(ALLOWED_TRANSITIONS[cohort.status], key=order.index)
    return [(status, labels[status]) for status in allowed]


@login_required
def cohort_edit(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = managed_cohort_or_404(request, slug)
    if not cohort.is_editable:
        messages.error(request, _("A completed or cancelled cohort can no longer be changed."))
        return redirect("cohorts:manage_detail", slug=cohort.slug)
    with timezone.override(cohort.time_zone):
        form = CohortForm(request.POST or None, instance=cohort, user=request.user)
        if request.method == "POST" and form.is_valid():
            changes = {
                name: value
                for name, value in form.cleaned_data.items()
                if name not in form.fields or not form.fields[name].disabled
            }
            try:
                cohort_update(cohort=Cohort.objects.get(pk=cohort.pk), by=request.user, **changes)
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(request, _("The cohort was saved."))
                return redirect("cohorts:manage_detail", slug=cohort.slug)
        return render(request, "cohorts/cohort_form.html", {"form": form, "cohort": cohort})


@login_required
@require_POST
def cohort_transition_page(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = managed_cohort_or_404(request, slug)
    form = CohortStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what should happen to the cohort."))
        return redirect("cohorts:manage_detail", slug=cohort.slug)
    try:
        cohort = cohort_transition(
            cohort=cohort,
            to_status=form.cleaned_data["to_status"],
            by=request.user,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The cohort is now “%(status)s”.") % {"status": cohort.get_status_display()},
        )
    return redirect("cohorts:manage_detail", slug=cohort.slug)


@login_required
def cohort_duplicate_page(request: HttpRequest, slug: str) -> HttpResponse:
    source = managed_cohort_or_404(request, slug)
    if not is_cohort_organizer(request.user, source):
        raise Http404  # a copy needs an organizer of its organizations (cohort_duplicate)
    initial = {
        "title": source.title,
        "region": source.region,
        "venue_name": source.venue_name,
        "venue_address": source.venue_address,
    }
    form = CohortDuplicateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            copy = cohort_duplicate(source=source, by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            messages_list = getattr(error, "messages", [_("You cannot duplicate this cohort.")])
            form.add_error(None, messages_list)
        else:
            messages.success(
                request,
                _("A draft copy was made with %(count)d sessions.")
                % {"count": copy.sessions.count()},
            )
            return redirect("cohorts:manage_detail", slug=copy.slug)
    return render(request, "cohorts/cohort_duplicate.html", {"form": form, "cohort": source})


def _session_or_404(cohort: Cohort, pk: int) -> Session:
    try:
        return cohort.sessions.get(pk=pk)
    except Session.DoesNotExist as missing:
        raise Http404 from missing


def _session_form_page(
    request: HttpRequest, cohort: Cohort, session: Session | None
) -> HttpResponse:
    form = SessionForm(request.POST or None, cohort=cohort, user=request.user, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            if session is None:
                session_create(cohort=cohort, **form.service_arguments())
            else:
                session_update(session=session, **form.service_arguments())
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("The session was saved."))
            return redirect("cohorts:manage_detail", slug=cohort.slug)
    return render(
        request,
        "cohorts/session_form.html",
        {"form": form, "cohort": cohort, "session": session},
    )


@login_required
def session_create_page(request: HttpRequest, slug: str) -> HttpResponse:
    return _session_form_page(request, managed_cohort_or_404(request, slug), None)


@login_required
def session_edit_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    cohort = managed_cohort_or_404(request, slug)
    return _session_form_page(request, cohort, _session_or_404(cohort, pk))


@login_required
@require_POST
def session_cancel_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    cohort = managed_cohort_or_404(request, slug)
    session = _session_or_404(cohort, pk)
    try:
        session_cancel(session=session)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("“%(session)s” was cancelled.") % {"session": session})
    return redirect("cohorts:manage_detail", slug=cohort.slug)
