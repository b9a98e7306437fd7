"""The organizer's registration actions. Each form only checks the shape of its input;
the seat rules are in ``cohorts.services.enrollments``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort, Enrollment

Status = Enrollment.Status
MESSAGE_MAX_LENGTH = 2000


class RegistrationDecisionForm(forms.Form):
    """Approve or reject one or several registrations, with a message to each registrant."""

    APPROVE = "approve"
    REJECT = "reject"

    decision = forms.ChoiceField(choices=[(APPROVE, _("Approve")), (REJECT, _("Reject"))])
    enrollments = forms.ModelMultipleChoiceField(
        queryset=Enrollment.objects.none(),
        error_messages={"required": _("Choose at least one registration.")},
    )
    message = forms.CharField(
        label=_("Message to the registrants (optional)"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, cohort: Cohort, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enrollments"].queryset = cohort.enrollments.only("id")

    @property
    def enrollment_ids(self) -> list[int]:
        return [enrollment.pk for enrollment in self.cleaned_data["enrollments"]]


class RegistrationMoveForm(forms.Form):
    to_status = forms.ChoiceField(
        choices=[
            (Status.CONFIRMED, _("Give a seat")),
            (Status.WAITLISTED, _("Back to the waiting list")),
        ]
    )


class RegistrationCancelForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the registrant (optional)"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MemberSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a member"),
        required=False,
        max_length=100,
        help_text=_("Name, phone or member number"),
    )


class RegistrationAddForm(forms.Form):
    member = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
