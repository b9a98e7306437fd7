"""The graduate's forms: the cascade plan, and the short form that starts a cascade
training from it. They check the shape of the input; the services check the rules."""

import math

from django import forms
from django.db.models import Case, When
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cohorts.forms.cohorts import DATE_INPUT
from cohorts.models import CascadePlan, Cohort
from cohorts.selectors.cascade_plans import cascade_target_organizations, curricula_for_cascade
from cohorts.services.cascade import MAX_EXPECTED_PARTICIPANTS, MAX_TRAININGS_PLANNED
from curriculum.models import Curriculum
from members.models import Member, Organization, Region


def _regencies(label: str) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(
        label=label,
        queryset=Region.objects.filter(level=Region.Level.REGENCY)
        .select_related("parent")
        .order_by("name", "parent__name"),
    )
    field.label_from_instance = lambda region: f"{region.name}, {region.parent.name}"
    return field


def _organization_label(organization: Organization) -> str:
    parent = organization.parent
    return f"{organization.short_name} · {parent.short_name}" if parent else organization.name


class CascadePlanForm(forms.Form):
    """The plan's fields. The limits on the numbers and the date are the service's (its
    messages say the range); here they only give phones the right keyboard."""

    trainings_planned = forms.IntegerField(
        label=_("How many cascade trainings will you run?"),
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_TRAININGS_PLANNED}),
    )
    target_organization = forms.ModelChoiceField(
        label=_("For the members of"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("Not decided yet"),
        help_text=_(
            "Your own union or one of the training's organizers. Its organizers will see "
            "your cascade training and can help."
        ),
    )
    target_region = _regencies(_("In the regency or city"))
    expected_participants = forms.IntegerField(
        label=_("Participants expected in all"),
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_EXPECTED_PARTICIPANTS}),
    )
    due_on = forms.DateField(label=_("Run them by"), widget=DATE_INPUT)
    note = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example which workplaces, or who helps you."),
    )

    def __init__(self, *args, member: Member, cohort: Cohort, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        organizations = self.fields["target_organization"]
        organizations.queryset = (
            cascade_target_organizations(member=member, cohort=cohort)
            .select_related("parent")
            .order_by("short_name", "name")
        )
        organizations.label_from_instance = _organization_label
        self.fields["target_region"].required = False
        self.fields["target_region"].empty_label = _("Not decided yet")

    @staticmethod
    def initial_from(plan: CascadePlan | None, member: Member) -> dict:
        if plan is None:
            return {"trainings_planned": 1, "target_organization": member.organization}
        return {
            "trainings_planned": plan.trainings_planned,
            "target_organization": plan.target_organization,
            "target_region": plan.target_region,
            "expected_participants": plan.expected_participants,
            "due_on": plan.due_on,
            "note": plan.note,
        }


class CascadeStartForm(forms.Form):
    """What a cascade training needs to exist as a draft; sessions, registration and the
    rest come after, on the cohort's own pages."""

    title = forms.CharField(label=_("Title"), max_length=200)
    curriculum = forms.ModelChoiceField(
        label=_("Curriculum"),
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_("What you learned, or its shorter version made for cascade trainings."),
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE_INPUT)
    region = _regencies(_("Regency or city"))
    capacity = forms.IntegerField(
        label=_("Seats"), min_value=1, max_value=MAX_EXPECTED_PARTICIPANTS
    )
    venue_name = forms.CharField(label=_("Venue"), max_length=200, required=False)
    venue_address = forms.CharField(
        label=_("Venue address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, plan: CascadePlan, **kwargs) -> None:
        curricula = curricula_for_cascade(parent=plan.cohort)
        kwargs.setdefault("initial", self._initial_for(plan, curricula))
        super().__init__(*args, **kwargs)
        # The shorter cascade version (if any) first: it is made for this.
        ids = [curriculum.pk for curriculum in reversed(curricula)]
        self.fields["curriculum"].queryset = Curriculum.objects.filter(pk__in=ids).order_by(
            Case(*(When(pk=pk, then=position) for position, pk in enumerate(ids)))
        )

    @staticmethod
    def _initial_for(plan: CascadePlan, curricula: list[Curriculum]) -> dict:
        parent, target = plan.cohort, plan.target_organization
        if target is None:
            title = gettext("Cascade training: %(training)s") % {"training": parent.title}
        else:
            title = gettext("Cascade training: %(training)s — %(group)s") % {
                "training": parent.title,
                "group": target.short_name,
            }
        return {
            "title": title[:200],
            # The shorter version exists for cascades: offer it first when there is one.
            "curriculum": curricula[-1],
            "region": plan.target_region or parent.region,
            # Enough seats in each for all the plan's participants.
            "capacity": max(math.ceil(plan.expected_participants / plan.trainings_planned), 1),
        }

    def clean(self) -> dict:
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The cohort cannot end before it starts."))
        return cleaned
