"""A cascade tree built by hand, for the place-in-the-tree and progression tests.

    TOT (completed; led by Tutor)      Ani, Budi, Citra, Fajar completed
    ├─ X (lead Ani, completed)         Dedi, Gita, P1, P2 completed; P3 did not complete
    │  │                               held session: Ani and Fajar (Fajar co-facilitates)
    │  │                               scheduled session: Hana (not held: does not count)
    │  └─ W (lead Dedi, completed)     Eka, Q1 and P1 (again) completed
    │     └─ V (lead Eka, cancelled)   R1 completed: not counted
    ├─ Y (lead Budi, draft)            nobody yet
    └─ Z (lead Citra, cancelled)       P6 completed: not counted
                                       held session: Citra and Gita (cancelled: not counted)

Worked out by hand:
- Ani's place at the TOT (generation 0): her cascade X and, below it, Dedi's W: 2
  trainings; Dedi, Gita, P1, P2 (X) and Eka, Q1 (W; P1 again): 6 members reached.
- Dedi's place at X (generation 1; path TOT › X): his W, 1 training, 3 members.
- Eka's place at W (generation 2; path TOT › X › W): her V is cancelled: nothing below,
  and she has no place at V.
- Budi's place at the TOT: his draft Y, 1 training, nobody reached yet.
- Citra's place at the TOT: her Z is cancelled: nothing below. P6 has no place at all.
- Progression: Ani, Dedi and Tutor (led the TOT) trainers; Fajar and Hana (helped in the
  TOT's held session; her cascade session was not held) co-facilitators; Budi (draft
  cascade), Citra (cancelled cascade), Gita (co-facilitated only a cancelled cascade),
  Eka, P1, P2, Q1, P6, R1 participants; P3 (did not complete) none.
"""

import datetime as dt
from types import SimpleNamespace

from cohorts.models import Cohort, Enrollment, Session
from tests.cohorts.factories import CohortFactory, EnrollmentFactory, SessionFactory
from tests.members.factories import MemberFactory

COMPLETED = Enrollment.Status.COMPLETED
PEOPLE = ("Tutor", "Ani", "Budi", "Citra", "Dedi", "Eka", "Fajar", "Gita", "Hana")
PEOPLE += ("P1", "P2", "P3", "P6", "Q1", "R1")


def cohort(title, *, parent=None, lead=None, status=Cohort.Status.COMPLETED, starts=None):
    kind = Cohort.Kind.CASCADE if parent else Cohort.Kind.TOT
    starts = starts or (parent.starts_on + dt.timedelta(days=30) if parent else dt.date(2025, 3, 3))
    made = CohortFactory(title=title, kind=kind, parent=parent, status=status, starts_on=starts)
    if lead:
        made.lead_trainers.set([lead])
    return made


def graduate(training, *members, status=COMPLETED):
    for member in members:
        EnrollmentFactory(cohort=training, member=member, status=status)


def build() -> SimpleNamespace:
    people = {name: MemberFactory(full_name=name) for name in PEOPLE}
    p = SimpleNamespace(**people)
    tot = cohort("TOT KSPI-KSBSI Lubuklinggau", lead=p.Tutor)
    graduate(tot, p.Ani, p.Budi, p.Citra, p.Fajar)
    x = cohort("Pelatihan PUK X", parent=tot, lead=p.Ani)
    graduate(x, p.Dedi, p.Gita, p.P1, p.P2)
    graduate(x, p.P3, status=Enrollment.Status.INCOMPLETE)
    SessionFactory(cohort=x, status=Session.Status.HELD, trainers=[p.Ani, p.Fajar])
    SessionFactory(cohort=x, status=Session.Status.SCHEDULED, trainers=[p.Hana])
    SessionFactory(cohort=tot, status=Session.Status.HELD, trainers=[p.Tutor, p.Hana])
    w = cohort("Pelatihan PUK W", parent=x, lead=p.Dedi)
    graduate(w, p.Eka, p.Q1, p.P1)
    v = cohort("Pelatihan PUK V", parent=w, lead=p.Eka, status=Cohort.Status.CANCELLED)
    graduate(v, p.R1)
    y = cohort("Pelatihan PUK Y", parent=tot, lead=p.Budi, status=Cohort.Status.DRAFT)
    z = cohort("Pelatihan PUK Z", parent=tot, lead=p.Citra, status=Cohort.Status.CANCELLED)
    graduate(z, p.P6)
    SessionFactory(cohort=z, status=Session.Status.HELD, trainers=[p.Citra, p.Gita])
    return SimpleNamespace(people=p, tot=tot, x=x, w=w, v=v, y=y, z=z)


def chain(depth: int) -> tuple[list[Cohort], list]:
    """A TOT and ``depth`` cascades below it, each led by a graduate of the one above,
    three more graduates in each; the cohorts and their leads, the TOT first."""
    cohorts = [cohort("TOT")]
    leads = []
    for level in range(depth):
        lead = MemberFactory()
        graduate(cohorts[-1], lead)
        cohorts.append(cohort(f"Cascade {level}", parent=cohorts[-1], lead=lead))
        SessionFactory(cohort=cohorts[-1], status=Session.Status.HELD, trainers=[lead])
        leads.append(lead)
        EnrollmentFactory.create_batch(3, cohort=cohorts[-1], status=COMPLETED)
    return cohorts, leads
