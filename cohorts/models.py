import secrets
import uuid
from collections.abc import Iterable
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
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


class CompletionReason(models.TextChoices):
    MET_RULE = "met_rule", _("Met the completion rule")
    LOW_ATTENDANCE = "attendance", _("Attendance below the minimum")
    POST_TEST = "post_test", _("Post-test not passed")
    OVERRIDDEN = "overridden", _("Decided by an organizer")


class Enrollment(models.Model):
    """A member's place in a cohort. Seats are given only by
    ``cohorts.services.enrollments``, under a lock on the cohort row."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")
        REJECTED = "rejected", _("Rejected")
        COMPLETED = "completed", _("Completed")
        INCOMPLETE = "incomplete", _("Did not complete")

    ACTIVE_STATUSES = (Status.PENDING, Status.CONFIRMED, Status.WAITLISTED, Status.COMPLETED)

    class Source(models.TextChoices):
        SELF = "self", _("Registered online")
        ORGANIZER = "organizer", _("Added by an organizer")

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.PROTECT, related_name="enrollments"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="enrollments",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.SELF
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    # First come, first served: the waiting list is ordered by when each joined it.
    waitlisted_at = models.DateTimeField(_("joined the waiting list at"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), auto_now_add=True)
    ticket_code = models.CharField(max_length=32, unique=True, default=new_calendar_token)
    # Set by cohorts.services.completion when the cohort ends; kept so the decision can be
    # explained later even if attendance is corrected afterwards.
    attendance_percent = models.DecimalField(
        _("attendance (%)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    completion_reason = models.CharField(
        _("completion reason"), max_length=12, choices=CompletionReason.choices, blank=True
    )
    completion_decided_at = models.DateTimeField(_("completion decided at"), null=True, blank=True)
    completion_overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completion overridden by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    completion_override_note = models.TextField(_("override note"), blank=True)

    class Meta:
        ordering = ["registered_at", "id"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "member"],
                condition=Q(status__in=["pending", "confirmed", "waitlisted", "completed"]),
                name="enrollment_one_active_per_member",
                violation_error_message=_("This member is already registered for the cohort."),
            ),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(waitlisted_at__isnull=False),
                name="enrollment_waitlist_has_a_place",
            ),
        ]
        indexes = [
            models.Index(fields=["cohort", "status", "waitlisted_at"], name="enrollment_queue_idx")
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.cohort}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class EnrollmentChange(models.Model):
    """Each status an enrollment passed through: who moved it, when, and any message."""

    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("enrollment"), on_delete=models.CASCADE, related_name="changes"
    )
    from_status = models.CharField(_("from"), max_length=10, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=Enrollment.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("enrollment change")
        verbose_name_plural = _("enrollment changes")

    def __str__(self) -> str:
        return f"{self.enrollment}: {self.from_status} → {self.to_status}"


class Attendance(models.Model):
    """Whether a participant was at a session, and how that was recorded."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    class Method(models.TextChoices):
        ROLL_CALL = "roll_call", _("Roll call")
        QR_SELF = "qr_self", _("QR self check-in")
        TICKET_SCAN = "ticket_scan", _("Ticket scan")
        PAPER = "paper", _("Paper sheet")

    enrollment = models.ForeignKey(
        Enrollment,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    method = models.CharField(_("how recorded"), max_length=12, choices=Method.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        ordering = ["session", "enrollment"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "session"], name="attendance_once_per_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment} · {self.session}: {self.status}"


def report_photo_upload_to(photo: "SessionReportPhoto", filename: str) -> str:
    """A generated name; the uploader's file name never becomes a path."""
    return f"session-reports/{uuid.uuid4().hex}.jpg"


def attendance_sheet_upload_to(sheet: "AttendanceSheet", filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    return f"attendance-sheets/{uuid.uuid4().hex}{suffix}"


class AttendanceSheet(models.Model):
    """A photo or scan of a signed paper sign-in sheet: the evidence behind paper marks."""

    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="attendance_sheets",
    )
    file = models.FileField(_("file"), upload_to=attendance_sheet_upload_to, max_length=200)
    note = models.CharField(_("note"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("signed sign-in sheet")
        verbose_name_plural = _("signed sign-in sheets")

    def __str__(self) -> str:
        return f"{self.session} · {self.uploaded_at:%Y-%m-%d}"


class SessionReport(models.Model):
    """The trainers' log of one session. Submitting it marks the session held."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    session = models.OneToOneField(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="report"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    modules_covered = models.ManyToManyField(
        "curriculum.Module", verbose_name=_("modules covered"), related_name="+", blank=True
    )
    went_well = models.TextField(_("what went well"), blank=True)
    challenges = models.TextField(_("challenges"), blank=True)
    participant_questions = models.TextField(_("participants' questions"), blank=True)
    follow_up_actions = models.TextField(_("follow-up actions"), blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reopened by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopen_note = models.TextField(_("why it was reopened"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("session report")
        verbose_name_plural = _("session reports")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False),
                name="session_report_submitted_has_a_time",
            ),
        ]

    def __str__(self) -> str:
        return str(self.session)


class SessionReportPhoto(models.Model):
    """A photo from a session, stored as a resized JPEG whatever was uploaded."""

    report = models.ForeignKey(
        SessionReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(
        _("photo"),
        upload_to=report_photo_upload_to,
        max_length=200,
        width_field="width",
        height_field="height",
    )
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("session photo")
        verbose_name_plural = _("session photos")

    def __str__(self) -> str:
        return self.caption or f"{self.report} · {self.pk}"


class AssessmentAttempt(models.Model):
    """One sitting of the cohort curriculum's test: the pre-test once, the post-test
    up to the cohort's number of attempts. Scores are kept per attempt."""

    class Kind(models.TextChoices):
        PRE = "pre", _("Pre-test")
        POST = "post", _("Post-test")

    enrollment = models.ForeignKey(
        Enrollment,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="assessment_attempts",
    )
    kind = models.CharField(_("test"), max_length=4, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(_("attempt"), default=1)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    correct_count = models.PositiveSmallIntegerField(_("correct answers"), default=0)
    question_count = models.PositiveSmallIntegerField(_("questions"), default=0)
    score_percent = models.DecimalField(_("score (%)"), max_digits=4, decimal_places=1)
    passed = models.BooleanField(_("passed"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        ordering = ["enrollment", "kind", "number"]
        verbose_name = _("test attempt")
        verbose_name_plural = _("test attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "kind", "number"], name="attempt_number_once"
            ),
            models.CheckConstraint(
                condition=~Q(kind="pre") | Q(number=1), name="attempt_one_pre_test"
            ),
            models.CheckConstraint(
                condition=Q(score_percent__gte=0, score_percent__lte=100),
                name="attempt_score_is_a_percentage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment} · {self.get_kind_display()} {self.number}"


def new_verification_code() -> str:
    """Ten characters without look-alikes (no 0/O, 1/I/L), easy to read out or type."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(10))


class Certificate(models.Model):
    """Proof that a participant completed a cohort. The holder's name, the cohort's
    title, dates and hours are copied at issue so a later edit never changes a
    certificate already printed; revoking keeps the row so the verify page can say so."""

    enrollment = models.OneToOneField(
        Enrollment,
        verbose_name=_("registration"),
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    serial = models.CharField(_("serial number"), max_length=32, unique=True)
    verification_code = models.CharField(
        _("verification code"), max_length=16, unique=True, default=new_verification_code
    )
    holder_name = models.CharField(_("name"), max_length=200)
    cohort_title = models.CharField(_("training"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    organizations = models.CharField(_("organized by"), max_length=500)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoke_reason = models.TextField(_("why it was revoked"), blank=True)

    class Meta:
        ordering = ["issued_at", "id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return f"{self.serial} · {self.holder_name}"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class Notification(models.Model):
    """One message to one person: the outbox row is the truth about what is sent.

    Rows are created inside the transaction that causes them; the dedupe key makes a
    second scheduling of the same message a no-op. The dispatcher claims due rows, a
    send task delivers each and records the result; see cohorts.services.notifications."""

    class Kind(models.TextChoices):
        SESSION_REMINDER = "session_reminder", _("Session reminder")
        REGISTRATION = "registration", _("Registration update")
        COHORT_CHANGED = "cohort_changed", _("Training changed")
        COHORT_CANCELLED = "cohort_cancelled", _("Training cancelled")
        FOLLOW_UP = "follow_up", _("Cascade follow-up")
        ESCALATION = "escalation", _("Follow-up escalation to an organizer")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")
        SKIPPED = "skipped", _("Skipped")

    class Channel(models.TextChoices):
        WHATSAPP = "whatsapp", _("WhatsApp")
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")

    class SkipReason(models.TextChoices):
        STOPPED = "stopped", _("The member stopped reminders and follow-ups.")
        NO_CONSENT = "no_consent", _("The member withdrew consent to the use of their data.")
        UNREACHABLE = "unreachable", _("No number or address on record reaches the member.")
        REFUSED = "refused", _("The provider refused the message for good.")
        OUTDATED = "outdated", _("The registration has changed since: this news is out of date.")
        SESSION_PASSED = "session", _("The session has started, moved or been cancelled.")
        NOT_GRADUATE = "not_graduate", _("No longer a graduate of the TOT.")
        CASCADE_RAN = "cascade_ran", _("The graduate's cascade training has run.")
        PLANNED = "planned", _("The graduate has made a cascade plan.")
        SCHEDULED = "scheduled", _("The graduate has scheduled a cascade training.")

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="notifications",
        help_text=_("Who the message goes to, or for an escalation, who it is about."),
    )
    # Set only when the message goes to an organizer's account rather than to the member.
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organizer recipient"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # What the message says, as a template key and ids; never the text itself nor a phone
    # number, so nothing personal is copied into the outbox beyond the recipient link.
    template = models.CharField(_("message"), max_length=40)
    context = models.JSONField(_("details"), default=dict, blank=True)
    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("cohort"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    enrollment = models.ForeignKey(
        Enrollment,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, blank=True)
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    skip_reason = models.CharField(
        _("why it was skipped"), max_length=12, choices=SkipReason.choices, blank=True
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=200, blank=True)
    dedupe_key = models.CharField(_("dedupe key"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(status="scheduled"),
                name="notification_due_idx",
            ),
            models.Index(
                fields=["claimed_at"],
                condition=Q(status="sending"),
                name="notification_sending_idx",
            ),
            models.Index(fields=["cohort", "status"], name="notification_cohort_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="notification_sent_has_a_time",
            ),
        ]

    def __str__(self) -> str:
        return self.dedupe_key


class CascadePlan(models.Model):
    """A graduate's commitment to run cascade trainings after a TOT. Marking it done (or
    holding a cascade session) ends the follow-up cadence for that graduate."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("graduate"),
        on_delete=models.CASCADE,
        related_name="cascade_plans",
    )
    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("TOT"),
        on_delete=models.CASCADE,
        related_name="cascade_plans",
    )
    note = models.TextField(_("plan"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("cascade plan")
        verbose_name_plural = _("cascade plans")

    def __str__(self) -> str:
        return f"{self.member} · {self.cohort}"
