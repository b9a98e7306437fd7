"""What the seed TOT's graduates did after it: cascade trainings for the members of their
own workplace unions across Sumatera Selatan.

Of the 25 graduates, 20 made a plan and started cascades: 18 completed one (one of them
after a first try was cancelled by a flood), one is running now and one is open for
registration; the demo graduate (lulusan@example.org) also has a second one in draft.
Two made a plan and started nothing, three made none (two of those helped a colleague as
co-facilitator): the follow-ups have someone to chase. The cascades teach the shorter
cascade curriculum, whose graduates may train others in turn, and four of their graduates
did: the second generation (three completed, one open).

What a graduate does goes through the graduate's own services (plan, start a cascade,
mark the plan done) with their own account; scheduling, publishing, roll calls and
completion through the services any cohort uses, so completion decides who completed and
issues certificates. Each cascade is built to the state it has today, a completed one
through every step at once. Two things are written as history instead: the participants
of trainings held months ago (``demo_enrollments_add_as_history``: through the service each
would get a "you are registered" message today), and the plans' creation dates, set back
to when they were made.

Idempotent: cascades are found by their slugs, plans by graduate and training, members by
(union, member number); what exists is left as it is.
"""

import datetime as dt
import math
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone

from cohorts import zones
from cohorts.demo_assessments import demo_cascade_attempts_load
from cohorts.demo_common import (
    demo_enrollments_add_as_history,
    demo_session_reports_write,
    demo_sessions_hold,
    planned_sessions,
)
from cohorts.demo_seed_tot import SeedTot, demo_accounts_for
from cohorts.models import CascadePlan, Cohort
from cohorts.services.cascade import cascade_cohort_start, cascade_plan_mark_done, cascade_plan_save
from cohorts.services.cohorts import cohort_transition
from cohorts.services.enrollments import enrollment_add
from cohorts.services.sessions import sessions_create_many
from curriculum.models import Curriculum
from members.demo import demo_member_specs, demo_members_bulk_load
from members.models import Member

Status = Cohort.Status


@dataclass(frozen=True)
class CascadeRun:
    """One cascade training. ``lead``: for the first generation, the graduate's place in
    the TOT's PARTICIPANTS; for the second, the place of the lead among the participants
    of ``parent`` (a first-generation run's key)."""

    key: str  # the slug is "berjenjang-<key>"
    lead: int
    starts_in_days: int  # from the demo's today; finished ones move back to a Saturday
    participants: int
    not_completing: int = 0  # the last ones added: they came to the first session only
    status: str = Status.COMPLETED
    co_facilitator: int | None = None  # a TOT graduate of the same union, by place
    parent: str = ""
    same_people_as: str = ""  # rescheduled: the cancelled run's participants come first
    title_suffix: str = ""


FIRST_GENERATION = (
    CascadeRun("sriwijaya-baja", 2, -128, 16, 1, co_facilitator=3),
    CascadeRun("bukit-bara", 6, -124, 14, 1),
    CascadeRun("musi-sawit", 15, -121, 18, 2, co_facilitator=16),
    CascadeRun("sawit-linggau", 0, -110, 12, 1),
    CascadeRun("sinar-logam", 1, -103, 10),
    CascadeRun("sekayu-petrokimia-batal", 12, -97, 10, status=Status.CANCELLED),
    CascadeRun("ampera-galangan", 4, -96, 9),
    CascadeRun("lematang-batubara", 8, -89, 15, 1),
    CascadeRun("prabu-migas", 10, -82, 13, 1),
    CascadeRun("pendopo-energi", 13, -75, 20, 2),
    CascadeRun("musi-sawit-2", 16, -68, 11, 1, title_suffix=" (kelompok 2)"),
    CascadeRun("komering-pulp", 17, -61, 17, 1),
    CascadeRun(
        "sekayu-petrokimia",
        12,
        -60,
        14,
        1,
        same_people_as="sekayu-petrokimia-batal",
        title_suffix=" (jadwal ulang)",
    ),
    CascadeRun("banyuasin-agro", 19, -54, 19, 2),
    CascadeRun("karet-rawas", 21, -47, 8),
    CascadeRun("karet-rawas-2", 22, -40, 12, 1, title_suffix=" (kelompok 2)"),
    CascadeRun("kopi-dempo", 23, -33, 16, 1),
    CascadeRun("swalayan-musi", 24, -26, 15, 1, co_facilitator=25),
    CascadeRun("niaga-enim", 26, -19, 11, 1),
    CascadeRun("prabu-migas-2", 11, -1, 12, status=Status.RUNNING, title_suffix=" (kelompok 2)"),
    CascadeRun("komering-pulp-2", 18, 12, 6, status=Status.OPEN, title_suffix=" (kelompok 2)"),
    CascadeRun("sawit-linggau-2", 0, 30, 0, status=Status.DRAFT, title_suffix=" (kelompok 2)"),
)
SECOND_GENERATION = (
    CascadeRun("sriwijaya-baja-g2", 0, -85, 10, 1, parent="sriwijaya-baja"),
    CascadeRun("bukit-bara-g2", 0, -70, 9, parent="bukit-bara"),
    CascadeRun("musi-sawit-g2", 0, -45, 12, 1, parent="musi-sawit"),
    CascadeRun("musi-sawit-g2b", 1, 19, 5, status=Status.OPEN, parent="musi-sawit"),
)
# Graduates with a plan and no cascade yet: place → (trainings, participants, note).
PLANS_ONLY = {
    7: (1, 15, "Menunggu izin manajemen untuk memakai ruang rapat."),
    20: (2, 30, "Setelah panen raya selesai."),
}
# Gain in correct answers from pre- to post-test, cycling over a cascade's participants:
# a little less in each generation (the TOT's own is about 35 points).
IMPROVEMENTS = {1: (2, 3, 3), 2: (2, 2, 3)}
FIRST_PARTICIPANT_NUMBER = 101  # member numbers below are the TOT's own participants
PLAN_NOTE = "Untuk anggota PUK sendiri, di sekretariat serikat pada hari Sabtu."
RUNNING_AFTERNOONS = (dt.time(13), dt.time(17))


