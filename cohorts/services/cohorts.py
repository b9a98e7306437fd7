"""Writing cohorts: creation, changes, the status machine and duplication."""

import copy
import datetime as dt
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cohorts import zones
from cohorts.models import (
    CascadePlan,
    Cohort,
    CohortStatusChange,
    Enrollment,
    FollowUpStep,
    Session,
)
from cohorts.permissions import is_cohort_organizer
from cohorts.selectors.cascade_plans import curricula_for_cascade
from cohorts.selectors.clashes import Slot, cohort_clashes, describe_time
from cohorts.services.completion import completion_apply
from cohorts.services.enrollments import (
    enrollments_after_capacity_change,
    enrollments_cancel_for_cohort,
    lock_cohort,
)
from cohorts.services.reminders import reminders_cancel, reminders_for_cohort
from cohorts.services.sessions import sessions_cancel_for_cohort, sessions_create_many
from cohorts.validators import check_plausible_date
from curriculum.models import Curriculum
from members.models import Member, Organization, Region
from members.permissions import organizations_managed_by

Status = Cohort.Status

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.OPEN, Status.CANCELLED}),
    # Back to draft lets an organizer withdraw a published cohort to fix it.
    Status.OPEN: frozenset({Status.DRAFT, Status.RUNNING, Status.CANCELLED}),
    Status.RUNNING: frozenset({Status.COMPLETED, Status.CANCELLED}),
    Status.COMPLETED: frozenset(),
    Status.CANCELLED: frozenset(),
}

# What cohort_update may change; everything else has its own service.
EDITABLE_FIELDS = frozenset(
    {
        "title",
        "curriculum",
        "organizers",
        "lead_trainers",
        "region",
        "venue_name",
        "venue_address",
        "online_url",
        "time_zone",
        "starts_on",
        "ends_on",
        "capacity",
        "registration_opens_at",
        "registration_closes_at",
        "requires_approval",
        "registration_questions",
        "min_attendance_percent",
        "post_test_required",
        "late_after_minutes",
        "pre_test_opens_at",
        "pre_test_closes_at",
        "post_test_opens_at",
        "post_test_closes_at",
        "post_test_max_attempts",
        "summary",
        "reminder_hours",
        "follow_up_days",
    }
)
_RELATION_FIELDS = ("organizers", "lead_trainers")
TEST_WINDOW_FIELDS = (
    "pre_test_opens_at",
    "pre_test_closes_at",
    "post_test_opens_at",
    "post_test_closes_at",
)


# Paths under /cohorts/ that a cohort's slug must not shadow.
RESERVED_SLUGS = frozenset({"new", "manage", "calendar", "reach"})


def _unique_slug(title: str) -> str:
    base = slugify(title)[:70].strip("-") or "kohort"
    slug, number = base, 2
    while slug in RESERVED_SLUGS or Cohort.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _check_curriculum(curriculum: Curriculum, *, current: Curriculum | None = None) -> None:
    if curriculum.status != Curriculum.Status.PUBLISHED and curriculum != current:
        raise ValidationError(
            {"curriculum": _("Choose a published curriculum version; drafts can still change.")}
        )


def _check_organizers(by: AbstractBaseUser, organizers: list[Organization]) -> None:
    if not organizers:
        raise ValidationError({"organizers": _("Choose at least one organizing organization.")})
    managed = organizations_managed_by(by).filter(pk__in=[o.pk for o in organizers])
    if not managed.exists():
        raise ValidationError(
            {"organizers": _("At least one organizing organization must be one you organize for.")}
        )


def _organizers_after_edit(
    cohort: Cohort, by: AbstractBaseUser, chosen: list[Organization]
) -> list[Organization]:
    """An organizer may add partners, but only a partner's own organizers withdraw it."""
    managed = set(organizations_managed_by(by).values_list("pk", flat=True))
    kept = [org for org in cohort.organizers.all() if org.pk not in managed]
    return list({org.pk: org for org in [*chosen, *kept]}.values())


MAX_REMINDERS = 4
MAX_REMINDER_HOURS = 14 * 24


