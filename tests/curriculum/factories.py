import factory

from curriculum.models import Curriculum
from tests.members.factories import OrganizationFactory


class CurriculumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Curriculum

    title = factory.Sequence(lambda n: f"Kurikulum {n}")
    slug = factory.Sequence(lambda n: f"kurikulum-{n}")
    owner = factory.SubFactory(OrganizationFactory)
    status = Curriculum.Status.PUBLISHED
