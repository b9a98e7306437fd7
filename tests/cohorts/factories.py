import datetime as dt

import factory

from cohorts.models import Cohort
from tests.curriculum.factories import CurriculumFactory
from tests.members.factories import RegencyFactory


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