def _check_reminder_hours(cohort: Cohort) -> None:
    hours = cohort.reminder_hours
    if not isinstance(hours, list) or not all(isinstance(h, int) for h in hours):
        raise ValidationError({"reminder_hours": _("Give the reminder times as whole hours.")})
    if len(hours) > MAX_REMINDERS or len(set(hours)) != len(hours):
        message = _("Up to %(count)d different reminder times.") % {"count": MAX_REMINDERS}
        raise ValidationError({"reminder_hours": message})
    if any(not 1 <= h <= MAX_REMINDER_HOURS for h in hours):
        raise ValidationError(
            {
                "reminder_hours": _("A reminder goes out between 1 and %(hours)d hours before.")
                % {"hours": MAX_REMINDER_HOURS}
            }
        )


MAX_FOLLOW_UP_DAYS = 365


def _check_follow_up_days(cohort: Cohort) -> None:
    days = cohort.follow_up_days
    if not isinstance(days, dict) or set(days) - set(FollowUpStep.values):
        raise ValidationError({"follow_up_days": _("Unknown follow-up steps.")})
    values = [days[step] for step in FollowUpStep.values if step in days]
    if not all(isinstance(value, int) and 1 <= value <= MAX_FOLLOW_UP_DAYS for value in values):
        raise ValidationError(
            {
                "follow_up_days": _("Each follow-up comes 1 to %(days)d days after the end.")
                % {"days": MAX_FOLLOW_UP_DAYS}
            }
        )
    if values != sorted(set(values)):
        raise ValidationError(
            {"follow_up_days": _("The follow-up steps must come one after the other.")}
        )


def _check_dates(cohort: Cohort) -> None:
    check_plausible_date(cohort.starts_on, field="starts_on")
    check_plausible_date(cohort.ends_on, field="ends_on")
    if cohort.ends_on < cohort.starts_on:
        raise ValidationError({"ends_on": _("The cohort cannot end before it starts.")})
    opens, closes = cohort.registration_opens_at, cohort.registration_closes_at
    if opens and closes and closes <= opens:
        raise ValidationError(
            {"registration_closes_at": _("Registration must close after it opens.")}
        )
    _check_test_windows(cohort)
    last_moment = zones.aware(cohort.ends_on + dt.timedelta(days=1), dt.time(), cohort)
    if closes and closes > last_moment:
        raise ValidationError(
            {"registration_closes_at": _("Registration must close before the cohort ends.")}
        )


def _check_test_windows(cohort: Cohort) -> None:
    for kind, message in (
        ("pre_test", _("The pre-test must close after it opens.")),
        ("post_test", _("The post-test must close after it opens.")),
    ):
        opens, closes = getattr(cohort, f"{kind}_opens_at"), getattr(cohort, f"{kind}_closes_at")
        if opens and closes and closes <= opens:
            raise ValidationError({f"{kind}_closes_at": message})


@transaction.atomic
def cohort_create(
    *,
    by: AbstractBaseUser,
    title: str,
    curriculum: Curriculum,
    organizers: Iterable[Organization],
    region: Region,
    starts_on: dt.date,
    ends_on: dt.date,
    capacity: int,
    kind: str = Cohort.Kind.TOT,
    parent: Cohort | None = None,
    lead_trainers: Iterable[Member] = (),
    time_zone: str = "",
    **details: Any,
) -> Cohort:
    """A new draft cohort. ``details``: any other field of ``EDITABLE_FIELDS``."""
    organizers = list(organizers)
    _check_organizers(by, organizers)
    return cohort_create_unchecked_organizers(
        by=by,
        title=title,
        curriculum=curriculum,
        organizers=organizers,
        region=region,
        starts_on=starts_on,
        ends_on=ends_on,
        capacity=capacity,
        kind=kind,
        parent=parent,
        lead_trainers=lead_trainers,
        time_zone=time_zone,
        **details,
    )


