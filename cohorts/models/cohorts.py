"""Cohorts and their sessions: when, where and who."""

import secrets
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cohorts.models.fields import account_that_acted

if TYPE_CHECKING:
    from members.models import Organization


class RegistrationQuestion(models.TextChoices):
    MOTIVATION = "motivation", _("Why do you want to join this training?")
    UNION_POSITION = "union_position", _("Your position in the union")
    WORKPLACE = "workplace", _("Your workplace or company")
    EXPERIENCE = "experience", _("Have you trained other members before? How?")


def default_reminder_hours() -> list[int]:
    return [24, 2]


class FollowUpStep(models.TextChoices):
    """The cascade follow-up cadence after a TOT, in order; each has its day."""

    PLAN = "plan", _("Make your cascade plan")
    SCHEDULE = "schedule", _("Schedule your first cascade training")
    FIRST_SESSION = "first_session", _("Hold its first session")
    ESCALATE = "escalate", _("Tell the organizers nothing has happened")


def default_follow_up_days() -> dict[str, int]:
    return {
        FollowUpStep.PLAN: 7,
        FollowUpStep.SCHEDULE: 30,
        FollowUpStep.FIRST_SESSION: 60,
        FollowUpStep.ESCALATE: 90,
    }


def default_registration_questions() -> list[str]:
    return [
        RegistrationQuestion.MOTIVATION,
        RegistrationQuestion.UNION_POSITION,
        RegistrationQuestion.WORKPLACE,
    ]


class CohortQuerySet(models.QuerySet):
    def open_for_registration(self) -> "CohortQuerySet":
        return self.filter(status=Cohort.Status.OPEN)

    def organized_by(self, organizations: Iterable["Organization"]) -> "CohortQuerySet":
        return self.filter(organizers__in=organizations).distinct()


