"""Demo union structure and members for the seed's story (KSPI and KSBSI in Sumatera Selatan).

Idempotent: organizations are matched on (parent, short name), members on
(organization, member number); a second load changes nothing.
"""

import random
from collections.abc import Sequence
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


# First names above that are women's names (the generated members of the Lubuklinggau
# unions predate this list and keep their random gender).
WOMEN_FIRST_NAMES = frozenset(
    {"Siti", "Dewi", "Rina", "Sri", "Ratna", "Fitri", "Wulan", "Lestari", "Ayu", "Indah",
     "Putri", "Maya", "Yanti", "Nia"}
)  # fmt: skip

# Workplace unions across Sumatera Selatan whose officers went to the seed's TOT:
# (short name, name, federation, Kemendagri code of the regency or city). The companies
# are made up.
SOUTH_SUMATRA_UNIONS = (
    ("PUK Sriwijaya Baja", "PUK FSPMI PT Sriwijaya Baja Konstruksi", "FSPMI", "16.71"),
    ("PUK Ampera Galangan", "PUK FSPMI PT Ampera Galangan Kapal", "FSPMI", "16.71"),
    ("PUK Bukit Bara", "PUK FSP KEP PT Bukit Bara Energi", "FSP KEP", "16.03"),
    ("PUK Lematang Batubara", "PUK FSP KEP PT Lematang Batubara", "FSP KEP", "16.04"),
    ("PUK Prabu Migas", "PUK FSP KEP PT Prabu Migas Servis", "FSP KEP", "16.74"),
    ("PUK Sekayu Petrokimia", "PUK FSP KEP PT Sekayu Petrokimia", "FSP KEP", "16.06"),
    ("PUK Pendopo Energi", "PUK FSP KEP PT Pendopo Energi Lestari", "FSP KEP", "16.12"),
    ("Basis Musi Sawit", "Basis F-HUKATAN PT Musi Sawit Makmur", "F-HUKATAN", "16.06"),
    ("Basis Komering Pulp", "Basis F-HUKATAN PT Komering Pulp dan Kertas", "F-HUKATAN", "16.02"),
    ("Basis Banyuasin Agro", "Basis F-HUKATAN PT Banyuasin Agro Lestari", "F-HUKATAN", "16.07"),
    ("Basis Karet Rawas", "Basis F-HUKATAN PT Karet Rawas Jaya", "F-HUKATAN", "16.05"),
    ("Basis Kopi Dempo", "Basis F-HUKATAN PT Kopi Dempo Nusantara", "F-HUKATAN", "16.72"),
    ("Basis Swalayan Musi", "Basis FSB NIKEUBA PT Swalayan Musi Jaya", "FSB NIKEUBA", "16.71"),
    ("Basis Niaga Enim", "Basis FSB NIKEUBA PT Niaga Enim Sentosa", "FSB NIKEUBA", "16.03"),
)
SECTORS = {
    "FSPMI": Member.Sector.METAL_ELECTRONICS,
    "FSP KEP": Member.Sector.CHEMICAL_ENERGY_MINING,
    "F-HUKATAN": Member.Sector.PLANTATION_AGRICULTURE,
    "FSB NIKEUBA": Member.Sector.TRADE_SERVICES,
}


@dataclass(frozen=True)
class DemoUnions:
    kspi: Organization
    ksbsi: Organization
    kspi_south_sumatra: Organization
    ksbsi_lubuklinggau: Organization
    workplace_unions: tuple[Organization, ...]  # the four in Kota Lubuklinggau
    # Every workplace union of the demo by short name: the four above and those of
    # SOUTH_SUMATRA_UNIONS.
    by_short_name: dict[str, Organization]


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
    federations = {
        "FSPMI": fspmi,
        "F-HUKATAN": hukatan,
        "FSP KEP": _organization(
            "FSP KEP",
            "Federasi Serikat Pekerja Kimia, Energi dan Pertambangan",
            kind.FEDERATION,
            None,
            kspi,
        ),
        "FSB NIKEUBA": _organization(
            "FSB NIKEUBA",
            "Federasi Serikat Buruh Niaga, Informatika, Keuangan, Perbankan dan Aneka Industri",
            kind.FEDERATION,
            None,
            ksbsi,
        ),
    }
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
    regions = {region.code: region for region in Region.objects.filter(parent=south_sumatra)}
    south_sumatra_unions = [
        _organization(short_name, name, workplace, regions[code], federations[federation])
        for short_name, name, federation, code in SOUTH_SUMATRA_UNIONS
    ]
    return DemoUnions(
        kspi,
        ksbsi,
        kspi_south_sumatra,
        ksbsi_lubuklinggau,
        workplace_unions,
        by_short_name={o.short_name: o for o in (*workplace_unions, *south_sumatra_unions)},
    )