@transaction.atomic
def cohort_create_unchecked_organizers(
    *,
    by: AbstractBaseUser,
    title: str,
    curriculum: Curriculum,
    organizers: Iterable[Organization],
    region: Region,
    starts_on: dt.date,
    ends_on: dt.date,
    capacity: int,
    kind: str = Cohort.Kind.TOT,
    parent: Cohort | None = None,
    lead_trainers: Iterable[Member] = (),
    time_zone: str = "",
    cascade_plan: CascadePlan | None = None,
    **details: Any,
) -> Cohort:
    """``cohort_create`` for a caller that has decided the organizers itself: a graduate
    starting a cascade has no organizer role, and it takes the parent's organizations."""
    unknown = set(details) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"cohort_create() got unexpected fields: {sorted(unknown)}")
    _check_curriculum(curriculum)
    cohort = Cohort(
        title=title,
        slug=_unique_slug(title),
        kind=kind,
        parent=parent,
        cascade_plan=cascade_plan,
        curriculum=curriculum,
        region=region,
        time_zone=time_zone or zones.time_zone_for_region(region),
        starts_on=starts_on,
        ends_on=ends_on,
        capacity=capacity,
        status=Status.DRAFT,
        created_by=by,
        **details,
    )
    _check_dates(cohort)
    _check_reminder_hours(cohort)
    _check_follow_up_days(cohort)
    cohort.full_clean(exclude=["organizers", "lead_trainers", "slug"])
    cohort.save()
    cohort.organizers.set(organizers)
    cohort.lead_trainers.set(lead_trainers)
    CohortStatusChange.objects.create(
        cohort=cohort, from_status="", to_status=Status.DRAFT, changed_by=by
    )
    return cohort


def _sessions_outside(cohort: Cohort) -> list[str]:
    slots = [
        Slot.of(session)
        for session in cohort.sessions.exclude(status=Session.Status.CANCELLED).prefetch_related(
            "trainers"
        )
    ]
    return [
        _("“%(session)s” (%(when)s) would fall outside the new dates; move it first.")
        % {"session": slot.title, "when": describe_time(slot.starts_at, slot.ends_at, cohort)}
        for slot in slots
        if not (
            cohort.starts_on
            <= zones.local(slot.starts_at, cohort).date()
            <= zones.local(slot.ends_at - dt.timedelta(microseconds=1), cohort).date()
            <= cohort.ends_on
        )
    ]


def _keep_wall_clock_times(cohort: Cohort, old_zone: str) -> None:
    """Changing the zone corrects a mistake: 08:30 stays 08:30, now in the right zone."""
    old = Cohort(time_zone=old_zone)
    for session in cohort.sessions.select_for_update():
        session.starts_at = zones.local(session.starts_at, old).replace(
            tzinfo=zones.zone_of(cohort)
        )
        session.ends_at = zones.local(session.ends_at, old).replace(tzinfo=zones.zone_of(cohort))
        session.sequence += 1
        session.save(update_fields=["starts_at", "ends_at", "sequence", "updated_at"])


def _schedule_problems(cohort: Cohort, *, sessions_moved: bool) -> list[str]:
    """Sessions the change would put outside the dates or, when their UTC times or their
    venue change with the cohort, into a clash with another cohort's trainers or rooms."""
    problems = _sessions_outside(cohort)
    if not problems and sessions_moved:
        problems = [clash.message for clash in cohort_clashes(cohort=cohort)]
    return problems


def _check_graduates_curriculum(
    cohort: Cohort, curriculum: Curriculum, by: AbstractBaseUser
) -> None:
    """A graduate running their cascade teaches what they learned, or its shorter cascade
    version, as when they started it; the cohort's organizers may choose otherwise."""
    if cohort.kind != Cohort.Kind.CASCADE or cohort.parent is None:
        return
    if is_cohort_organizer(by, cohort):
        return
    if curriculum not in curricula_for_cascade(parent=cohort.parent):
        raise ValidationError(
            {
                "curriculum": _(
                    "A cascade teaches the curriculum of the training you graduated from, "
                    "or its shorter cascade version."
                )
            }
        )


