"""What graduates write about their cascades: the plan, and the cascade training they
start from it. A graduate needs no organizer for either; the cascade takes its parent's
organizations, so their organizers see it and can help."""

import datetime as dt
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import CascadePlan, Cohort
from cohorts.selectors.cascade_plans import (
    cascade_target_organizations,
    curricula_for_cascade,
    may_cascade_from,
)
from cohorts.services.cohorts import cohort_create_unchecked_organizers
from curriculum.models import Curriculum
from members.models import Member, Organization, Region

MAX_TRAININGS_PLANNED = 20
MAX_EXPECTED_PARTICIPANTS = 2000
DOUBLE_SUBMIT_WINDOW = dt.timedelta(minutes=2)
# What a cascade takes over from the training its lead trainer graduated from.
INHERITED_FIELDS = (
    "min_attendance_percent",
    "post_test_required",
    "late_after_minutes",
    "post_test_max_attempts",
    "reminder_hours",
    "registration_questions",
    "follow_up_days",
)


def _graduate_acting(by: AbstractBaseUser, member: Member, cohort: Cohort) -> None:
    """Only the graduate themself, and only from a training they completed (one that
    lets its graduates train others)."""
    if member.user_id is None or member.user_id != by.pk:
        raise PermissionDenied
    if not may_cascade_from(member=member, cohort=cohort):
        raise PermissionDenied


def _check_plan(plan: CascadePlan, *, due_on_changed: bool) -> None:
    errors: dict[str, str] = {}
    if not 1 <= plan.trainings_planned <= MAX_TRAININGS_PLANNED:
        errors["trainings_planned"] = _("Plan between 1 and %(most)s cascade trainings.") % {
            "most": MAX_TRAININGS_PLANNED
        }
    if not 1 <= plan.expected_participants <= MAX_EXPECTED_PARTICIPANTS:
        errors["expected_participants"] = _(
            "Expect between 1 and %(most)s participants in all."
        ) % {"most": MAX_EXPECTED_PARTICIPANTS}
    if plan.due_on is None:
        errors["due_on"] = _("Give the date by which you will have run them.")
    elif due_on_changed and plan.due_on < timezone.localdate():
        errors["due_on"] = _("Choose a date that is still ahead.")
    elif plan.due_on > timezone.localdate() + dt.timedelta(days=3 * 365):
        errors["due_on"] = _("Choose a date within three years.")
    region = plan.target_region
    if region is not None and region.level != Region.Level.REGENCY:
        errors["target_region"] = _("Choose a regency or city.")
    if not _target_in_reach(plan):
        errors["target_organization"] = _(
            "Choose an organization of the training's organizers, or your own."
        )
    if errors:
        raise ValidationError(errors)


def _target_in_reach(plan: CascadePlan) -> bool:
    """The target organization will co-organize the cascade (its organizers may change
    it), so it must belong to the training's organizers' trees or the graduate's own."""
    target = plan.target_organization
    if target is None:
        return True
    allowed = cascade_target_organizations(member=plan.member, cohort=plan.cohort)
    return allowed.filter(pk=target.pk).exists()


@transaction.atomic
def cascade_plan_save(
    *,
    member: Member,
    cohort: Cohort,
    by: AbstractBaseUser,
    trainings_planned: int,
    expected_participants: int,
    due_on: dt.date | None,
    target_organization: Organization | None = None,
    target_region: Region | None = None,
    note: str = "",
) -> CascadePlan:
    """The graduate's plan for cascades of ``cohort``: made the first time, changed after
    (one plan per graduate and training)."""
    _graduate_acting(by, member, cohort)
    # The member's row, which always exists, serializes two first saves of the plan
    # (locking a plan row that does not exist yet would lock nothing).
    Member.objects.select_for_update().only("pk").get(pk=member.pk)
    plan = CascadePlan.objects.select_for_update().filter(
        member=member, cohort=cohort
    ).first() or CascadePlan(member=member, cohort=cohort)
    due_on_changed = plan.pk is None or plan.due_on != due_on
    plan.trainings_planned = trainings_planned
    plan.expected_participants = expected_participants
    plan.due_on = due_on
    plan.target_organization = target_organization
    plan.target_region = target_region
    plan.note = note.strip()
    _check_plan(plan, due_on_changed=due_on_changed)
    plan.save()
    return plan


@transaction.atomic
def cascade_plan_mark_done(*, plan: CascadePlan, by: AbstractBaseUser, done: bool) -> CascadePlan:
    """The graduate says the plan is carried out (or not yet); a done plan ends the
    follow-up messages."""
    _graduate_acting(by, plan.member, plan.cohort)
    plan = CascadePlan.objects.select_for_update().get(pk=plan.pk)
    plan.done_at = (plan.done_at or timezone.now()) if done else None
    plan.save(update_fields=["done_at", "updated_at"])
    return plan


def _check_curriculum_for(parent: Cohort, curriculum: Curriculum) -> None:
    if curriculum not in curricula_for_cascade(parent=parent):
        raise ValidationError(
            {
                "curriculum": _(
                    "A cascade teaches the curriculum of the training you graduated from, "
                    "or its shorter cascade version."
                )
            }
        )


@transaction.atomic
def cascade_cohort_start(
    *,
    plan: CascadePlan,
    by: AbstractBaseUser,
    title: str,
    curriculum: Curriculum,
    starts_on: dt.date,
    ends_on: dt.date,
    region: Region,
    capacity: int,
    **details: Any,
) -> Cohort:
    """A draft cascade cohort for the plan: its parent is the training the graduate
    completed, they are its lead trainer, and it is organized by the parent's
    organizations (and the plan's target organization). From here it is scheduled,
    published and completed like any cohort. ``details``: venue, online link, summary."""
    plan = (
        CascadePlan.objects.select_for_update().select_related("cohort__curriculum").get(pk=plan.pk)
    )
    parent = plan.cohort
    _graduate_acting(by, plan.member, parent)
    just_started = plan.cohorts.filter(
        title=title,
        curriculum=curriculum,
        starts_on=starts_on,
        ends_on=ends_on,
        created_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW,
    ).first()
    if just_started is not None:
        # The same form sent twice (a double tap, a resend on a slow line): one training.
        return just_started
    _check_curriculum_for(parent, curriculum)
    if starts_on < parent.ends_on:
        raise ValidationError(
            {"starts_on": _("A cascade starts after the training you graduated from ended.")}
        )
    organizers = list(parent.organizers.all())
    if plan.target_organization is not None and plan.target_organization not in organizers:
        organizers.append(plan.target_organization)
    inherited = {name: getattr(parent, name) for name in INHERITED_FIELDS}
    return cohort_create_unchecked_organizers(
        by=by,
        title=title,
        curriculum=curriculum,
        organizers=organizers,
        region=region,
        starts_on=starts_on,
        ends_on=ends_on,
        capacity=capacity,
        kind=Cohort.Kind.CASCADE,
        parent=parent,
        lead_trainers=[plan.member],
        cascade_plan=plan,
        **{**inherited, **details},
    )
