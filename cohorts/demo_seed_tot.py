"""The seed's TOT as it happened: KSPI and KSBSI trained officers of workplace unions from
across Sumatera Selatan in Kota Lubuklinggau, about five months before the demo's today.
Twenty-seven came; 25 graduated (two missed every other session).

It goes through the services organizers use: created, scheduled, published, participants
added, each session held with a roll call, pre- and post-tests taken, then completed —
which decides who completed, issues the certificates and writes every graduate's
follow-up cadence into the outbox, as for any TOT.

Every graduate gets an account: what graduates do next (plans, cascades) the services let
only the graduate themself do. Only ``lulusan@example.org`` is printed with the other demo
logins; the others are ``lulusan.NN@example.org`` (NN = their place in PARTICIPANTS) with
the same password.

Idempotent: the TOT is found by its slug and left as it is; members are matched on
(union, member number), accounts on their username.
"""

import datetime as dt
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from cohorts import zones
from cohorts.demo_assessments import demo_assessment_attempts_load
from cohorts.demo_common import (
    DEMO_PASSWORD,
    demo_account,
    demo_enrollments_add_as_history,
    demo_session_reports_write,
    demo_sessions_hold,
    planned_sessions,
)
from cohorts.models import Cohort
from cohorts.services.cohorts import cohort_create, cohort_transition
from cohorts.services.sessions import sessions_create_many
from curriculum.models import Curriculum
from members.demo import DemoMember, DemoUnions, demo_members_bulk_load
from members.models import Member, Region

SLUG = "tot-kspi-ksbsi-lubuklinggau-angkatan-1"
TITLE = "TOT KSPI–KSBSI Lubuklinggau, Angkatan 1"
SUMMARY = (
    "Memperkuat posisi serikat buruh dalam dialog sosial: strategi pengorganisasian, "
    "rekrutmen anggota, hubungan internal, negosiasi, data dan argumen, serta prosedur "
    "dialog sosial. Pengurus PUK dan basis dari seluruh Sumatera Selatan pulang untuk "
    "melatih anggota di tempat kerjanya."
)
STARTS_DAYS_AGO = 152  # three days, ending five months before the demo's today
# The organizers gave this TOT a slower cadence than the default (shift work in the mines
# and plantations): the "hold your first session" step and the organizers' alarm still lie
# ahead when the demo is loaded, so those who have run nothing yet have messages coming.
FOLLOW_UP_DAYS = {"plan": 14, "schedule": 60, "first_session": 160, "escalate": 200}
GRADUATE_EMAIL = "lulusan@example.org"
F, M = Member.Gender.FEMALE, Member.Gender.MALE


@dataclass(frozen=True)
class TotParticipant:
    name: str
    gender: str
    union: str  # short name of their workplace union
    completes: bool = True


# In the order they were added; cohorts.demo_cascades refers to them by position.
PARTICIPANTS = (
    TotParticipant("Nurhayati", F, "Basis Sawit Linggau"),  # lulusan@example.org
    TotParticipant("Hendri Saputra", M, "PUK Sinar Logam"),
    TotParticipant("Ahmad Fauzi", M, "PUK Sriwijaya Baja"),
    TotParticipant("Rini Marlina", F, "PUK Sriwijaya Baja"),
    TotParticipant("Muhammad Ridwan", M, "PUK Ampera Galangan"),
    TotParticipant("Heri Susanto", M, "PUK Ampera Galangan", completes=False),
    TotParticipant("Syafrudin", M, "PUK Bukit Bara"),
    TotParticipant("Eka Puspita Sari", F, "PUK Bukit Bara"),
    TotParticipant("Iskandar Zulkarnain", M, "PUK Lematang Batubara"),
    TotParticipant("Wahyu Hidayat", M, "PUK Lematang Batubara", completes=False),
    TotParticipant("Dedi Kurniawan", M, "PUK Prabu Migas"),
    TotParticipant("Yusuf Effendi", M, "PUK Prabu Migas"),
    TotParticipant("Herlina Wati", F, "PUK Sekayu Petrokimia"),
    TotParticipant("Bambang Irawan", M, "PUK Pendopo Energi"),
    TotParticipant("Agus Salim", M, "PUK Pendopo Energi"),
    TotParticipant("Siti Aminah", F, "Basis Musi Sawit"),
    TotParticipant("Junaidi", M, "Basis Musi Sawit"),
    TotParticipant("Maryati", F, "Basis Komering Pulp"),
    TotParticipant("Zainal Abidin", M, "Basis Komering Pulp"),
    TotParticipant("Sri Wahyuni", F, "Basis Banyuasin Agro"),
    TotParticipant("Rudi Hermawan", M, "Basis Banyuasin Agro"),
    TotParticipant("Suparman", M, "Basis Karet Rawas"),
    TotParticipant("Lili Suryani", F, "Basis Karet Rawas"),
    TotParticipant("Firdaus", M, "Basis Kopi Dempo"),
    TotParticipant("Desi Ratnasari", F, "Basis Swalayan Musi"),
    TotParticipant("Andi Wijaya", M, "Basis Swalayan Musi"),
    TotParticipant("Robby Pratama", M, "Basis Niaga Enim"),
)


