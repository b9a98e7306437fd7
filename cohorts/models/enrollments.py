"""Registrations: a member's place in a cohort, and its history."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cohorts.models.cohorts import Cohort, new_calendar_token
from cohorts.models.fields import account_that_acted


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
    completion_overridden_by = account_that_acted(_("completion overridden by"))
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
    changed_by = account_that_acted(_("changed by"))
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("enrollment change")
        verbose_name_plural = _("enrollment changes")

    def __str__(self) -> str:
        return f"{self.enrollment}: {self.from_status} → {self.to_status}"
