"""Certificate serials under races, on Postgres: recomputes and overrides of one cohort run
from many threads at once (each on its own connection) still give every completed
participant exactly one certificate, numbered 001, 002, … without a gap or a duplicate,
because each takes the cohort's lock before it counts."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.utils import timezone

from cohorts.models import Attendance, Certificate, Cohort, Enrollment
from cohorts.services.completion import completion_apply, completion_override
from tests.cohorts.factories import CohortFactory, EnrollmentFactory, SessionFactory
from tests.cohorts.test_enrollments_concurrency import at_once, errors, members

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need Postgres"),
]


def completed_cohort(*, attending: int, absent: int) -> tuple[Cohort, list[Enrollment]]:
    cohort = CohortFactory(status=Cohort.Status.COMPLETED, starts_on=dt.date(2026, 11, 2))
    start = timezone.now() - dt.timedelta(days=20)
    session = SessionFactory(
        cohort=cohort, status="held", starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    people = [EnrollmentFactory(cohort=cohort, member=m) for m in members(attending + absent)]
    Attendance.objects.bulk_create(
        Attendance(enrollment=e, session=session, status="present", method="roll_call")
        for e in people[:attending]
    )
    return cohort, people


def assert_serials_numbered_in_turn(cohort: Cohort, expected: int) -> None:
    serials = list(
        Certificate.objects.filter(enrollment__cohort=cohort).values_list("serial", flat=True)
    )
    prefix = f"TOT-{cohort.ends_on.year}-{cohort.pk:04d}-"
    assert all(re.fullmatch(re.escape(prefix) + r"\d{3}", serial) for serial in serials)
    assert sorted(int(serial[-3:]) for serial in serials) == list(range(1, expected + 1))
    completed = cohort.enrollments.filter(status=Enrollment.Status.COMPLETED)
    assert set(completed.values_list("certificate__serial", flat=True)) == set(serials)


def test_recomputes_at_once_issue_one_certificate_each_with_unique_serials():
    cohort, _people = completed_cohort(attending=40, absent=5)

    outcomes = at_once([lambda: completion_apply(cohort=cohort, by=None)] * 6)

    assert errors(outcomes) == []
    # The first to take the lock issued all 40; the others found nothing left to issue.
    assert sorted(outcome.certificates_issued for outcome in outcomes) == [0] * 5 + [40]
    assert_serials_numbered_in_turn(cohort, 40)


def test_overrides_and_recomputes_at_once_never_share_a_serial(organizer):
    cohort, people = completed_cohort(attending=10, absent=15)
    completion_apply(cohort=cohort, by=organizer)
    not_completed = people[10:]

    outcomes = at_once(
        [
            lambda enrollment=enrollment: completion_override(
                enrollment=enrollment, completed=True, note="Tugas pengganti.", by=organizer
            )
            for enrollment in not_completed
        ]
        + [lambda: completion_apply(cohort=cohort, by=organizer)] * 3
    )

    assert errors(outcomes) == []
    assert cohort.enrollments.filter(status=Enrollment.Status.COMPLETED).count() == 25
    assert_serials_numbered_in_turn(cohort, 25)