def _saturday(day: dt.date, *, forward: bool) -> dt.date:
    if forward:
        return day + dt.timedelta(days=(5 - day.weekday()) % 7)
    return day - dt.timedelta(days=(day.weekday() - 5) % 7)


def _participant_numbers(runs: tuple[CascadeRun, ...]) -> dict[str, list[int]]:
    """Member numbers of every run's participants: new people for each run, except that a
    rescheduled run takes its cancelled run's people first."""
    numbers: dict[str, list[int]] = {}
    following = FIRST_PARTICIPANT_NUMBER
    for run in runs:
        taken = numbers.get(run.same_people_as, [])[: run.participants]
        new = run.participants - len(taken)
        numbers[run.key] = [*taken, *range(following, following + new)]
        following += new
    return numbers


def _plan(
    *,
    member: Member,
    training: Cohort,
    trainings: int,
    participants: int,
    note: str = PLAN_NOTE,
) -> CascadePlan:
    """The graduate's plan, made a week or two after the training they graduated from."""
    plan = CascadePlan.objects.filter(member=member, cohort=training).first()
    if plan:
        return plan
    # Six months after the training; the service takes only dates still ahead.
    due_on = max(training.ends_on + dt.timedelta(days=180), timezone.localdate())
    plan = cascade_plan_save(
        member=member,
        cohort=training,
        by=member.user,
        trainings_planned=trainings,
        expected_participants=participants,
        due_on=due_on,
        target_organization=member.organization,
        target_region=member.organization.region,
        note=note,
    )
    made = zones.aware(
        training.ends_on + dt.timedelta(days=7 + member.pk % 10), dt.time(19, 30), training
    )
    CascadePlan.objects.filter(pk=plan.pk).update(created_at=made, updated_at=made)
    return plan


def _schedule(run: CascadeRun, today: dt.date) -> tuple[dt.date, dt.date, dict]:
    """First and last day, and how the days go: a finished or coming run takes one
    Saturday; the running one two afternoons, yesterday and today."""
    first_day = today + dt.timedelta(days=run.starts_in_days)
    if run.status == Status.RUNNING:
        start, end = RUNNING_AFTERNOONS
        hours = {"day_start": start, "day_end": end, "breaks": ()}
        return first_day, first_day + dt.timedelta(days=1), hours
    saturday = _saturday(first_day, forward=run.starts_in_days > 0)
    return saturday, saturday, {}


def _draft(
    run: CascadeRun,
    *,
    plan: CascadePlan,
    curriculum: Curriculum,
    co_facilitator: Member | None,
    today: dt.date,
) -> Cohort:
    """The graduate starts the cascade from their plan and plans its sessions."""
    lead, union = plan.member, plan.member.organization
    first_day, last_day, hours = _schedule(run, today)
    trained_in = "pelatihan berjenjang" if run.parent else "TOT KSPI–KSBSI Lubuklinggau"
    cohort = cascade_cohort_start(
        plan=plan,
        by=lead.user,
        title=f"Dialog Sosial di Tempat Kerja – {union.short_name}{run.title_suffix}",
        curriculum=curriculum,
        starts_on=first_day,
        ends_on=last_day,
        region=union.region,
        capacity=25,
        venue_name=f"Sekretariat {union.short_name}",
        venue_address=f"{union.region.name}, Sumatera Selatan",
        summary=f"Dibawakan {lead.full_name}, lulusan {trained_in}, untuk anggota {union.name}.",
    )
    Cohort.objects.filter(pk=cohort.pk).update(slug=f"berjenjang-{run.key}")
    cohort.refresh_from_db()
    trainers = [lead, co_facilitator] if co_facilitator else [lead]
    sessions_create_many(cohort=cohort, sessions=planned_sessions(cohort, trainers, **hours))
    return cohort


