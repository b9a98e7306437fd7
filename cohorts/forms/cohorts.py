import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts import zones
from cohorts.models import (
    Cohort,
    FollowUpStep,
    RegistrationQuestion,
    default_follow_up_days,
    default_registration_questions,
    default_reminder_hours,
)
from cohorts.permissions import is_cohort_organizer
from cohorts.selectors import trainer_candidates
from cohorts.selectors.cascade_plans import curricula_for_cascade
from curriculum.models import Curriculum
from curriculum.permissions import curricula_visible_to
from members.models import Organization, Region
from members.permissions import organizations_managed_by

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
# Each window: (opens, closes, the message when it closes before it opens).
WINDOWS = (
    (
        "registration_opens_at",
        "registration_closes_at",
        _("Registration must close after it opens."),
    ),
    ("pre_test_opens_at", "pre_test_closes_at", _("The pre-test must close after it opens.")),
    ("post_test_opens_at", "post_test_closes_at", _("The post-test must close after it opens.")),
)
# Left empty, these take the model's default rather than an error.
DEFAULT_WHEN_EMPTY = ("late_after_minutes", "post_test_max_attempts")
LOCAL_DATETIME_FIELDS = tuple(name for window in WINDOWS for name in window[:2])


def in_zone(value: dt.datetime | None, zone_name: str) -> dt.datetime | None:
    """The wall-clock time as typed, read in ``zone_name`` instead of the server's zone."""
    if value is None:
        return None
    return timezone.make_naive(value).replace(tzinfo=ZoneInfo(zone_name))


