from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort
from cohorts.selectors.reach_report import ReachFilters, tots_in_reach
from members.models import Organization
from members.permissions import organizations_visible_to

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class TotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Cohort) -> str:
        return f"{obj.title} ({obj.ends_on:%Y})"


class ReachFilterForm(forms.Form):
    """The reach report's filters, from the query string (``tot``, ``organization``,
    ``from``, ``to``); every one may stay empty."""

    tot = TotChoiceField(
        label=_("TOT"),
        required=False,
        queryset=Cohort.objects.none(),
        to_field_name="slug",
        empty_label=_("All TOTs of your organizations"),
    )
    organization = forms.ModelChoiceField(
        label=_("Members of"),
        required=False,
        queryset=None,
        empty_label=_("All organizations"),
        help_text=_("Counts only members of this organization and the ones below it."),
    )

    def __init__(self, *args, user: AbstractBaseUser, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tot"].queryset = tots_in_reach(user=user).order_by("-ends_on", "title")
        # Workplace unions run into the thousands under a confederation: the filter offers
        # the levels above them (a workplace union's members are in its council's count).
        self.fields["organization"].queryset = (
            organizations_visible_to(user)
            .exclude(kind=Organization.Kind.WORKPLACE_UNION)
            .order_by("name")
        )
        # "from" is a Python keyword, so the two dates cannot be declared above.
        self.fields["from"] = forms.DateField(
            label=_("Trainings ending from"), required=False, widget=DATE_INPUT
        )
        self.fields["to"] = forms.DateField(
            label=_("Trainings ending until"), required=False, widget=DATE_INPUT
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        ends_from, ends_until = cleaned.get("from"), cleaned.get("to")
        if ends_from and ends_until and ends_from > ends_until:
            self.add_error("to", _("The end of the range must not come before its start."))
        return cleaned

    def filters(self) -> ReachFilters:
        """The validated filters, for ``reach_report`` (call after ``is_valid()``)."""
        return ReachFilters(
            ends_from=self.cleaned_data.get("from"),
            ends_until=self.cleaned_data.get("to"),
            organization=self.cleaned_data.get("organization"),
        )
