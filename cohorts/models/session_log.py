"""What happened at the sessions: attendance, sheets, reports, tests, certificates."""

import secrets
import uuid
from pathlib import PurePath

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cohorts.models.cohorts import Session
from cohorts.models.enrollments import Enrollment
from cohorts.models.fields import account_that_acted


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
    recorded_by = account_that_acted(_("recorded by"))
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
    uploaded_by = account_that_acted(_("uploaded by"))
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
    written_by = account_that_acted(_("written by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reopened_by = account_that_acted(_("reopened by"))
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
    uploaded_by = account_that_acted(_("uploaded by"))
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
    issued_by = account_that_acted(_("issued by"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = account_that_acted(_("revoked by"))
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
