"""Cascade plans: the graduate's own pages (the plan, starting a cascade training from it,
marking it done) and the page where a training's organizers follow every graduate's plan.

A graduate reaches their pages only for a training they completed that lets its
graduates train others; anything else — someone else's plan, a training they did not
complete — is a 404, as for any object outside one's reach."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cohorts.forms.cascade import CascadePlanForm, CascadeStartForm
from cohorts.models import CascadePlan, Cohort
from cohorts.permissions import cohorts_managed_by
from cohorts.selectors.cascade_plans import (
    cascade_plan_for_training,
    cascade_plan_of_member,
    cascade_plans_of_cohort,
    graduates_without_plan,
    may_cascade_from,
    trainings_member_may_cascade_from,
)
from cohorts.services.cascade import (
    cascade_cohort_start,
    cascade_plan_mark_done,
    cascade_plan_save,
)
from cohorts.views import managed_cohort_or_404, show_service_errors
from members.models import Member
from members.permissions import members_visible_to
from members.selectors import member_for_user


def _member_or_404(request: HttpRequest) -> Member:
    member = member_for_user(user=request.user)
    if member is None:
        raise Http404
    return member


def _training_or_404(member: Member, slug: str) -> Cohort:
    training = trainings_member_may_cascade_from(member=member).filter(slug=slug).first()
    if training is None:
        raise Http404
    return training


def _plan_or_404(member: Member, pk: int) -> CascadePlan:
    """The member's own plan, while they still may cascade from its training."""
    try:
        plan = cascade_plan_of_member(member=member, pk=pk)
    except CascadePlan.DoesNotExist as missing:
        raise Http404 from missing
    if not may_cascade_from(member=member, cohort=plan.cohort):
        raise Http404
    return plan


def _my_cascade_url(training: Cohort) -> str:
    return f"{reverse('cohorts:my_trainings')}#cascade-{training.slug}"


@login_required
def cascade_plan(request: HttpRequest, slug: str) -> HttpResponse:
    """Make the plan for a training, or change it (one plan per training)."""
    member = _member_or_404(request)
    training = _training_or_404(member, slug)
    plan = cascade_plan_for_training(member=member, cohort=training)
    form = CascadePlanForm(
        request.POST or None,
        member=member,
        cohort=training,
        initial=CascadePlanForm.initial_from(plan, member),
    )
    if request.method == "POST" and form.is_valid():
        try:
            cascade_plan_save(member=member, cohort=training, by=request.user, **form.cleaned_data)
        except PermissionDenied as refused:
            raise Http404 from refused
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Your cascade plan is saved."))
            return redirect(_my_cascade_url(training))
    return render(
        request,
        "cohorts/cascade_plan_form.html",
        {"form": form, "training": training, "plan": plan},
    )


@login_required
def cascade_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a cascade training from the plan: a draft the graduate then schedules and
    publishes on the cohort's own pages."""
    member = _member_or_404(request)
    plan = _plan_or_404(member, pk)
    form = CascadeStartForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = cascade_cohort_start(plan=plan, by=request.user, **form.cleaned_data)
        except PermissionDenied as refused:
            raise Http404 from refused
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your cascade training is saved as a draft. Next: plan its sessions, "
                    "then publish it to open registration."
                ),
            )
            return redirect("cohorts:manage_detail", slug=cohort.slug)
    organizers = list(plan.cohort.organizers.all())
    if plan.target_organization and plan.target_organization not in organizers:
        organizers.append(plan.target_organization)  # as the service adds it
    return render(
        request,
        "cohorts/cascade_start.html",
        {"form": form, "plan": plan, "training": plan.cohort, "organizers": organizers},
    )


@login_required
@require_POST
def cascade_plan_done(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_or_404(request)
    plan = _plan_or_404(member, pk)
    done = request.POST.get("done") == "yes"
    try:
        cascade_plan_mark_done(plan=plan, by=request.user, done=done)
    except PermissionDenied as refused:
        raise Http404 from refused
    if done:
        messages.success(request, _("Your cascade plan is marked done. Thank you!"))
    else:
        messages.success(request, _("Your cascade plan is open again."))
    return redirect(_my_cascade_url(plan.cohort))


@login_required
@require_GET
def cascade_plans(request: HttpRequest, slug: str) -> HttpResponse:
    """Every graduate's plan for a training, and the graduates with none yet. Names of
    graduates outside the viewer's organizations are withheld, as on the cascade page."""
    cohort = managed_cohort_or_404(request, slug)
    may_cascade = cohort.kind == Cohort.Kind.TOT or cohort.curriculum.graduates_may_train
    plans = cascade_plans_of_cohort(user=request.user, cohort=cohort)
    without_plan = list(graduates_without_plan(cohort=cohort)) if may_cascade else []
    member_ids = {progress.plan.member_id for progress in plans} | {m.pk for m in without_plan}
    visible = set(
        members_visible_to(request.user).filter(pk__in=member_ids).values_list("pk", flat=True)
    )
    cascade_ids = {cascade.pk for progress in plans for cascade in progress.cascades}
    managed = set(
        cohorts_managed_by(request.user).filter(pk__in=cascade_ids).values_list("pk", flat=True)
    )
    context = {
        "cohort": cohort,
        "graduates_may_cascade": may_cascade,
        "plans": plans,
        "without_plan": without_plan,
        "visible_members": visible,
        "managed_cascades": managed,
        "today": timezone.localdate(),
    }
    return render(request, "cohorts/cascade_plans.html", context)