class CohortForm(forms.ModelForm):
    """Registration and test times are typed in the cohort's zone; the view renders an existing
    cohort's form inside ``timezone.override(cohort.time_zone)``."""

    time_zone = forms.ChoiceField(
        label=_("time zone"),
        required=False,
        choices=[("", _("From the region's province")), *Cohort.TimeZone.choices],
    )

    online_url = forms.URLField(
        label=_("online link"),
        required=False,
        assume_scheme="https",
        help_text=Cohort._meta.get_field("online_url").help_text,
    )

    registration_questions = forms.MultipleChoiceField(
        label=_("Questions at registration"),
        choices=RegistrationQuestion.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        initial=default_registration_questions,
        help_text=_("Besides their member record, registrants answer these."),
    )

    reminder_hours = forms.CharField(
        label=_("Reminders (hours before each session)"),
        required=False,
        help_text=_("For example “24, 2”: a day before and two hours before. Empty: none."),
    )
    follow_up_plan = forms.IntegerField(
        label=_("Follow-up: make a cascade plan (day)"), required=False, min_value=1
    )
    follow_up_schedule = forms.IntegerField(
        label=_("Follow-up: schedule the cascade training (day)"), required=False, min_value=1
    )
    follow_up_first_session = forms.IntegerField(
        label=_("Follow-up: hold its first session (day)"), required=False, min_value=1
    )
    follow_up_escalate = forms.IntegerField(
        label=_("Tell the organizers if nothing happened (day)"),
        required=False,
        min_value=1,
        help_text=_("Days after the TOT ends. Empty: that step is left out."),
    )

    class Meta:
        model = Cohort
        fields = [
            "title",
            "curriculum",
            "organizers",
            "lead_trainers",
            "summary",
            "starts_on",
            "ends_on",
            "region",
            "time_zone",
            "venue_name",
            "venue_address",
            "online_url",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "requires_approval",
            "registration_questions",
            "min_attendance_percent",
            "late_after_minutes",
            "post_test_required",
            "pre_test_opens_at",
            "pre_test_closes_at",
            "post_test_opens_at",
            "post_test_closes_at",
            "post_test_max_attempts",
            "reminder_hours",
        ]
        widgets = {
            "starts_on": DATE_INPUT,
            "ends_on": DATE_INPUT,
            **dict.fromkeys(LOCAL_DATETIME_FIELDS, DATETIME_INPUT),
            "organizers": forms.CheckboxSelectMultiple,
            "lead_trainers": forms.CheckboxSelectMultiple,
            "venue_address": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "organizers": _(
                "One or several: a joint TOT lists every confederation that organizes it."
            ),
            "curriculum": _("Only published versions can be scheduled."),
        }

    def __init__(self, *args, user: AbstractBaseUser, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        is_organizer = not self.instance.pk or is_cohort_organizer(user, self.instance)
        choices = Q(pk__in=curricula_visible_to(user).filter(status=Curriculum.Status.PUBLISHED))
        if not is_organizer and self.instance.parent_id:
            # A graduate's cascade teaches what they learned, or its shorter version.
            cascade_curricula = curricula_for_cascade(parent=self.instance.parent)
            choices = Q(pk__in=[curriculum.pk for curriculum in cascade_curricula])
        if self.instance.pk:
            # Kept selectable when since archived: a running cohort still runs it.
            choices |= Q(pk=self.instance.curriculum_id)
        self.fields["curriculum"].queryset = Curriculum.objects.filter(choices)
        if self.instance.pk and self.instance.status != Cohort.Status.DRAFT:
            self.fields["curriculum"].disabled = True
        organizers = Q(parent__isnull=True) | Q(pk__in=organizations_managed_by(user))
        if self.instance.pk:
            organizers |= Q(pk__in=self.instance.organizers.values("pk"))
        self.fields["organizers"].queryset = Organization.objects.filter(organizers)
        if not is_organizer:
            # A graduate running their cascade keeps the organizations it was started with.
            del self.fields["organizers"]
        self.fields["lead_trainers"].queryset = trainer_candidates(user=user, cohort=self.instance)
        self.fields["lead_trainers"].label_from_instance = lambda member: (
            f"{member.full_name} · {member.organization.short_name}"
        )
        self.fields["region"].queryset = Region.objects.filter(
            level=Region.Level.REGENCY
        ).select_related("parent")
        self.fields["region"].label_from_instance = lambda region: (
            f"{region.name}, {region.parent.name}"
        )
        self.fields["region"].label = _("Regency or city")
        for name in DEFAULT_WHEN_EMPTY:
            self.fields[name].required = False
        hours = self.instance.reminder_hours if self.instance.pk else default_reminder_hours()
        self.initial["reminder_hours"] = ", ".join(str(hour) for hour in hours)
        days = self.instance.follow_up_days if self.instance.pk else default_follow_up_days()
        for step in FollowUpStep.values:
            self.initial[f"follow_up_{step}"] = days.get(step)

    def _posted(self, name: str) -> bool:
        return self.add_prefix(name) in self.data

    def clean_reminder_hours(self) -> list[int]:
        if not self._posted("reminder_hours"):  # a post without the field keeps them
            return self.instance.reminder_hours if self.instance.pk else default_reminder_hours()
        text = self.cleaned_data["reminder_hours"].replace(";", ",")
        try:
            return [int(part) for part in text.split(",") if part.strip()]
        except ValueError as error:
            raise forms.ValidationError(
                _("Give whole hours separated by commas, for example “24, 2”.")
            ) from error

    def _follow_up_days(self, cleaned: dict) -> dict[str, int]:
        names = [f"follow_up_{step}" for step in FollowUpStep.values]
        if not any(self._posted(name) for name in names):
            for name in names:
                cleaned.pop(name, None)
            return self.instance.follow_up_days if self.instance.pk else default_follow_up_days()
        days = {}
        for step in FollowUpStep.values:
            value = cleaned.pop(f"follow_up_{step}", None)
            if value is not None:
                days[step] = value
        return days

    def clean(self) -> dict:
        cleaned = super().clean()
        cleaned["follow_up_days"] = self._follow_up_days(cleaned)
        region = cleaned.get("region")
        zone = cleaned.get("time_zone") or (zones.time_zone_for_region(region) if region else "")
        cleaned["time_zone"] = zone
        if zone:
            for name in LOCAL_DATETIME_FIELDS:
                cleaned[name] = in_zone(cleaned.get(name), zone)
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The cohort cannot end before it starts."))
        for name in DEFAULT_WHEN_EMPTY:
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = Cohort._meta.get_field(name).get_default()
        for opens_name, closes_name, message in WINDOWS:
            opens, closes = cleaned.get(opens_name), cleaned.get(closes_name)
            if opens and closes and closes <= opens:
                self.add_error(closes_name, message)
        return cleaned


class CohortStatusForm(forms.Form):
    to_status = forms.ChoiceField(choices=Cohort.Status.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class CohortDuplicateForm(forms.Form):
    title = forms.CharField(label=_("Title of the new cohort"), max_length=200)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE_INPUT)
    region = forms.ModelChoiceField(
        label=_("Regency or city"),
        queryset=Region.objects.filter(level=Region.Level.REGENCY).select_related("parent"),
    )
    venue_name = forms.CharField(label=_("Venue"), max_length=200, required=False)
    venue_address = forms.CharField(
        label=_("Venue address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    keep_trainers = forms.BooleanField(
        label=_("Keep the trainers"),
        required=False,
        help_text=_("Assign the same trainers to the copied sessions (clashes are checked)."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].label_from_instance = lambda region: (
            f"{region.name}, {region.parent.name}"
        )
