"""The seed's story as demo data: KSPI and KSBSI run a TOT in Kota Lubuklinggau.

Loading is idempotent: rows are matched on natural keys and brought back to the
demo state, so running it again never duplicates anything.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cohorts.demo_assessments import demo_assessment_attempts_load
from cohorts.demo_cascades import demo_cascades_load
from cohorts.demo_common import (
    DEMO_PASSWORD,
    DemoAccount,
    demo_account,
    demo_session_reports_write,
    planned_sessions,
)
from cohorts.demo_seed_tot import demo_seed_tot_load
from cohorts.models import Attendance, Cohort, Session
from cohorts.selectors import registration_window
from cohorts.services.attendance import attendance_mark, attendance_mark_all_present
from cohorts.services.cohorts import cohort_create, cohort_transition
from cohorts.services.enrollments import enrollment_add, enrollment_register
from cohorts.services.sessions import sessions_create_many
from curriculum.demo import demo_cascade_curriculum_load, demo_curriculum_load
from members.demo import demo_members_load, demo_unions_load
from members.models import Member, Organization, OrganizationRole, Region

__all__ = ["DEMO_PASSWORD", "DemoAccount", "demo_data_load"]


@dataclass(frozen=True)
class DemoCohort:
    slug: str
    title: str
    region_code: str
    venue_name: str
    starts_in_days: int
    status: str
    summary: str


SEED_TOT = DemoCohort(
    "tot-dialog-sosial-lubuklinggau",
    "TOT KSPI–KSBSI Lubuklinggau",
    "16.73",
    "Gedung Pertemuan Kota Lubuklinggau",
    21,
    Cohort.Status.OPEN,
    "Memperkuat posisi serikat buruh dalam dialog sosial. Peserta pulang untuk melatih "
    "anggota serikat di daerah masing-masing.",
)
OTHER_COHORTS = (
    DemoCohort(
        "tot-dialog-sosial-makassar",
        "TOT Dialog Sosial Makassar",
        "73.71",
        "Aula Serikat Pekerja Makassar",
        45,
        Cohort.Status.OPEN,
        "TOT yang sama untuk Sulawesi Selatan (WITA).",
    ),
    DemoCohort(
        "tot-dialog-sosial-jayapura",
        "TOT Dialog Sosial Jayapura",
        "91.71",
        "Balai Latihan Kerja Jayapura",
        75,
        Cohort.Status.DRAFT,
        "Masih direncanakan untuk Papua (WIT).",
    ),
    DemoCohort(
        "tot-dialog-sosial-bekasi",
        "TOT Dialog Sosial Bekasi",
        "32.75",
        "Gedung Buruh Bekasi",
        -60,
        Cohort.Status.COMPLETED,
        "Angkatan pertama di kawasan industri Bekasi.",
    ),
)
PATH_TO_STATUS = {
    Cohort.Status.DRAFT: (),
    Cohort.Status.OPEN: (Cohort.Status.OPEN,),
    Cohort.Status.COMPLETED: (Cohort.Status.OPEN, Cohort.Status.RUNNING, Cohort.Status.COMPLETED),
}


def _trainer(email: str, *, name: str, phone: str, organization, region) -> Member:
    member, _ = Member.objects.update_or_create(
        user=demo_account(email),
        defaults={
            "full_name": name,
            "phone": phone,
            "email": email,
            "organization": organization,
            "region": region,
        },
    )
    return member


def _demo_cohort(
    spec: DemoCohort,
    *,
    by,
    curriculum,
    organizers,
    trainers: list[Member],
    today: dt.date,
    before_completing: Callable[[Cohort], None] | None = None,
) -> Cohort:
    """Created through the same services organizers use; on a second run only the text
    is refreshed, so schedules and calendar UIDs stay put."""
    existing = Cohort.objects.filter(slug=spec.slug).first()
    if existing:
        Cohort.objects.filter(pk=existing.pk).update(title=spec.title, summary=spec.summary)
        if existing.is_editable and not existing.sessions.exists():
            # A database from before scheduling existed: give its cohort the schedule.
            existing.lead_trainers.set(trainers)
            sessions_create_many(cohort=existing, sessions=planned_sessions(existing, trainers))
        return existing
    region = Region.objects.get(code=spec.region_code)
    starts_on = today + dt.timedelta(days=spec.starts_in_days)
    cohort = cohort_create(
        by=by,
        title=spec.title,
        curriculum=curriculum,
        organizers=organizers,
        region=region,
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=2),
        capacity=30,
        lead_trainers=trainers,
        venue_name=spec.venue_name,
        venue_address=f"{region.name}, {region.parent.name}",
        summary=spec.summary,
    )
    Cohort.objects.filter(pk=cohort.pk).update(slug=spec.slug)
    cohort.refresh_from_db()
    sessions_create_many(cohort=cohort, sessions=planned_sessions(cohort, trainers))
    for status in PATH_TO_STATUS[spec.status]:
        if status == Cohort.Status.COMPLETED and before_completing:
            before_completing(cohort)
        cohort = cohort_transition(cohort=cohort, to_status=status, by=by)
    return cohort


BEKASI_PARTICIPANTS = 12


def _demo_held_training(cohort: Cohort, *, by) -> None:
    """The finished Bekasi TOT before it is marked completed: participants added by the
    organizer, every session held, a roll call for each (two people missed too much, one
    was excused once) and the pre- and post-tests taken. Completing it then decides who
    completed and issues their certificates, so the public verify page has something to
    show. Members without an e-mail address, so nothing is sent (or printed)."""
    members = Member.objects.filter(
        organization__kind=Organization.Kind.WORKPLACE_UNION,
        organization__parent__parent__in=cohort.organizers.all(),
        user=None,
        email="",
    ).order_by("-pk")[:BEKASI_PARTICIPANTS]
    enrollments = [enrollment_add(cohort=cohort, member=member, by=by) for member in members]
    # Sessions are held once their report is submitted; the demo has no reports yet.
    sessions = list(cohort.sessions.order_by("starts_at"))
    Session.objects.filter(pk__in=[s.pk for s in sessions]).update(status=Session.Status.HELD)
    for session in sessions:
        attendance_mark_all_present(session=session, by=by)
    for session in sessions[::2]:  # the last two missed every other session
        for enrollment in enrollments[-2:]:
            attendance_mark(
                session=session, enrollment=enrollment, status=Attendance.Status.ABSENT, by=by
            )
    attendance_mark(
        session=sessions[0], enrollment=enrollments[0], status=Attendance.Status.EXCUSED, by=by
    )
    demo_assessment_attempts_load(cohort=cohort)  # everyone seated takes the tests


SEED_TOT_REGISTRATIONS = 24


def _demo_registrations(cohort: Cohort) -> None:
    """Most of the seed TOT's seats taken by workplace-union members of both trees,
    through the same service participants use (they have no e-mail: nothing is sent)."""
    cohort.refresh_from_db()
    if not registration_window(cohort=cohort).is_open:
        return
    members = list(
        Member.objects.filter(organization__kind=Organization.Kind.WORKPLACE_UNION, user=None)
        .order_by("pk")
        .select_related("organization")[:SEED_TOT_REGISTRATIONS]
    )
    Member.objects.filter(pk__in=[m.pk for m in members], consent_given_at=None).update(
        consent_given_at=timezone.now(),
        consent_text_version=settings.MEMBER_CONSENT_TEXT_VERSION,
    )
    for member in Member.objects.filter(pk__in=[m.pk for m in members]):
        enrollment_register(
            cohort=cohort,
            member=member,
            answers={
                "motivation": "Agar bisa melatih anggota di PUK saya tentang dialog sosial.",
                "union_position": member.position,
                "workplace": member.workplace,
            },
        )


@transaction.atomic
def demo_data_load(*, today: dt.date | None = None) -> list[DemoAccount]:
    today = today or timezone.localdate()
    unions = demo_unions_load()
    demo_members_load(unions=unions)
    kspi, ksbsi = unions.kspi, unions.ksbsi
    lubuklinggau = Region.objects.get(code="16.73")

    organizer = demo_account("penyelenggara@example.org")
    OrganizationRole.objects.get_or_create(
        user=organizer, organization=kspi, role=OrganizationRole.Role.ORGANIZER
    )
    curriculum = demo_curriculum_load(owner=kspi, author=organizer)

    trainer = _trainer(
        "pelatih@example.org",
        name="Rudi Hartono",
        phone="+6281377001122",
        organization=unions.kspi_south_sumatra,
        region=lubuklinggau,
    )
    OrganizationRole.objects.get_or_create(
        user=trainer.user,
        organization=unions.kspi_south_sumatra,
        role=OrganizationRole.Role.TRAINER,
    )
    co_trainer = _trainer(
        "pelatih.ksbsi@example.org",
        name="Dewi Lestari",
        phone="+6281377003344",
        organization=unions.ksbsi_lubuklinggau,
        region=lubuklinggau,
    )
    OrganizationRole.objects.get_or_create(
        user=co_trainer.user,
        organization=unions.ksbsi_lubuklinggau,
        role=OrganizationRole.Role.TRAINER,
    )
    admin = demo_account("admin@example.org", is_superuser=True)
    trainers = [trainer, co_trainer]
    for spec in (SEED_TOT, *OTHER_COHORTS[:2]):
        cohort = _demo_cohort(
            spec,
            by=organizer,
            curriculum=curriculum,
            organizers=[kspi, ksbsi],
            trainers=trainers,
            today=today,
        )
        if spec is SEED_TOT:
            _demo_registrations(cohort)
    bekasi = _demo_cohort(
        OTHER_COHORTS[2],
        by=admin,
        curriculum=curriculum,
        organizers=[kspi],
        trainers=[trainer],
        today=today,
        before_completing=lambda cohort: _demo_held_training(cohort, by=admin),
    )
    demo_session_reports_write(bekasi, by=trainer.user)
    participant = demo_account("peserta@example.org")
    Member.objects.update_or_create(
        user=participant,
        defaults={
            "full_name": "Siti Rahmawati",
            "email": participant.email,
            "phone": "+6281234567890",
            "organization": unions.ksbsi_lubuklinggau,
            "region": lubuklinggau,
        },
    )
    # The seed's TOT as it happened five months ago, and the cascades it set off.
    seed = demo_seed_tot_load(
        unions=unions, organizer=organizer, trainers=trainers, curriculum=curriculum, today=today
    )
    cascade_curriculum = demo_cascade_curriculum_load(full=curriculum, author=organizer)
    demo_cascades_load(seed=seed, curriculum=cascade_curriculum, today=today)
    return [
        DemoAccount("organizer", organizer.email, DEMO_PASSWORD),
        DemoAccount("trainer", trainer.user.email, DEMO_PASSWORD),
        DemoAccount("co-trainer", co_trainer.user.email, DEMO_PASSWORD),
        DemoAccount("participant", participant.email, DEMO_PASSWORD),
        DemoAccount("graduate", seed.graduate_user.email, DEMO_PASSWORD),
        DemoAccount("admin", admin.email, DEMO_PASSWORD),
    ]
