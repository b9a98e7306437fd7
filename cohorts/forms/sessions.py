from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from cohorts import zones
from cohorts.forms.cohorts import DATE_INPUT
from cohorts.models import Cohort, Session
from cohorts.selectors import trainer_candidates

TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class SessionForm(forms.Form):
    """Date and times are typed in the cohort's zone; ``cleaned_data`` carries the aware
    ``starts_at``/``ends_at`` the services take."""

    title = forms.CharField(label=_("Title"), max_length=200)
    day = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    start_time = forms.TimeField(label=_("Starts"), widget=TIME_INPUT)
    end_time = forms.TimeField(label=_("Ends"), widget=TIME_INPUT)
    room = forms.CharField(label=_("Room"), max_length=100, required=False)
    modules = forms.ModelMultipleChoiceField(
        label=_("Modules covered"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    trainers = forms.ModelMultipleChoiceField(
        label=_("Trainers"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args,
        cohort: Cohort,
        user: AbstractBaseUser,
        session: Session | None = None,
        **kwargs,
    ) -> None:
        if session is not None and "initial" not in kwargs:
            kwargs["initial"] = self._initial_for(session, cohort)
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.fields["modules"].queryset = cohort.curriculum.modules.all()
        self.fields["modules"].label_from_instance = lambda module: (
            f"{module.position}. {module.title} ({module.duration_minutes}′)"
        )
        self.fields["trainers"].queryset = trainer_candidates(user=user, cohort=cohort)
        self.fields["trainers"].label_from_instance = lambda member: (
            f"{member.full_name} · {member.organization.short_name}"
        )
        self.fields["day"].help_text = _("Times in %(zone)s.") % {
            "zone": zones.abbreviation_of(cohort)
        }

    @staticmethod
    def _initial_for(session: Session, cohort: Cohort) -> dict:
        start, end = zones.local(session.starts_at, cohort), zones.local(session.ends_at, cohort)
        return {
            "title": session.title,
            "day": start.date(),
            "start_time": start.time(),
            "end_time": end.time(),
            "room": session.room,
            "modules": list(session.modules.all()),
            "trainers": list(session.trainers.all()),
        }

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

    def service_arguments(self) -> dict:
        names = ("title", "starts_at", "ends_at", "room", "modules", "trainers")
        return {name: self.cleaned_data[name] for name in names}