def _run(run: CascadeRun, *, cohort: Cohort, by: AbstractBaseUser, people: list[Member]) -> Cohort:
    """The drafted cascade as it stands today: open with its first registrations,
    cancelled, running (with the sessions held so far) or completed."""
    cohort = cohort_transition(cohort=cohort, to_status=Status.OPEN, by=by)
    if run.starts_in_days < 0 and run.status != Status.RUNNING:
        added_at = zones.aware(cohort.starts_on - dt.timedelta(days=7), dt.time(20), cohort)
        enrollments = demo_enrollments_add_as_history(cohort, people, by=by, at=added_at)
    else:
        enrollments = [enrollment_add(cohort=cohort, member=member, by=by) for member in people]
    if run.status == Status.CANCELLED:
        note = "Banjir di lokasi pelatihan; dijadwalkan ulang."
        return cohort_transition(cohort=cohort, to_status=Status.CANCELLED, by=by, note=note)
    if run.status == Status.OPEN:
        return cohort
    cohort = cohort_transition(cohort=cohort, to_status=Status.RUNNING, by=by)
    absent = enrollments[len(enrollments) - run.not_completing :]
    demo_sessions_hold(cohort, by=by, until=timezone.now(), absent=absent, missed=bool)
    if run.status == Status.COMPLETED:
        generation = 2 if run.parent else 1
        demo_cascade_attempts_load(cohort=cohort, improvements=IMPROVEMENTS[generation])
        cohort = cohort_transition(cohort=cohort, to_status=Status.COMPLETED, by=by)
    demo_session_reports_write(cohort, by=by)
    return cohort


@dataclass
class Story:
    """What the story has built so far, by run key."""

    tot: Cohort
    graduates: list[Member]  # the TOT's participants, in PARTICIPANTS order
    curriculum: Curriculum
    today: dt.date
    numbers: dict[str, list[int]]
    cohorts: dict[str, Cohort]
    people: dict[str, list[Member]]

    def run(self, run: CascadeRun, *, lead: Member, plan: CascadePlan) -> None:
        union = lead.organization
        specs = demo_member_specs(union, numbers=self.numbers[run.key])
        self.people[run.key] = people = demo_members_bulk_load(specs)
        cohort = Cohort.objects.filter(slug=f"berjenjang-{run.key}").first()
        if cohort is None:
            co = self.graduates[run.co_facilitator] if run.co_facilitator is not None else None
            cohort = _draft(
                run, plan=plan, curriculum=self.curriculum, co_facilitator=co, today=self.today
            )
            if run.status != Status.DRAFT:
                cohort = _run(run, cohort=cohort, by=lead.user, people=people)
        self.cohorts[run.key] = cohort


def _planned_by(lead: int, runs: tuple[CascadeRun, ...]) -> tuple[int, int]:
    """Trainings and participants the lead planned: what they ran, cancelled ones aside,
    participants rounded up to five."""
    theirs = [run for run in runs if run.lead == lead and run.status != Status.CANCELLED]
    participants = sum(run.participants for run in theirs) or 15
    return len(theirs), 5 * math.ceil(participants / 5)


def _first_generation(story: Story) -> None:
    for run in FIRST_GENERATION:
        lead = story.graduates[run.lead]
        trainings, participants = _planned_by(run.lead, FIRST_GENERATION)
        plan = _plan(
            member=lead, training=story.tot, trainings=trainings, participants=participants
        )
        story.run(run, lead=lead, plan=plan)
    for place, (trainings, participants, note) in PLANS_ONLY.items():
        _plan(
            member=story.graduates[place],
            training=story.tot,
            trainings=trainings,
            participants=participants,
            note=note,
        )


def _second_generation(story: Story) -> None:
    for run in SECOND_GENERATION:
        lead = story.people[run.parent][run.lead]
        demo_accounts_for([lead], [f"lulusan.{run.key}@example.org"])
        plan = _plan(
            member=lead,
            training=story.cohorts[run.parent],
            trainings=1,
            participants=5 * math.ceil(run.participants / 5),
        )
        story.run(run, lead=lead, plan=plan)


def _plans_carried_out(story: Story) -> None:
    """Graduates who completed every cascade they planned say so."""
    completed = [c for c in story.cohorts.values() if c.status == Status.COMPLETED]
    plans = CascadePlan.objects.filter(cohorts__in=completed, done_at__isnull=True).select_related(
        "member__user", "cohort"
    )
    for plan in plans.distinct():
        finished = sum(1 for c in completed if c.cascade_plan_id == plan.pk)
        if finished >= plan.trainings_planned:
            cascade_plan_mark_done(plan=plan, by=plan.member.user, done=True)


def demo_cascades_load(*, seed: SeedTot, curriculum: Curriculum, today: dt.date) -> Story:
    """Plans and cascades of the seed TOT's graduates, and of their graduates."""
    story = Story(
        tot=seed.cohort,
        graduates=seed.participants,
        curriculum=curriculum,
        today=today,
        numbers=_participant_numbers(FIRST_GENERATION + SECOND_GENERATION),
        cohorts={},
        people={},
    )
    _first_generation(story)
    _second_generation(story)
    _plans_carried_out(story)
    return story
