"""Plan a cohort's sessions from its curriculum, on one page in three steps:

1. GET: the plan's shape (first day, daily hours, breaks, weekdays, default room and trainers);
2. POST ``action=propose``: the proposed sessions as an editable formset, clashes beside
   their rows (``action=check`` checks the edited rows again);
3. POST ``action=save``: all sessions at once through ``sessions_create_many``, or none.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext

from cohorts.forms.planning import (
    PlannedSessionForm,
    PlannedSessionFormSet,
    SessionPlanForm,
    module_choices,
    trainer_choices,
)
from cohorts.models import Cohort
from cohorts.selectors import trainer_candidates
from cohorts.selectors.clashes import Slot, clashes_for_slots
from cohorts.services.planning import sessions_propose
from cohorts.services.sessions import sessions_create_many
from cohorts.views import managed_cohort_or_404
from curriculum.models import Module
from members.models import Member

TEMPLATE = "cohorts/session_plan.html"
FORMSET_PREFIX = "sessions"


@dataclass(frozen=True)
class PlanRow:
    form: PlannedSessionForm
    modules: list[Module]
    clashes: list[str]


class _Plan:
    """What every step needs: the cohort, its modules and the trainers to choose from."""

    def __init__(self, cohort: Cohort, trainers: list[Member], modules: list[Module]) -> None:
        self.cohort = cohort
        self.trainers = {member.pk: member for member in trainers}
        self.modules = {module.pk: module for module in modules}
        self.form_kwargs = {
            "cohort": cohort,
            "trainer_choices": trainer_choices(trainers),
            "module_choices": module_choices(modules),
        }

    def formset(self, data: dict | None = None, initial: list | None = None):
        return PlannedSessionFormSet(
            data, initial=initial, prefix=FORMSET_PREFIX, form_kwargs=self.form_kwargs
        )

    def planned(self, form: PlannedSessionForm) -> dict:
        """A valid row as ``sessions_create_many`` takes it."""
        data = form.cleaned_data
        return {
            "title": data["title"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "room": data["room"],
            "modules": [self.modules[pk] for pk in data["modules"]],
            "trainers": [self.trainers[pk] for pk in data["trainers"]],
        }

    def slot(self, form: PlannedSessionForm) -> Slot | None:
        """The row's slot for the clash check; None for rows left out or not valid."""
        if not form.is_valid() or form.cleaned_data.get("DELETE"):
            return None
        data = form.cleaned_data
        return Slot(
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            room=data["room"],
            trainer_ids=frozenset(data["trainers"]),
        )

    def rows(self, formset, slots: list[Slot | None]) -> list[PlanRow]:
        """Each form with its modules and the clashes of its slot (a clash between two rows
        shows on both)."""
        row_of = {id(slot): index for index, slot in enumerate(slots) if slot is not None}
        clashes: list[list[str]] = [[] for _ in slots]
        for clash in clashes_for_slots(cohort=self.cohort, slots=[s for s in slots if s]):
            clashes[row_of[id(clash.slot)]].append(clash.message)
            if id(clash.other) in row_of:
                clashes[row_of[id(clash.other)]].append(clash.message)
        return [
            PlanRow(form, self._modules_of(form), row_clashes)
            for form, row_clashes in zip(formset.forms, clashes, strict=True)
        ]

    def _modules_of(self, form: PlannedSessionForm) -> list[Module]:
        ids = {int(pk) for pk in form["modules"].value() or [] if str(pk).isdigit()}
        return [module for pk, module in self.modules.items() if pk in ids]


def _propose(plan: _Plan, plan_form: SessionPlanForm) -> dict:
    try:
        proposed = sessions_propose(cohort=plan.cohort, **plan_form.service_arguments())
    except ValidationError as error:
        plan_form.add_error(None, error)
        return {}
    formset = plan.formset(initial=[PlannedSessionForm.initial_for(p) for p in proposed])
    return {
        "formset": formset,
        "rows": plan.rows(formset, [p.slot() for p in proposed]),
        "last_day": proposed[-1].day,
    }


@login_required
def session_plan(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = managed_cohort_or_404(request, slug)
    trainers = list(trainer_candidates(user=request.user, cohort=cohort))
    plan = _Plan(cohort, trainers, list(cohort.curriculum.modules.order_by("position", "id")))
    plan_form = SessionPlanForm(request.POST or None, cohort=cohort, trainers=trainers)
    context = {"cohort": cohort, "plan_form": plan_form}
    action = request.POST.get("action")
    if action == "propose" and plan_form.is_valid():
        context |= _propose(plan, plan_form)
    elif action in {"check", "save"}:
        formset = plan.formset(request.POST)
        if action == "save" and formset.is_valid():
            try:
                created = sessions_create_many(
                    cohort=cohort, sessions=[plan.planned(form) for form in formset.kept_forms()]
                )
            except ValidationError as error:
                context["save_errors"] = error.messages
            else:
                saved = ngettext(
                    "%(count)d session was saved.", "%(count)d sessions were saved.", len(created)
                )
                messages.success(request, saved % {"count": len(created)})
                return redirect("cohorts:manage_detail", slug=cohort.slug)
        context |= {
            "formset": formset,
            "rows": plan.rows(formset, [plan.slot(form) for form in formset.forms]),
        }
    return render(request, TEMPLATE, context)