class Cohort(models.Model):
    """One run of a curriculum version: a TOT, or a cascade run by a TOT graduate."""

    class Kind(models.TextChoices):
        TOT = "tot", _("Training of Trainers")
        CASCADE = "cascade", _("Cascade training")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for registration")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    class TimeZone(models.TextChoices):
        WIB = "Asia/Jakarta", _("WIB (Western Indonesia)")
        WITA = "Asia/Makassar", _("WITA (Central Indonesia)")
        WIT = "Asia/Jayapura", _("WIT (Eastern Indonesia)")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TOT)
    curriculum = models.ForeignKey(
        "curriculum.Curriculum",
        verbose_name=_("curriculum version"),
        on_delete=models.PROTECT,
        related_name="cohorts",
    )
    organizers = models.ManyToManyField(
        "members.Organization", verbose_name=_("organizing organizations"), related_name="cohorts"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent cohort"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cascades",
    )
    cascade_plan = models.ForeignKey(
        "cohorts.CascadePlan",
        verbose_name=_("cascade plan"),
        help_text=_("The graduate's plan this cascade training fulfils."),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cohorts",
    )
    lead_trainers = models.ManyToManyField(
        "members.Member",
        verbose_name=_("lead trainers"),
        related_name="led_cohorts",
        blank=True,
    )
    region = models.ForeignKey(
        "members.Region", verbose_name=_("regency or city"), on_delete=models.PROTECT
    )
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.TextField(_("venue address"), blank=True)
    online_url = models.URLField(
        _("online link"),
        blank=True,
        help_text=_("For online or hybrid trainings: the meeting link participants receive."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=20, choices=TimeZone.choices, default=TimeZone.WIB
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    capacity = models.PositiveIntegerField(_("capacity"))
    registration_opens_at = models.DateTimeField(
        _("registration opens"),
        null=True,
        blank=True,
        help_text=_("Empty: registration opens as soon as the cohort is published."),
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Empty: registration closes when the first session starts."),
    )
    requires_approval = models.BooleanField(
        _("registrations need approval"),
        default=False,
        help_text=_("An organizer confirms each registration before the seat is given."),
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"),
        default=80,
        validators=[MaxValueValidator(100)],
        help_text=_("Share of held sessions a participant must attend to complete."),
    )
    post_test_required = models.BooleanField(
        _("post-test pass required"),
        default=False,
        help_text=_("Completion also needs a passed post-test."),
    )
    reminder_hours = models.JSONField(
        _("reminders (hours before each session)"),
        default=default_reminder_hours,
        blank=True,
        help_text=_("Confirmed participants get a reminder this many hours before each session."),
    )
    follow_up_days = models.JSONField(
        _("cascade follow-ups (days after the end)"),
        default=default_follow_up_days,
        blank=True,
        help_text=_("When graduates are reminded to run their cascade, and when organizers hear."),
    )
    late_after_minutes = models.PositiveSmallIntegerField(
        _("late after (minutes)"),
        default=15,
        validators=[MaxValueValidator(240)],
        help_text=_("A self check-in this many minutes after a session starts counts as late."),
    )
    pre_test_opens_at = models.DateTimeField(
        _("pre-test opens"),
        null=True,
        blank=True,
        help_text=_("Empty: participants can take the pre-test as soon as they are confirmed."),
    )
    pre_test_closes_at = models.DateTimeField(
        _("pre-test closes"),
        null=True,
        blank=True,
        help_text=_("Empty: the pre-test closes when the first session starts."),
    )
    post_test_opens_at = models.DateTimeField(
        _("post-test opens"),
        null=True,
        blank=True,
        help_text=_("Empty: the post-test opens when the last session starts."),
    )
    post_test_closes_at = models.DateTimeField(
        _("post-test closes"),
        null=True,
        blank=True,
        help_text=_("Empty: the post-test closes seven days after the training ends."),
    )
    post_test_max_attempts = models.PositiveSmallIntegerField(
        _("post-test attempts"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("How many times a participant may take the post-test."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    summary = models.TextField(_("summary"), blank=True)
    registration_questions = models.JSONField(
        _("questions at registration"),
        default=default_registration_questions,
        blank=True,
        help_text=_("What registrants are asked, besides their member record."),
    )
    created_by = account_that_acted(_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, null=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, null=True)

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "title"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="cohort_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="cohort_capacity_positive"),
            models.CheckConstraint(
                condition=Q(min_attendance_percent__lte=100),
                name="cohort_min_attendance_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="cohort_registration_closes_after_it_opens",
            ),
            models.CheckConstraint(
                condition=Q(pre_test_opens_at__isnull=True)
                | Q(pre_test_closes_at__isnull=True)
                | Q(pre_test_closes_at__gt=F("pre_test_opens_at")),
                name="cohort_pre_test_closes_after_it_opens",
            ),
            models.CheckConstraint(
                condition=Q(post_test_opens_at__isnull=True)
                | Q(post_test_closes_at__isnull=True)
                | Q(post_test_closes_at__gt=F("post_test_opens_at")),
                name="cohort_post_test_closes_after_it_opens",
            ),
            models.CheckConstraint(
                condition=Q(kind="tot", parent__isnull=True)
                | Q(kind="cascade", parent__isnull=False),
                name="cohort_cascade_has_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status not in {self.Status.COMPLETED, self.Status.CANCELLED}

    @property
    def zone_abbreviation(self) -> str:
        """WIB, WITA or WIT: how Indonesians write the zone after a time."""
        return self.TimeZone(self.time_zone).name if self.time_zone else ""


class CohortStatusChange(models.Model):
    """Who moved a cohort from one status to another, and when."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=10, choices=Cohort.Status.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=Cohort.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("cohort status change")
        verbose_name_plural = _("cohort status changes")

    def __str__(self) -> str:
        return f"{self.cohort}: {self.from_status} → {self.to_status}"


class SessionQuerySet(models.QuerySet):
    def active(self) -> "SessionQuerySet":
        """Sessions that still take up people and rooms: not cancelled, in a live cohort."""
        return self.exclude(status=Session.Status.CANCELLED).exclude(
            cohort__status=Cohort.Status.CANCELLED
        )

    def overlapping(self, starts_at, ends_at) -> "SessionQuerySet":
        # Half-open intervals: a session ending at 10:00 does not clash with one starting then.
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)


class Session(models.Model):
    """A dated slot of a cohort. Times are stored in UTC and shown in the cohort's zone."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="sessions"
    )
    title = models.CharField(_("title"), max_length=200)
    modules = models.ManyToManyField(
        "curriculum.Module", verbose_name=_("modules"), related_name="sessions", blank=True
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.CharField(_("room"), max_length=100, blank=True)
    trainers = models.ManyToManyField(
        "members.Member", verbose_name=_("trainers"), related_name="trained_sessions", blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    # Calendar apps match events on the UID and take the highest SEQUENCE as current.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="session_time_idx")]

    def __str__(self) -> str:
        return self.title


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeedToken(models.Model):
    """The secret in a person's calendar feed address; resetting it cuts off old copies."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed_token",
    )
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(_("created at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self) -> str:
        return f"{self.user}"
