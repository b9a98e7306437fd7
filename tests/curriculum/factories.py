import io
import zipfile

import factory

from curriculum.models import Assessment, Choice, Curriculum, Material, Module, Question
from tests.members.factories import OrganizationFactory


class CurriculumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Curriculum

    title = factory.Sequence(lambda n: f"Kurikulum {n}")
    slug = factory.Sequence(lambda n: f"kurikulum-{n}")
    owner = factory.SubFactory(OrganizationFactory)
    status = Curriculum.Status.PUBLISHED


class DraftCurriculumFactory(CurriculumFactory):
    status = Curriculum.Status.DRAFT


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    curriculum = factory.SubFactory(DraftCurriculumFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Modul {n}")
    objectives = "Peserta memahami dialog sosial."
    duration_minutes = 90
    methods = factory.LazyFunction(lambda: ["lecture", "discussion"])
    facilitator_notes = "Mulai dengan **pertanyaan** pembuka."


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    curriculum = factory.SubFactory(DraftCurriculumFactory)
    title = factory.Sequence(lambda n: f"Bahan {n}")
    kind = Material.Kind.LINK
    url = "https://example.org/bahan"


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    curriculum = factory.SubFactory(DraftCurriculumFactory)
    pass_mark = 70


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question
        skip_postgeneration_save = True

    assessment = factory.SubFactory(AssessmentFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Pertanyaan {n}?")

    @factory.post_generation
    def choices(self, create, extracted, **kwargs):
        if create:
            for position, text in enumerate(extracted or ["Benar", "Salah"]):
                Choice.objects.create(
                    question=self, position=position, text=text, is_correct=position == 0
                )


def full_curriculum(*, owner=None, modules: int = 2, questions: int = 2, publish: bool = True):
    """A draft filled with modules, a link material per module and an assessment, then
    (by default) published — the order the database allows."""
    curriculum = DraftCurriculumFactory(**({"owner": owner} if owner else {}))
    for _ in range(modules):
        module = ModuleFactory(curriculum=curriculum)
        MaterialFactory(curriculum=curriculum, module=module)
    assessment = AssessmentFactory(curriculum=curriculum)
    for _ in range(questions):
        QuestionFactory(assessment=assessment)
    if publish:
        curriculum.status = Curriculum.Status.PUBLISHED
        curriculum.save(update_fields=["status"])
    return curriculum


PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()
