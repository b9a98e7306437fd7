"""What a graduate commits to after their training: the cascade plan."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cohorts.models.cohorts import Cohort


class CascadePlan(models.Model):
    """A graduate's commitment to run N cascade trainings for a target group by a date.

    One plan per graduate and training they graduated from; the cascade cohorts they start
    from it point back to it (``Cohort.cascade_plan``). Marking it done, or holding a
    cascade session, ends the follow-up cadence for that graduate."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("graduate"),
        on_delete=models.CASCADE,
        related_name="cascade_plans",
    )
    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("trained in"),
        help_text=_("The TOT (or trainers' cascade) the graduate completed."),
        on_delete=models.CASCADE,
        related_name="cascade_plans",
    )
    trainings_planned = models.PositiveSmallIntegerField(_("cascade trainings planned"), default=1)
    target_organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("for the members of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cascade_plans",
    )
    target_region = models.ForeignKey(
        "members.Region",
        verbose_name=_("in the regency or city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cascade_plans",
    )
    expected_participants = models.PositiveIntegerField(
        _("participants expected in all"), default=20
    )
    due_on = models.DateField(_("run them by"), null=True, blank=True)
    note = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, null=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("cascade plan")
        verbose_name_plural = _("cascade plans")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "cohort"], name="cascade_plan_one_per_graduate_and_training"
            ),
            models.CheckConstraint(
                condition=Q(trainings_planned__gte=1), name="cascade_plan_trainings_positive"
            ),
            models.CheckConstraint(
                condition=Q(expected_participants__gte=1),
                name="cascade_plan_participants_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.cohort}"
