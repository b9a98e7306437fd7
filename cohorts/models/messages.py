"""The message outbox."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cohorts.models.cohorts import Cohort, Session
from cohorts.models.enrollments import Enrollment


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