MEMBER_FIELDS = (
    "full_name",
    "phone",
    "gender",
    "birth_year",
    "workplace",
    "sector",
    "position",
    "region_id",
)


def demo_members_load(*, unions: DemoUnions, count: int = 200) -> int:
    """Spread ``count`` members over the workplace unions; returns how many were new.
    Members already there are brought back to these values (one query for all of them)."""
    chooser = random.Random(2026)  # noqa: S311 - demo names, not secrets
    regencies = list(Region.objects.filter(parent__code="16").values_list("pk", flat=True))
    sectors = {union.pk: SECTORS[union.parent.short_name] for union in unions.workplace_unions}
    wanted = {}
    for index in range(count):
        union = unions.workplace_unions[index % len(unions.workplace_unions)]
        first, family = chooser.choice(FIRST_NAMES), chooser.choice(FAMILY_NAMES)
        wanted[(union.pk, f"{union.pk:03d}-{index + 1:04d}")] = {
            "full_name": f"{first} {family}",
            "phone": f"+62813{7300000 + index:07d}",
            "gender": chooser.choice(Member.Gender.values),
            "birth_year": chooser.randint(1970, 2002),
            "workplace": union.name.split(" PT ")[-1],
            "sector": sectors[union.pk],
            "position": (
                Member.Position.WORKPLACE_OFFICER if index % 10 == 0 else Member.Position.MEMBER
            ),
            "region_id": chooser.choice(regencies),
        }
    existing = Member.objects.filter(
        organization__in=unions.workplace_unions,
        member_number__in=[number for _, number in wanted],
    )
    changed = []
    for member in existing:
        values = wanted.pop((member.organization_id, member.member_number))
        if any(str(getattr(member, name)) != str(values[name]) for name in MEMBER_FIELDS):
            for name, value in values.items():
                setattr(member, name, value)
            changed.append(member)
    Member.objects.bulk_update(changed, MEMBER_FIELDS)
    new = Member.objects.bulk_create(
        Member(organization_id=union_id, member_number=number, **values)
        for (union_id, number), values in wanted.items()
    )
    return len(new)


@dataclass(frozen=True)
class DemoMember:
    """A member of a workplace union; their workplace, sector and region follow it."""

    organization: Organization
    member_number: str
    full_name: str
    phone: str
    gender: str = ""
    birth_year: int | None = None
    position: str = Member.Position.MEMBER


def demo_member_specs(organization: Organization, *, numbers: Sequence[int]) -> list[DemoMember]:
    """Made-up members of ``organization`` numbered ``numbers`` (unique in the demo: the
    member number, phone number and name derive from them)."""
    specs = []
    for number in numbers:
        chooser = random.Random(number)  # noqa: S311 - demo names, not secrets
        first, family = chooser.choice(FIRST_NAMES), chooser.choice(FAMILY_NAMES)
        gender = Member.Gender.FEMALE if first in WOMEN_FIRST_NAMES else Member.Gender.MALE
        specs.append(
            DemoMember(
                organization,
                member_number=f"SS-{number:05d}",
                full_name=f"{first} {family}",
                phone=f"+6281278{number:05d}",
                gender=gender,
                birth_year=chooser.randint(1972, 2003),
            )
        )
    return specs


def demo_members_bulk_load(specs: Sequence[DemoMember]) -> list[Member]:
    """The members of ``specs``, in their order; those missing are made in one insert
    (a second load finds them all and writes nothing)."""
    organizations = {spec.organization.pk: spec.organization for spec in specs}
    sectors = {pk: SECTORS[union.parent.short_name] for pk, union in organizations.items()}
    existing = {
        (member.organization_id, member.member_number): member
        for member in Member.objects.filter(
            organization__in=organizations.values(),
            member_number__in={spec.member_number for spec in specs},
        )
    }
    missing = [
        Member(
            organization=spec.organization,
            member_number=spec.member_number,
            full_name=spec.full_name,
            phone=spec.phone,
            gender=spec.gender,
            birth_year=spec.birth_year,
            position=spec.position,
            workplace=spec.organization.name.split(" PT ")[-1],
            sector=sectors[spec.organization.pk],
            region=spec.organization.region,
        )
        for spec in specs
        if (spec.organization.pk, spec.member_number) not in existing
    ]
    for member in Member.objects.bulk_create(missing):
        existing[(member.organization_id, member.member_number)] = member
    return [existing[(spec.organization.pk, spec.member_number)] for spec in specs]
