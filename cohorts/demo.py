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
from curriculum.models import Curriculum
from members.models import Member, Organization, OrganizationRole, Region

DEMO_PASSWORD = "demo-tot-2026"  # noqa: S105 - printed on purpose; demo data refuses production


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str


def _region(code: str, name: str, parent: Region | None = None) -> Region:
    level = Region.Level.REGENCY if parent else Region.Level.PROVINCE
    region, _ = Region.objects.update_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent}
    )
    return region


def _organization(
    short_name: str,
    name: str,
    kind: str,
    region: Region | None,
    parent: Organization | None = None,
) -> Organization:
    organization, _ = Organization.objects.update_or_create(
        short_name=short_name,
        parent=parent,
        defaults={"name": name, "kind": kind, "region": region},
    )
    return organization


def _account(email: str, *, is_staff: bool = False) -> AbstractBaseUser:
    user, _ = get_user_model().objects.update_or_create(
        username=email, defaults={"email": email, "is_staff": is_staff, "is_active": True}
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
    south_sumatra = _region("16", "Sumatera Selatan")
    lubuklinggau = _region("16.73", "Kota Lubuklinggau", parent=south_sumatra)

    kind = Organization.Kind
    kspi = _organization("KSPI", "Konfederasi Serikat Pekerja Indonesia", kind.CONFEDERATION, None)
    ksbsi = _organization(
        "KSBSI", "Konfederasi Serikat Buruh Seluruh Indonesia", kind.CONFEDERATION, None
    )
    kspi_south_sumatra = _organization(
        "DPW KSPI Sumsel",
        "Dewan Pimpinan Wilayah KSPI Sumatera Selatan",
        kind.REGIONAL_COUNCIL,
        south_sumatra,
        parent=kspi,
    )
    ksbsi_lubuklinggau = _organization(
        "DPC KSBSI Lubuklinggau",
        "Dewan Pimpinan Cabang KSBSI Kota Lubuklinggau",
        kind.REGIONAL_COUNCIL,
        lubuklinggau,
        parent=ksbsi,
    )

    curriculum, _ = Curriculum.objects.update_or_create(
        slug="tot-dialog-sosial-pengorganisasian",
        version=1,
        defaults={
            "title": "TOT Dialog Sosial dan Pengorganisasian",
            "summary": (
                "Dialog sosial dalam hubungan industrial, strategi pengorganisasian, "
                "rekrutmen anggota, negosiasi, serta menjadi pelatih bagi anggota lain."
            ),
            "owner": kspi,
            "status": Curriculum.Status.PUBLISHED,
        },
    )

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

    organizer = _account("penyelenggara@example.org", is_staff=True)
    OrganizationRole.objects.get_or_create(
        user=organizer, organization=kspi, role=OrganizationRole.Role.ORGANIZER
    )
    trainer = _account("pelatih@example.org")
    OrganizationRole.objects.get_or_create(
        user=trainer, organization=kspi_south_sumatra, role=OrganizationRole.Role.TRAINER
    )
    participant = _account("peserta@example.org")
    Member.objects.update_or_create(
        user=participant,
        defaults={
            "full_name": "Siti Rahmawati",
            "email": participant.email,
            "phone": "+6281234567890",
            "organization": ksbsi_lubuklinggau,
            "region": lubuklinggau,
        },
    )
    return [
        DemoAccount("organizer", organizer.email, DEMO_PASSWORD),
        DemoAccount("trainer", trainer.email, DEMO_PASSWORD),
        DemoAccount("participant", participant.email, DEMO_PASSWORD),
    ]