@dataclass(frozen=True)
class SeedTot:
    cohort: Cohort
    participants: list[Member]  # in PARTICIPANTS order, graduates and the two who did not
    graduate_user: AbstractBaseUser  # lulusan@example.org


def participant_email(index: int) -> str:
    return GRADUATE_EMAIL if index == 0 else f"lulusan.{index:02d}@example.org"


def demo_accounts_for(members: list[Member], emails: list[str]) -> None:
    """An account for each member that has none, able to log in with the demo password
    (one hash for all of them: hashing is slow on purpose), its e-mail verified."""
    password = ""
    users = get_user_model().objects
    for member, email in zip(members, emails, strict=True):
        if member.user_id is not None:
            continue
        password = password or make_password(DEMO_PASSWORD)
        member.user = users.filter(username=email).first() or users.create(
            username=email, email=email, password=password
        )
        EmailAddress.objects.get_or_create(
            user=member.user, email=email, defaults={"verified": True, "primary": True}
        )
        Member.objects.filter(pk=member.pk).update(user=member.user)


def _participant_members(unions: DemoUnions) -> list[Member]:
    specs = []
    for number, participant in enumerate(PARTICIPANTS, start=1):
        specs.append(
            DemoMember(
                unions.by_short_name[participant.union],
                member_number=f"SS-{number:05d}",
                full_name=participant.name,
                phone=f"+6281278{number:05d}",
                gender=participant.gender,
                birth_year=1975 + number % 20,
                position=Member.Position.WORKPLACE_OFFICER,
            )
        )
    return demo_members_bulk_load(specs)


def _held_training(cohort: Cohort, members: list[Member], *, by: AbstractBaseUser) -> None:
    """Participants added by the organizer, every session held with a roll call (two
    missed every other session), the pre- and post-tests taken."""
    added_at = zones.aware(cohort.starts_on - dt.timedelta(days=10), dt.time(10), cohort)
    enrollments = demo_enrollments_add_as_history(cohort, members, by=by, at=added_at)
    absent = [e for e, p in zip(enrollments, PARTICIPANTS, strict=True) if not p.completes]
    cohort = cohort_transition(cohort=cohort, to_status=Cohort.Status.RUNNING, by=by)
    demo_sessions_hold(
        cohort, by=by, until=timezone.now(), absent=absent, missed=lambda i: i % 2 == 0
    )
    demo_assessment_attempts_load(cohort=cohort)


def _seed_tot(
    *,
    unions: DemoUnions,
    organizer: AbstractBaseUser,
    trainers: list[Member],
    curriculum: Curriculum,
    members: list[Member],
    today: dt.date,
) -> Cohort:
    existing = Cohort.objects.filter(slug=SLUG).first()
    if existing:
        return existing
    region = Region.objects.get(code="16.73")
    starts_on = today - dt.timedelta(days=STARTS_DAYS_AGO)
    cohort = cohort_create(
        by=organizer,
        title=TITLE,
        curriculum=curriculum,
        organizers=[unions.kspi, unions.ksbsi],
        region=region,
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=2),
        capacity=30,
        lead_trainers=trainers,
        venue_name="Gedung Pertemuan Kota Lubuklinggau",
        venue_address=f"{region.name}, {region.parent.name}",
        summary=SUMMARY,
        follow_up_days=FOLLOW_UP_DAYS,
    )
    Cohort.objects.filter(pk=cohort.pk).update(slug=SLUG)
    cohort.refresh_from_db()
    sessions_create_many(cohort=cohort, sessions=planned_sessions(cohort, trainers))
    cohort = cohort_transition(cohort=cohort, to_status=Cohort.Status.OPEN, by=organizer)
    _held_training(cohort, members, by=organizer)
    # Completion decides who completed, issues certificates and writes the follow-ups.
    cohort = cohort_transition(cohort=cohort, to_status=Cohort.Status.COMPLETED, by=organizer)
    demo_session_reports_write(cohort, by=trainers[0].user)
    return cohort


def demo_seed_tot_load(
    *,
    unions: DemoUnions,
    organizer: AbstractBaseUser,
    trainers: list[Member],
    curriculum: Curriculum,
    today: dt.date,
) -> SeedTot:
    members = _participant_members(unions)
    graduate_user = demo_account(GRADUATE_EMAIL)
    Member.objects.filter(pk=members[0].pk).update(user=graduate_user)
    members[0].user = graduate_user
    graduates = [m for m, p in zip(members, PARTICIPANTS, strict=True) if p.completes]
    emails = [participant_email(i) for i, p in enumerate(PARTICIPANTS) if p.completes]
    demo_accounts_for(graduates, emails)
    cohort = _seed_tot(
        unions=unions,
        organizer=organizer,
        trainers=trainers,
        curriculum=curriculum,
        members=members,
        today=today,
    )
    return SeedTot(cohort, members, graduate_user)
