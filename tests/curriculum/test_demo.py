import pytest

from cohorts.demo import demo_data_load
from cohorts.models import Cohort
from curriculum.demo import SLUG
from curriculum.models import Choice, Curriculum, Material, Module, Question

pytestmark = pytest.mark.django_db

MODELS = (Curriculum, Module, Material, Question, Choice)


def test_demo_curriculum_is_the_seed_tot_published_with_modules_and_a_test():
    demo_data_load()

    curriculum = Cohort.objects.get(slug="tot-dialog-sosial-lubuklinggau").curriculum
    assert (curriculum.slug, curriculum.version) == (SLUG, 1)
    assert curriculum.status == Curriculum.Status.PUBLISHED
    modules = list(curriculum.modules.all())
    assert len(modules) == 8
    assert all(m.objectives and m.duration_minutes and m.methods for m in modules)
    assert all(m.facilitator_notes for m in modules)
    assert "Menjadi pelatih" in modules[-1].title
    questions = curriculum.assessment.questions.all()
    assert len(questions) == 10
    assert all(q.choices.filter(is_correct=True).count() == 1 for q in questions)


def test_loading_twice_changes_nothing():
    demo_data_load()
    before = {model: list(model.objects.values()) for model in MODELS}

    demo_data_load()

    assert {model: list(model.objects.values()) for model in MODELS} == before
