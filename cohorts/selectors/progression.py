"""Trainer progression: participant › co-facilitator › trainer.

- participant: has a completed registration (any training);
- co-facilitator: is a trainer of a *held* session of a training (not cancelled) that
  they do not lead;
- trainer: is a lead trainer of a training that is running or completed (a draft or open
  one does not count yet; a cancelled one never does). Usually a cascade; a TOT's own
  lead trainers are trainers too.

A member's stage is the highest they reached, whether or not they passed the lower ones
(an organizer may make someone lead trainer who never registered as a participant).
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort, Enrollment, Session
from cohorts.selectors import CohortStatusShown
from members.models import Member


class Stage(models.IntegerChoices):
    """Ordered: a higher stage is further along the path."""

    NONE = 0, _("Not started")
    PARTICIPANT = 1, _("Participant")
    CO_FACILITATOR = 2, _("Co-facilitator")
    TRAINER = 3, _("Trainer")


LEADS_STATUSES = (Cohort.Status.RUNNING, Cohort.Status.COMPLETED)


def _completed_q(member_ref: object) -> Q:
    return Q(member=member_ref, status=Enrollment.Status.COMPLETED)


def _co_facilitated_sessions(member_ref: object) -> QuerySet[Session]:
    return (
        Session.objects.filter(trainers=member_ref, status=Session.Status.HELD)
        .exclude(cohort__status=Cohort.Status.CANCELLED)
        .exclude(cohort__lead_trainers=member_ref)
    )


def _led_cascades(member_ref: object) -> QuerySet[Cohort]:
    return Cohort.objects.filter(status__in=LEADS_STATUSES, lead_trainers=member_ref)


@dataclass(frozen=True)
class Evidence(CohortStatusShown):
    """A training that shows a step: completed, co-facilitated or led. ``on`` is when:
    the training's last day for a completion, the first held session for
    co-facilitation, the first day for a led cascade."""

    cohort_id: int
    title: str
    slug: str
    status: str
    starts_on: dt.date
    ends_on: dt.date
    on: dt.date
    sessions: int = 0  # held sessions co-facilitated


@dataclass(frozen=True)
class ProgressionStep:
    stage: Stage
    reached: bool
    evidence: list[Evidence]

    @property
    def shows_status(self) -> bool:
        """A led cascade counts while running and once completed: say which."""
        return self.stage == Stage.TRAINER


@dataclass(frozen=True)
class Progression:
    completed: list[Evidence]
    co_facilitated: list[Evidence]
    led: list[Evidence]

    @property
    def stage(self) -> Stage:
        if self.led:
            return Stage.TRAINER
        if self.co_facilitated:
            return Stage.CO_FACILITATOR
        if self.completed:
            return Stage.PARTICIPANT
        return Stage.NONE

    @property
    def steps(self) -> list[ProgressionStep]:
        """The three steps in order, each reached or not, with its evidence."""
        return [
            ProgressionStep(Stage.PARTICIPANT, bool(self.completed), self.completed),
            ProgressionStep(Stage.CO_FACILITATOR, bool(self.co_facilitated), self.co_facilitated),
            ProgressionStep(Stage.TRAINER, bool(self.led), self.led),
        ]


COHORT_FIELDS = ("id", "title", "slug", "status", "starts_on", "ends_on")


def _evidence(cohort: Cohort, on: dt.date) -> Evidence:
    return Evidence(
        cohort.pk, cohort.title, cohort.slug, cohort.status, cohort.starts_on, cohort.ends_on, on
    )


def _co_facilitation_evidence(member: Member) -> list[Evidence]:
    per_cohort = (
        _co_facilitated_sessions(member)
        .values(*(f"cohort__{name}" for name in (*COHORT_FIELDS, "time_zone")))
        .annotate(sessions=Count("pk", distinct=True), first_held=Min("starts_at"))
        .order_by("first_held", "cohort__id")
    )
    return [
        Evidence(
            *(row[f"cohort__{name}"] for name in COHORT_FIELDS),
            on=row["first_held"].astimezone(ZoneInfo(row["cohort__time_zone"])).date(),
            sessions=row["sessions"],
        )
        for row in per_cohort
    ]


def member_progression(*, member: Member) -> Progression:
    """The member's stage and its evidence: three queries whatever their history."""
    completed = (
        Enrollment.objects.filter(_completed_q(member))
        .select_related("cohort")
        .order_by("cohort__ends_on", "cohort_id")
    )
    led = _led_cascades(member).only(*COHORT_FIELDS).order_by("starts_on", "pk")
    return Progression(
        completed=[_evidence(e.cohort, e.cohort.ends_on) for e in completed],
        co_facilitated=_co_facilitation_evidence(member),
        led=[_evidence(cohort, cohort.starts_on) for cohort in led],
    )


@dataclass(frozen=True)
class ProgressionCounts:
    """Members counted at their highest stage (the four add up to ``members``), and how
    many ever co-facilitated or led (a trainer may also have co-facilitated)."""

    members: int
    none: int
    participants: int
    co_facilitators: int
    trainers: int
    ever_co_facilitated: int
    ever_led: int


@dataclass(frozen=True)
class StageCount:
    label: str
    members: int


def with_progression_flags(members: QuerySet[Member]) -> QuerySet[Member]:
    """Each member with ``has_completed``, ``has_co_facilitated`` and ``has_led`` (the
    three steps, as booleans): no extra query, e.g. for a list or an export."""
    member = OuterRef("pk")
    return members.annotate(
        has_completed=Exists(Enrollment.objects.filter(_completed_q(member))),
        has_co_facilitated=Exists(_co_facilitated_sessions(member)),
        has_led=Exists(_led_cascades(member)),
    )


def progression_counts(*, member_ids: QuerySet) -> ProgressionCounts:
    """Counts at each stage for the members whose ids ``member_ids`` yields (a queryset of
    ids, e.g. ``Enrollment.objects.filter(...).values("member_id")``): one query."""
    # Each condition once per member (an inner query), then counted in the outer one.
    flagged = with_progression_flags(Member.objects.filter(pk__in=member_ids))
    completed = Q(has_completed=True)
    co_facilitated = Q(has_co_facilitated=True)
    led = Q(has_led=True)
    figures = flagged.aggregate(
        members=Count("pk"),
        none=Count("pk", filter=~completed & ~co_facilitated & ~led),
        participants=Count("pk", filter=completed & ~co_facilitated & ~led),
        co_facilitators=Count("pk", filter=co_facilitated & ~led),
        trainers=Count("pk", filter=led),
        ever_co_facilitated=Count("pk", filter=co_facilitated),
        ever_led=Count("pk", filter=led),
    )
    return ProgressionCounts(**figures)
