"""Forms of the session report and the signed sign-in sheets. They check the shape of the
input; what a file may be is ``cohorts.uploads``'s to decide, and when a report may change
is ``cohorts.services.session_reports``'s."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cohorts.services.session_reports import ReportContent
from curriculum.models import Module

TEXT_MAX_LENGTH = 5000
IMAGE_TYPES = "image/jpeg,image/png,.jpg,.jpeg,.png"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented recipe)."""

    def __init__(self, *args, accept: str, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list:
        single = super().clean
        if not data:
            single(None, initial)  # "required" speaks here
            return []
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


def _text(label) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SessionReportForm(forms.Form):
    modules_covered = forms.ModelMultipleChoiceField(
        label=_("Modules covered"),
        queryset=Module.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    went_well = _text(_("What went well"))
    challenges = _text(_("Challenges"))
    participant_questions = _text(_("Participants' questions"))
    follow_up_actions = _text(_("Follow-up actions"))

    def __init__(self, *args, modules: QuerySet[Module], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["modules_covered"].queryset = modules

    def content(self) -> ReportContent:
        data = self.cleaned_data
        return ReportContent(
            modules_covered=list(data["modules_covered"]),
            went_well=data["went_well"],
            challenges=data["challenges"],
            participant_questions=data["participant_questions"],
            follow_up_actions=data["follow_up_actions"],
        )


class ReportPhotosForm(forms.Form):
    photos = MultipleFileField(
        label=_("Photos (JPEG or PNG)"),
        accept=IMAGE_TYPES,
        error_messages={"required": _("Choose at least one photo.")},
    )


class ReportReopenForm(forms.Form):
    note = forms.CharField(
        label=_("Why reopen it?"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the report is reopened.")},
    )


class AttendanceSheetForm(forms.Form):
    files = MultipleFileField(
        label=_("Photos or scans of the signed sheet (JPEG, PNG or PDF)"),
        accept=f"{IMAGE_TYPES},application/pdf,.pdf",
        error_messages={"required": _("Choose at least one photo or scan of the signed sheet.")},
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
