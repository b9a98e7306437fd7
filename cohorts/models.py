from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from members.models import Organization


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
    region = models.ForeignKey("members.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.TextField(_("venue address"), blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=20, choices=TimeZone.choices, default=TimeZone.WIB
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    capacity = models.PositiveIntegerField(_("capacity"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    summary = models.TextField(_("summary"), blank=True)

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
                condition=Q(kind="tot", parent__isnull=True)
                | Q(kind="cascade", parent__isnull=False),
                name="cohort_cascade_has_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.title