def _check_changes(cohort: Cohort, changes: dict[str, Any], by: AbstractBaseUser) -> None:
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"cohort_update() got unexpected fields: {sorted(unknown)}")
    if not cohort.is_editable:
        raise ValidationError(_("A completed or cancelled cohort can no longer be changed."))
    if "curriculum" in changes and changes["curriculum"] != cohort.curriculum:
        if cohort.status != Status.DRAFT:
            raise ValidationError(
                {"curriculum": _("The curriculum can only be changed while the cohort is a draft.")}
            )
        _check_curriculum(changes["curriculum"])
        _check_graduates_curriculum(cohort, changes["curriculum"], by)
    if "organizers" in changes:
        changes["organizers"] = _organizers_after_edit(cohort, by, list(changes["organizers"]))
        _check_organizers(by, changes["organizers"])
    leads = changes.get("lead_trainers")
    if cohort.kind == Cohort.Kind.CASCADE and leads is not None and not list(leads):
        raise ValidationError(
            {"lead_trainers": _("A cascade training needs at least one lead trainer.")}
        )


def _carry_sessions_along(cohort: Cohort, before: Cohort) -> None:
    """What a change of the cohort means for its sessions, or why it is refused."""
    if cohort.time_zone != before.time_zone:
        _keep_wall_clock_times(cohort, before.time_zone)
    moved = (cohort.time_zone, cohort.venue_name) != (before.time_zone, before.venue_name)
    problems = _schedule_problems(cohort, sessions_moved=moved)
    if problems:
        raise ValidationError(problems)
    if cohort.curriculum_id != before.curriculum_id:
        for session in cohort.sessions.all():
            session.modules.clear()
    event_text = ("title", "venue_name", "venue_address")
    if any(getattr(cohort, name) != getattr(before, name) for name in event_text):
        # The events carry these; calendar apps take a change only with a higher SEQUENCE.
        cohort.sessions.update(sequence=F("sequence") + 1, updated_at=timezone.now())


@transaction.atomic
def cohort_update(*, cohort: Cohort, by: AbstractBaseUser, **changes: Any) -> Cohort:
    cohort = lock_cohort(cohort.pk)
    _check_changes(cohort, changes, by)
    before = copy.copy(cohort)
    for name, value in changes.items():
        if name not in _RELATION_FIELDS:
            setattr(cohort, name, value)
    _check_dates(cohort)
    _check_reminder_hours(cohort)
    _check_follow_up_days(cohort)
    cohort.full_clean(exclude=["organizers", "lead_trainers"])
    _carry_sessions_along(cohort, before)
    cohort.save()
    if (cohort.time_zone, cohort.reminder_hours) != (before.time_zone, before.reminder_hours):
        reminders_for_cohort(cohort=cohort)
    for name in _RELATION_FIELDS:
        if name in changes:
            getattr(cohort, name).set(changes[name])
    if cohort.capacity != before.capacity:
        # Under the same lock as registrations: fewer seats than confirmed people is
        # refused, and new seats go to the waiting list at once.
        enrollments_after_capacity_change(cohort=cohort)
    return cohort


def _publish_problems(cohort: Cohort) -> list[str]:
    problems = []
    if cohort.curriculum.status != Curriculum.Status.PUBLISHED:
        problems.append(_("Its curriculum version is no longer published."))
    if not cohort.sessions.exclude(status=Session.Status.CANCELLED).exists():
        problems.append(_("Plan at least one session before publishing."))
    problems.extend(clash.message for clash in cohort_clashes(cohort=cohort))
    return problems


def _withdraw_problems(cohort: Cohort) -> list[str]:
    if cohort.enrollments.filter(status__in=Enrollment.ACTIVE_STATUSES).exists():
        return [
            _(
                "People are registered for this cohort, so it cannot go back to draft. "
                "Close registration or cancel the cohort instead."
            )
        ]
    return []


def _complete_problems(cohort: Cohort) -> list[str]:
    today = timezone.now().astimezone(zones.zone_of(cohort)).date()
    if today < cohort.ends_on:
        return [_("A cohort can be completed on its last day at the earliest.")]
    return []


