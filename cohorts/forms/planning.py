"""Planning a cohort's sessions from its curriculum: the plan's shape, then the proposed
sessions as an editable formset. Dates and times are typed in the cohort's zone.

Choices (trainers, modules) are handed in as ready lists so a formset of many rows reads
the database once, not once per row.
"""

import datetime as dt
import re
from collections.abc import Sequence

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from cohorts import zones
from cohorts.forms.cohorts import DATE_INPUT
from cohorts.forms.sessions import TIME_INPUT
from cohorts.models import Cohort
from cohorts.services.planning import MONDAY_TO_SATURDAY, TITLE_MAX_LENGTH, ProposedSession
from curriculum.models import Module
from members.models import Member

DEFAULT_BREAKS = "10:00-10:15, 12:00-13:00, 15:00-15:15"
MAX_PLANNED_SESSIONS = 200
# "10:00-10:15" or "10.00–10.15": Indonesians often write times with a dot.
_BREAK = re.compile(r"(\d{1,2})[:.](\d{2})\s*[-–—]\s*(\d{1,2})[:.](\d{2})")
_BREAK_SEPARATORS = re.compile(r"[,;\n]+")


def trainer_choices(trainers: Sequence[Member]) -> list[tuple[int, str]]:
    return [
        (member.pk, f"{member.full_name} · {member.organization.short_name}") for member in trainers
    ]


def module_choices(modules: Sequence[Module]) -> list[tuple[int, str]]:
    return [(module.pk, module.title) for module in modules]


class BreaksField(forms.Field):
    """Breaks typed as "10:00-10:15, 12:00-13:00"; cleans to a list of (start, end) times."""

    widget = forms.TextInput

    def to_python(self, value: str | None) -> list[tuple[dt.time, dt.time]]:
        texts = (text.strip() for text in _BREAK_SEPARATORS.split(value or ""))
        return [self._parse(text) for text in texts if text]

    @staticmethod
    def _parse(text: str) -> tuple[dt.time, dt.time]:
        match = _BREAK.fullmatch(text)
        if match is None:
            raise ValidationError(
                _("Write each break as start-end, like 10:00-10:15; “%(value)s” is not."),
                code="invalid",
                params={"value": text},
            )
        hours_start, minutes_start, hours_end, minutes_end = map(int, match.groups())
        try:
            return dt.time(hours_start, minutes_start), dt.time(hours_end, minutes_end)
        except ValueError as wrong:
            raise ValidationError(
                _("“%(value)s” holds a time that does not exist."),
                code="invalid",
                params={"value": text},
            ) from wrong


def _weekdays_within(cohort: Cohort) -> set[int]:
    """The weekdays of the cohort's own dates: a TOT set over a weekend trains on Sunday."""
    days = min((cohort.ends_on - cohort.starts_on).days + 1, 7)
    return {(cohort.starts_on + dt.timedelta(days=offset)).weekday() for offset in range(days)}


class SessionPlanForm(forms.Form):
    """The shape of the plan: when the training runs and who trains by default."""

    start_date = forms.DateField(label=_("First day"), widget=DATE_INPUT)
    day_start = forms.TimeField(label=_("Day starts"), initial=dt.time(8, 30), widget=TIME_INPUT)
    day_end = forms.TimeField(label=_("Day ends"), initial=dt.time(16, 30), widget=TIME_INPUT)
    breaks = BreaksField(
        label=_("Breaks"),
        required=False,
        initial=DEFAULT_BREAKS,
        help_text=_("Start-end, separated by commas, e.g. 10:00-10:15, 12:00-13:00."),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days of the week"),
        coerce=int,
        choices=list(WEEKDAYS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one day of the week.")},
    )
    room = forms.CharField(
        label=_("Room"),
        max_length=100,
        required=False,
        help_text=_("For every session; change single sessions in the next step."),
    )
    trainers = forms.TypedMultipleChoiceField(
        label=_("Trainers"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For every session; change single sessions in the next step."),
    )

    def __init__(self, *args, cohort: Cohort, trainers: Sequence[Member], **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                "start_date": cohort.starts_on,
                "weekdays": sorted(MONDAY_TO_SATURDAY | _weekdays_within(cohort)),
                "trainers": [member.pk for member in cohort.lead_trainers.all()],
            },
        )
        super().__init__(*args, **kwargs)
        self._trainers = {member.pk: member for member in trainers}
        self.fields["trainers"].choices = trainer_choices(trainers)
        self.fields["day_start"].help_text = _("Times in %(zone)s.") % {
            "zone": zones.abbreviation_of(cohort)
        }

    def service_arguments(self) -> dict:
        """Keyword arguments for ``sessions_propose`` (all but the cohort)."""
        data = self.cleaned_data
        return {
            "start_date": data["start_date"],
            "day_start": data["day_start"],
            "day_end": data["day_end"],
            "breaks": data["breaks"],
            "weekdays": data["weekdays"],
            "room": data["room"],
            "trainers": [self._trainers[pk] for pk in data["trainers"]],
        }


class PlannedSessionForm(forms.Form):
    """One row of the proposal; ``cleaned_data`` carries aware ``starts_at``/``ends_at``."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    day = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    start_time = forms.TimeField(label=_("Starts"), widget=TIME_INPUT)
    end_time = forms.TimeField(label=_("Ends"), widget=TIME_INPUT)
    room = forms.CharField(label=_("Room"), max_length=100, required=False)
    trainers = forms.TypedMultipleChoiceField(
        label=_("Trainers"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    modules = forms.TypedMultipleChoiceField(
        label=_("Modules"), coerce=int, required=False, widget=forms.MultipleHiddenInput
    )

    def __init__(
        self,
        *args,
        cohort: Cohort,
        trainer_choices: list[tuple[int, str]],
        module_choices: list[tuple[int, str]],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.fields["trainers"].choices = trainer_choices
        self.fields["modules"].choices = module_choices

    def clean(self) -> dict:
        cleaned = super().clean()
        day, start, end = (cleaned.get(name) for name in ("day", "start_time", "end_time"))
        if day and start and end:
            if end <= start:
                self.add_error("end_time", _("A session must end after it starts."))
            else:
                cleaned["starts_at"] = zones.aware(day, start, self.cohort)
                cleaned["ends_at"] = zones.aware(day, end, self.cohort)
        return cleaned

    @staticmethod
    def initial_for(proposed: ProposedSession) -> dict:
        return {
            "title": proposed.title,
            "day": proposed.day,
            "start_time": proposed.start_time,
            "end_time": proposed.end_time,
            "room": proposed.room,
            "trainers": [trainer.pk for trainer in proposed.trainers],
            "modules": [proposed.module.pk],
        }


class BasePlannedSessionFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Leave this session out")

    def clean(self) -> None:
        if any(self.errors):
            return
        if not any(form.cleaned_data and not self._should_delete_form(form) for form in self.forms):
            raise ValidationError(_("Keep at least one session to save."))

    def kept_forms(self) -> list[PlannedSessionForm]:
        return [form for form in self.forms if not self._should_delete_form(form)]


PlannedSessionFormSet = forms.formset_factory(
    PlannedSessionForm,
    formset=BasePlannedSessionFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_PLANNED_SESSIONS,
    absolute_max=MAX_PLANNED_SESSIONS,
    validate_max=True,
)
