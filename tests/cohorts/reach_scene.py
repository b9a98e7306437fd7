"""Two TOTs and their cascades, small enough to work every reach figure out by hand.

Organizations: KSPI (confederation) › FSPMI (federation) › PUK Sinar (workplace union);
KSPI › FSP KEP (federation); KSBSI (confederation) › HUKATAN (federation); FSP Mandiri, a
federation outside any confederation. Regions: Sumatera Selatan (16) with Kota Palembang
(PLG, 16.71) and Kota Lubuklinggau (LLG, 16.73); DKI Jakarta (31) with Jakarta Selatan
(JKS, 31.74).

    TOT  ends 10 Jan 2025, LLG     A, B, C completed; D (KSBSI) incomplete; E cancelled
    ├─ X  1–3 Feb 2025, PLG, lead A            P1, P2, P3, B completed; P4 incomplete
    │  └─ W  1–3 Jun 2025, LLG, lead P1        Q1, Q2, A completed
    ├─ Y  1–3 May 2025, JKS, leads B and A     P3 (again), P5 completed
    └─ Z  cancelled, PLG, lead C               P6 completed: not counted
    TOT2 ends 10 Mar 2025, JKS     C (again), R1, R2 completed
    ├─ V  9–10 May 2025, PLG, lead R1          S1, B completed
    └─ U  1–2 Oct 2025, JKS, lead C            T1 completed

Members (organization; own region or "-"):
    A PUK Sinar; PLG     B FSPMI; -          C KSBSI; Sumatera Selatan (a province)
    D KSBSI; -           E KSPI; -           R1 HUKATAN; JKS      R2 HUKATAN; -
    P1 PUK Sinar; -      P2 FSP KEP; LLG     P3 FSP KEP; -        P4 KSPI; -
    P5 FSP Mandiri; -    P6 KSPI; -          S1 HUKATAN; PLG      T1 KSBSI; -
    Q1 PUK Sinar; LLG    Q2 FSPMI; -

Tests (pre → best post, in %): TOT: A 40 → 80 (posts 70 and 80), B 50 → 60, C 60 → none,
D 30 → 50 (incomplete, still a participant), E 10 → 90 (cancelled: left out); TOT2:
R1 50 → 90; X: P1 40 → 60, P2 20 → 50, P3 30 → 50, P4 none → 40; Y: P3 50 → 60;
W: Q1 20 → 30.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from cohorts.models import AssessmentAttempt, Cohort, Enrollment
from members.models import Organization, Region
from tests.cohorts.factories import AssessmentAttemptFactory, CohortFactory, EnrollmentFactory
from tests.members.factories import MemberFactory, OrganizationFactory

COMPLETED, INCOMPLETE, CANCELLED = (
    Enrollment.Status.COMPLETED,
    Enrollment.Status.INCOMPLETE,
    Enrollment.Status.CANCELLED,
)
Kind = Organization.Kind

# member: (organization, own region code or None)
MEMBERS = {
    "A": ("PUK Sinar", "16.71"),
    "B": ("FSPMI", None),
    "C": ("KSBSI", "16"),
    "D": ("KSBSI", None),
    "E": ("KSPI", None),
    "R1": ("HUKATAN", "31.74"),
    "R2": ("HUKATAN", None),
    "P1": ("PUK Sinar", None),
    "P2": ("FSP KEP", "16.73"),
    "P3": ("FSP KEP", None),
    "P4": ("KSPI", None),
    "P5": ("FSP Mandiri", None),
    "P6": ("KSPI", None),
    "S1": ("HUKATAN", "16.71"),
    "T1": ("KSBSI", None),
    "Q1": ("PUK Sinar", "16.73"),
    "Q2": ("FSPMI", None),
}


@dataclass
class ReachScene:
    tot: Cohort
    tot2: Cohort
    cohorts: dict[str, Cohort]
    organizations: dict[str, Organization]


def _organizations() -> dict[str, Organization]:
    kspi = OrganizationFactory(short_name="KSPI", name="KSPI")
    ksbsi = OrganizationFactory(short_name="KSBSI", name="KSBSI")
    fspmi = OrganizationFactory(short_name="FSPMI", name="FSPMI", kind=Kind.FEDERATION, parent=kspi)
    return {
        "KSPI": kspi,
        "KSBSI": ksbsi,
        "FSPMI": fspmi,
        "FSP KEP": OrganizationFactory(
            short_name="FSP KEP", name="FSP KEP", kind=Kind.FEDERATION, parent=kspi
        ),
        "PUK Sinar": OrganizationFactory(
            short_name="PUK Sinar", name="PUK Sinar", kind=Kind.WORKPLACE_UNION, parent=fspmi
        ),
        "HUKATAN": OrganizationFactory(
            short_name="HUKATAN", name="HUKATAN", kind=Kind.FEDERATION, parent=ksbsi
        ),
        "FSP Mandiri": OrganizationFactory(
            short_name="FSP Mandiri", name="FSP Mandiri", kind=Kind.FEDERATION
        ),
    }


def _cohort(title, region, starts_on, ends_on, *, parent=None, leads=(), status=None, **kwargs):
    cohort = CohortFactory(
        title=title,
        kind=Cohort.Kind.CASCADE if parent else Cohort.Kind.TOT,
        parent=parent,
        region=Region.objects.get(code=region),
        starts_on=starts_on,
        ends_on=ends_on,
        status=status or Cohort.Status.COMPLETED,
        **kwargs,
    )
    cohort.lead_trainers.set(leads)
    return cohort


def _seats(cohort, people, names, status=COMPLETED) -> dict[str, Enrollment]:
    return {
        name: EnrollmentFactory(cohort=cohort, member=people[name], status=status) for name in names
    }


def _tests(enrollment: Enrollment, pre: int | None, *posts: int) -> None:
    if pre is not None:
        AssessmentAttemptFactory(enrollment=enrollment, score_percent=Decimal(pre))
    for number, post in enumerate(posts, start=1):
        AssessmentAttemptFactory(
            enrollment=enrollment,
            kind=AssessmentAttempt.Kind.POST,
            number=number,
            score_percent=Decimal(post),
        )


def _first_tot(people, organizers) -> dict[str, Cohort]:
    day = dt.date
    tot = _cohort(
        "TOT Lubuklinggau", "16.73", day(2025, 1, 8), day(2025, 1, 10), organizers=organizers
    )
    seats = _seats(tot, people, "ABC")
    seats |= _seats(tot, people, "D", INCOMPLETE) | _seats(tot, people, "E", CANCELLED)
    for name, scores in {"A": (40, 70, 80), "B": (50, 60), "C": (60,), "D": (30, 50)}.items():
        _tests(seats[name], *scores)
    _tests(seats["E"], 10, 90)
    x = _cohort("X", "16.71", day(2025, 2, 1), day(2025, 2, 3), parent=tot, leads=[people["A"]])
    seats = _seats(x, people, ["P1", "P2", "P3", "B"]) | _seats(x, people, ["P4"], INCOMPLETE)
    for name, scores in {"P1": (40, 60), "P2": (20, 50), "P3": (30, 50), "P4": (None, 40)}.items():
        _tests(seats[name], *scores)
    y = _cohort(
        "Y", "31.74", day(2025, 5, 1), day(2025, 5, 3), parent=tot, leads=[people["B"], people["A"]]
    )
    _tests(_seats(y, people, ["P3", "P5"])["P3"], 50, 60)
    z = _cohort(
        "Z",
        "16.71",
        day(2025, 3, 1),
        day(2025, 3, 3),
        parent=tot,
        leads=[people["C"]],
        status=Cohort.Status.CANCELLED,
    )
    _seats(z, people, ["P6"])
    w = _cohort("W", "16.73", day(2025, 6, 1), day(2025, 6, 3), parent=x, leads=[people["P1"]])
    _tests(_seats(w, people, ["Q1", "Q2", "A"])["Q1"], 20, 30)
    return {"TOT": tot, "X": x, "Y": y, "Z": z, "W": w}


def _second_tot(people, organizers) -> dict[str, Cohort]:
    day = dt.date
    tot2 = _cohort("TOT Jakarta", "31.74", day(2025, 3, 8), day(2025, 3, 10), organizers=organizers)
    _tests(_seats(tot2, people, ["C", "R1", "R2"])["R1"], 50, 90)
    v = _cohort("V", "16.71", day(2025, 5, 9), day(2025, 5, 10), parent=tot2, leads=[people["R1"]])
    _seats(v, people, ["S1", "B"])
    u = _cohort("U", "31.74", day(2025, 10, 1), day(2025, 10, 2), parent=tot2, leads=[people["C"]])
    _seats(u, people, ["T1"])
    return {"TOT2": tot2, "V": v, "U": u}


def reach_scene(*, organizers: list[Organization] | None = None) -> ReachScene:
    """The scene above; both TOTs organized by ``organizers`` (KSPI when None)."""
    organizations = _organizations()
    people = {
        name: MemberFactory(
            full_name=f"Anggota {name}",
            organization=organizations[organization],
            region=Region.objects.get(code=region) if region else None,
        )
        for name, (organization, region) in MEMBERS.items()
    }
    organizers = organizers or [organizations["KSPI"]]
    cohorts = _first_tot(people, organizers) | _second_tot(people, organizers)
    return ReachScene(cohorts["TOT"], cohorts["TOT2"], cohorts, organizations)
