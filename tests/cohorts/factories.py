import datetime as dt
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from cohorts.models import AssessmentAttempt, Attendance, Cohort, Enrollment, Session
from tests.curriculum.factories import CurriculumFactory
from tests.members.factories import MemberFactory, RegencyFactory


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"TOT Dialog Sosial {n}")
    slug = factory.Sequence(lambda n: f"tot-dialog-sosial-{n}")
    curriculum = factory.SubFactory(CurriculumFactory)
    region = factory.SubFactory(RegencyFactory)
    starts_on = factory.LazyFunction(lambda: dt.date(2026, 12, 14))
    ends_on = factory.LazyAttribute(lambda cohort: cohort.starts_on + dt.timedelta(days=2))
    capacity = 30
    status = Cohort.Status.OPEN

    @factory.post_generation
    def organizers(self, create, extracted, **kwargs):
        if create and extracted:
            self.organizers.set(extracted)


class SessionFactory(factory.django.DjangoModelFactory):
    """A 90-minute session at 09:00 in the cohort's zone on its first day."""

    class Meta:
        model = Session
        skip_postgeneration_save = True

    cohort = factory.SubFactory(CohortFactory)
    title = factory.Sequence(lambda n: f"Sesi {n}")
    starts_at = factory.LazyAttribute(
        lambda session: dt.datetime.combine(
            session.cohort.starts_on, dt.time(9), tzinfo=ZoneInfo(session.cohort.time_zone)
        )
    )
    ends_at = factory.LazyAttribute(lambda session: session.starts_at + dt.timedelta(minutes=90))

    @factory.post_generation
    def trainers(self, create, extracted, **kwargs):
        if create and extracted:
            self.trainers.set(extracted)

    @factory.post_generation
    def modules(self, create, extracted, **kwargs):
        if create and extracted:
            self.modules.set(extracted)


def bulk_cohorts(count: int, *, organizers, status=Cohort.Status.OPEN) -> list[Cohort]:
    """``count`` cohorts in a handful of queries, for query-count tests at size."""
    curriculum, region = CurriculumFactory(), RegencyFactory()
    first_day = dt.date(2026, 12, 14)
    cohorts = Cohort.objects.bulk_create(
        Cohort(
            title=f"TOT Massal {number}",
            slug=f"tot-massal-{number}-{uuid.uuid4().hex[:6]}",
            curriculum=curriculum,
            region=region,
            starts_on=first_day + dt.timedelta(days=number % 300),
            ends_on=first_day + dt.timedelta(days=number % 300 + 2),
            capacity=30,
            status=status,
        )
        for number in range(count)
    )
    through = Cohort.organizers.through
    through.objects.bulk_create(
        through(cohort=cohort, organization=organization)
        for cohort in cohorts
        for organization in organizers
    )
    return cohorts


class EnrollmentFactory(factory.django.DjangoModelFactory):
    """Written past the services: for setting a scene, never for taking a seat under test."""

    class Meta:
        model = Enrollment

    cohort = factory.SubFactory(CohortFactory)
    member = factory.SubFactory(MemberFactory)
    status = Enrollment.Status.CONFIRMED
    waitlisted_at = factory.LazyAttribute(
        lambda enrollment: (
            timezone.now() if enrollment.status == Enrollment.Status.WAITLISTED else None
        )
    )


class AttendanceFactory(factory.django.DjangoModelFactory):
    """A mark written past the service (which refuses completed cohorts): for scenes only."""

    class Meta:
        model = Attendance

    enrollment = factory.SubFactory(EnrollmentFactory)
    session = factory.SubFactory(
        SessionFactory, cohort=factory.SelfAttribute("..enrollment.cohort")
    )
    status = Attendance.Status.PRESENT
    method = Attendance.Method.ROLL_CALL


class AssessmentAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentAttempt

    enrollment = factory.SubFactory(EnrollmentFactory)
    kind = AssessmentAttempt.Kind.PRE
    number = 1
    question_count = 10
    correct_count = 5
    score_percent = factory.LazyAttribute(
        lambda attempt: (Decimal(attempt.correct_count * 100) / attempt.question_count).quantize(
            Decimal("0.1")
        )
    )
    passed = False
