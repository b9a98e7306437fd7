"""The seed's story as demo data: KSPI and KSBSI run a TOT in Kota Lubuklinggau.

Loading is idempotent: rows are matched on natural keys and brought back to the
demo state, so running it again never duplicates anything.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from cohorts.models import Cohort
from curriculum.demo import demo_curriculum_load
from members.demo import demo_members_load, demo_unions_load
from members.models import Member, OrganizationRole, Region

DEMO_PASSWORD = "demo-tot-2026"  # noqa: S105 - printed on purpose; demo data refuses production


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str


def _account(email: str, *, is_superuser: bool = False) -> AbstractBaseUser:
    user, _ = get_user_model().objects.update_or_create(
        username=email,
        defaults={
            "email": email,
            "is_staff": is_superuser,
            "is_superuser": is_superuser,
            "is_active": True,
        },
    )
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def demo_data_load(*, today: date | None = None) -> list[DemoAccount]:
    today = today or timezone.localdate()
    unions = demo_unions_load()
    demo_members_load(unions=unions)
    kspi, ksbsi = unions.kspi, unions.ksbsi
    lubuklinggau = Region.objects.get(code="16.73")

    organizer = _account("penyelenggara@example.org")
    OrganizationRole.objects.get_or_create(
        user=organizer, organization=kspi, role=OrganizationRole.Role.ORGANIZER
    )
    curriculum = demo_curriculum_load(owner=kspi, author=organizer)

    starts_on = today + timedelta(days=21)
    cohort, _ = Cohort.objects.update_or_create(
        slug="tot-dialog-sosial-lubuklinggau",
        defaults={
            "title": "TOT KSPI & KSBSI Dialog Sosial di Lubuklinggau",
            "kind": Cohort.Kind.TOT,
            "curriculum": curriculum,
            "region": lubuklinggau,
            "venue_name": "Gedung Pertemuan Kota Lubuklinggau",
            "venue_address": "Kota Lubuklinggau, Sumatera Selatan",
            "time_zone": Cohort.TimeZone.WIB,
            "starts_on": starts_on,
            "ends_on": starts_on + timedelta(days=2),
            "capacity": 30,
            "status": Cohort.Status.OPEN,
            "summary": (
                "Memperkuat posisi serikat buruh dalam dialog sosial. Peserta pulang "
                "untuk melatih anggota serikat di daerah masing-masing."
            ),
        },
    )
    cohort.organizers.set([kspi, ksbsi])

    trainer = _account("pelatih@example.org")
    OrganizationRole.objects.get_or_create(
        user=trainer, organization=unions.kspi_south_sumatra, role=OrganizationRole.Role.TRAINER
    )
    participant = _account("peserta@example.org")
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
    return [
        DemoAccount("organizer", organizer.email, DEMO_PASSWORD),
        DemoAccount("trainer", trainer.email, DEMO_PASSWORD),
        DemoAccount("participant", participant.email, DEMO_PASSWORD),
        DemoAccount("admin", _account("admin@example.org", is_superuser=True).email, DEMO_PASSWORD),
    ]
