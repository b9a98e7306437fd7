"""Demo union structure and members for the seed's story (KSPI and KSBSI in Sumatera Selatan).

Idempotent: organizations are matched on (parent, short name), members on
(organization, member number); a second load changes nothing.
"""

import random
from dataclasses import dataclass

from members.models import Member, Organization, Region

FIRST_NAMES = [
    "Siti", "Ahmad", "Dewi", "Budi", "Rina", "Agus", "Sri", "Hendra", "Nur", "Yusuf",
    "Ratna", "Dedi", "Fitri", "Joko", "Wulan", "Rudi", "Lestari", "Bambang", "Ayu", "Eko",
    "Indah", "Hasan", "Putri", "Irwan", "Maya", "Slamet", "Yanti", "Fajar", "Nia", "Rizki",
]  # fmt: skip
FAMILY_NAMES = [
    "Rahmawati", "Saputra", "Lestari", "Santoso", "Wijaya", "Hidayat", "Siregar", "Pratama",
    "Kusuma", "Nasution", "Harahap", "Setiawan", "Gunawan", "Susanti", "Purnomo", "Syahputra",
    "Hasibuan", "Anggraini", "Firmansyah", "Maharani",
]  # fmt: skip


@dataclass(frozen=True)
class DemoUnions:
    kspi: Organization
    ksbsi: Organization
    kspi_south_sumatra: Organization
    ksbsi_lubuklinggau: Organization
    workplace_unions: tuple[Organization, ...]


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


def demo_unions_load() -> DemoUnions:
    kind = Organization.Kind
    south_sumatra = Region.objects.get(code="16")
    lubuklinggau = Region.objects.get(code="16.73")
    kspi = _organization("KSPI", "Konfederasi Serikat Pekerja Indonesia", kind.CONFEDERATION, None)
    ksbsi = _organization(
        "KSBSI", "Konfederasi Serikat Buruh Seluruh Indonesia", kind.CONFEDERATION, None
    )
    fspmi = _organization(
        "FSPMI", "Federasi Serikat Pekerja Metal Indonesia", kind.FEDERATION, None, kspi
    )
    hukatan = _organization(
        "F-HUKATAN",
        "Federasi Kehutanan, Industri Umum, Perkayuan, Pertanian dan Perkebunan",
        kind.FEDERATION,
        None,
        ksbsi,
    )
    kspi_south_sumatra = _organization(
        "DPW KSPI Sumsel",
        "Dewan Pimpinan Wilayah KSPI Sumatera Selatan",
        kind.REGIONAL_COUNCIL,
        south_sumatra,
        kspi,
    )
    ksbsi_lubuklinggau = _organization(
        "DPC KSBSI Lubuklinggau",
        "Dewan Pimpinan Cabang KSBSI Kota Lubuklinggau",
        kind.REGIONAL_COUNCIL,
        lubuklinggau,
        ksbsi,
    )
    workplace = kind.WORKPLACE_UNION
    workplace_unions = (
        _organization(
            "PUK Sinar Logam",
            "PUK FSPMI PT Sinar Logam Lubuklinggau",
            workplace,
            lubuklinggau,
            fspmi,
        ),
        _organization(
            "PUK Musi Motor", "PUK FSPMI PT Musi Rawas Motor", workplace, lubuklinggau, fspmi
        ),
        _organization(
            "Basis Sawit Linggau",
            "Basis F-HUKATAN PT Sawit Linggau Lestari",
            workplace,
            lubuklinggau,
            hukatan,
        ),
        _organization(
            "Basis Karet Silampari",
            "Basis F-HUKATAN PT Karet Silampari",
            workplace,
            lubuklinggau,
            hukatan,
        ),
    )
    return DemoUnions(kspi, ksbsi, kspi_south_sumatra, ksbsi_lubuklinggau, workplace_unions)


def demo_members_load(*, unions: DemoUnions, count: int = 200) -> int:
    """Spread ``count`` members over the workplace unions; returns how many were new."""
    chooser = random.Random(2026)  # noqa: S311 - demo names, not secrets
    regencies = list(Region.objects.filter(parent__code="16"))
    sectors = {
        "FSPMI": Member.Sector.METAL_ELECTRONICS,
        "F-HUKATAN": Member.Sector.PLANTATION_AGRICULTURE,
    }
    created = 0
    for index in range(count):
        union = unions.workplace_unions[index % len(unions.workplace_unions)]
        first, family = chooser.choice(FIRST_NAMES), chooser.choice(FAMILY_NAMES)
        _, is_new = Member.objects.update_or_create(
            organization=union,
            member_number=f"{union.pk:03d}-{index + 1:04d}",
            defaults={
                "full_name": f"{first} {family}",
                "phone": f"+62813{7300000 + index:07d}",
                "gender": chooser.choice(Member.Gender.values),
                "birth_year": chooser.randint(1970, 2002),
                "workplace": union.name.split(" PT ")[-1],
                "sector": sectors[union.parent.short_name],
                "position": (
                    Member.Position.WORKPLACE_OFFICER if index % 10 == 0 else Member.Position.MEMBER
                ),
                "region": chooser.choice(regencies),
            },
        )
        created += is_new
    return created