@transaction.atomic
def cohort_transition(
    *, cohort: Cohort, to_status: str, by: AbstractBaseUser | None, note: str = ""
) -> Cohort:
    """Move a cohort along draft › open › running › completed (or to cancelled).

    Only the moves in ``ALLOWED_TRANSITIONS`` pass; each is recorded with who and when.
    Cancelling also cancels every session that has not been held; completing decides
    who completed and issues their certificates.
    """
    cohort = lock_cohort(cohort.pk)
    from_status = cohort.status
    if to_status not in ALLOWED_TRANSITIONS[from_status]:
        raise ValidationError(
            _("A cohort that is “%(from)s” cannot become “%(to)s”.")
            % {"from": cohort.get_status_display(), "to": Status(to_status).label}
        )
    checks = {
        Status.OPEN: _publish_problems,
        Status.DRAFT: _withdraw_problems,
        Status.COMPLETED: _complete_problems,
    }
    problems = checks[to_status](cohort) if to_status in checks else []
    if problems:
        raise ValidationError(problems)
    if to_status == Status.CANCELLED:
        sessions_cancel_for_cohort(cohort=cohort)
        enrollments_cancel_for_cohort(cohort=cohort, by=by)
    if to_status in (Status.COMPLETED, Status.CANCELLED):
        reminders_cancel(sessions=cohort.sessions.all())
    cohort.status = to_status
    cohort.save(update_fields=["status", "updated_at"])
    CohortStatusChange.objects.create(
        cohort=cohort, from_status=from_status, to_status=to_status, changed_by=by, note=note
    )
    if to_status == Status.COMPLETED:
        # who completed, their certificates and their follow-up cadence
        completion_apply(cohort=cohort, by=by)
    return cohort


def _moved(moment: dt.datetime | None, days: int, source: Cohort, zone: str) -> dt.datetime | None:
    """``days`` later at the same wall-clock time, read in the copy's zone (08:30 stays
    08:30 even when the copy is in another zone)."""
    if moment is None:
        return None
    wall_clock = zones.local(moment, source) + dt.timedelta(days=days)
    return wall_clock.replace(tzinfo=ZoneInfo(zone))


@transaction.atomic
def cohort_duplicate(
    *,
    source: Cohort,
    by: AbstractBaseUser,
    title: str,
    starts_on: dt.date,
    region: Region | None = None,
    venue_name: str | None = None,
    venue_address: str | None = None,
    keep_trainers: bool = False,
) -> Cohort:
    """A new draft with the same curriculum and shape (sessions, times, rules) on new dates."""
    if not organizations_managed_by(by).filter(pk__in=source.organizers.all()).exists():
        raise PermissionDenied
    check_plausible_date(starts_on, field="starts_on")
    days = (starts_on - source.starts_on).days
    region = region or source.region
    zone = source.time_zone if region == source.region else zones.time_zone_for_region(region)
    duplicate = cohort_create(
        by=by,
        title=title,
        curriculum=source.curriculum,
        organizers=source.organizers.all(),
        region=region,
        starts_on=starts_on,
        ends_on=source.ends_on + dt.timedelta(days=days),
        capacity=source.capacity,
        kind=source.kind,
        parent=source.parent,
        lead_trainers=source.lead_trainers.all() if keep_trainers else (),
        time_zone=zone,
        venue_name=source.venue_name if venue_name is None else venue_name,
        venue_address=source.venue_address if venue_address is None else venue_address,
        online_url=source.online_url,
        registration_opens_at=_moved(source.registration_opens_at, days, source, zone),
        registration_closes_at=_moved(source.registration_closes_at, days, source, zone),
        requires_approval=source.requires_approval,
        registration_questions=source.registration_questions,
        min_attendance_percent=source.min_attendance_percent,
        post_test_required=source.post_test_required,
        late_after_minutes=source.late_after_minutes,
        post_test_max_attempts=source.post_test_max_attempts,
        **{name: _moved(getattr(source, name), days, source, zone) for name in TEST_WINDOW_FIELDS},
        summary=source.summary,
    )
    sessions = source.sessions.exclude(status=Session.Status.CANCELLED).prefetch_related(
        "modules", "trainers"
    )
    planned = [
        {
            "title": session.title,
            "starts_at": _moved(session.starts_at, days, source, zone),
            "ends_at": _moved(session.ends_at, days, source, zone),
            "room": session.room,
            "modules": list(session.modules.all()),
            "trainers": list(session.trainers.all()) if keep_trainers else [],
        }
        for session in sessions
    ]
    sessions_create_many(cohort=duplicate, sessions=planned)
    return duplicate
