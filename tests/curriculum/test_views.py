import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from curriculum.models import Curriculum, Material, Module
from tests.cohorts.factories import CohortFactory
from tests.curriculum.factories import (
    PDF_BYTES,
    DraftCurriculumFactory,
    ModuleFactory,
    full_curriculum,
)
from tests.curriculum.permission_rows import file_material

pytestmark = pytest.mark.django_db


def en(name: str, **kwargs) -> str:
    """English pages: the Indonesian catalogue is filled in separately."""
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.parametrize("size", [1, 6])
def test_catalogue_query_count_does_not_grow(
    client, organization, organizer, size, django_assert_max_num_queries
):
    for _ in range(size):
        full_curriculum(owner=organization, modules=3)
        DraftCurriculumFactory(owner=organization)
    client.force_login(organizer)

    # session, user, reach, the catalogue (modules counted and summed in the same query),
    # the navbar's member check: 5, nothing per curriculum.
    with django_assert_max_num_queries(5):
        response = client.get(en("curriculum:catalogue"))

    assert response.status_code == 200
    assert len(response.context["curricula"]) == 2 * size


@pytest.mark.parametrize(("modules", "questions"), [(1, 1), (8, 10)])
@pytest.mark.parametrize(("page", "queries"), [("detail", 11), ("print", 9)])
def test_detail_query_count_does_not_grow(
    client, organization, trainer, modules, questions, page, queries,
    django_assert_max_num_queries,
):  # fmt: skip
    curriculum = full_curriculum(owner=organization, modules=modules, questions=questions)
    client.force_login(trainer)

    # session, user, reach, the curriculum with owner and assessment, modules, their
    # materials, general materials, questions, their choices: 9 on the print page; the
    # detail page adds the versions list and the navbar's member check: 11. The same
    # whatever the number of modules and questions.
    with django_assert_max_num_queries(queries):
        response = client.get(en(f"curriculum:{page}", pk=curriculum.pk))

    assert response.status_code == 200
    assert response.content.count(b'class="module') == modules


@pytest.mark.parametrize("questions", [1, 10])
def test_assessment_page_query_count_does_not_grow(
    client, organization, organizer, questions, django_assert_max_num_queries
):
    curriculum = full_curriculum(owner=organization, questions=questions, publish=False)
    client.force_login(organizer)

    # session, user, reach, curriculum, assessment, questions, their choices, navbar
    # member check: 8.
    with django_assert_max_num_queries(8):
        response = client.get(en("curriculum:assessment", pk=curriculum.pk))

    assert response.status_code == 200
    assert response.content.count(b"curriculum/questions/") == 2 * questions


def test_download_serves_the_file_under_its_original_name(
    client, organization, participant, media_root
):
    curriculum = DraftCurriculumFactory(owner=organization)
    material = file_material(curriculum=curriculum)
    Curriculum.objects.filter(pk=curriculum.pk).update(status=Curriculum.Status.PUBLISHED)
    url = en("curriculum:material_download", pk=material.pk)
    client.force_login(participant)

    assert client.get(url).status_code == 404  # not (yet) in a cohort running it

    CohortFactory(curriculum=curriculum, organizers=[organization])
    response = client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert 'attachment; filename="Modul Dialog Sosial.pdf"' in response["Content-Disposition"]
    assert material.file.name.startswith("curriculum/materials/")
    assert "Modul" not in material.file.name


def test_organizer_builds_reorders_and_publishes_a_curriculum(client, organization, organizer):
    client.force_login(organizer)
    response = client.post(
        en("curriculum:create"),
        {"owner": organization.pk, "title": "TOT Baru", "slug": "tot-baru", "language": "id"},
    )
    curriculum = Curriculum.objects.get(slug="tot-baru")
    assert response.status_code == 302
    for title in ("Pembukaan", "Negosiasi"):
        client.post(
            en("curriculum:module_create", pk=curriculum.pk),
            {
                "title": title,
                "objectives": "Satu\nDua",
                "duration_minutes": 60,
                "methods": ["lecture", "role_play"],
                "facilitator_notes": "Catatan <script>alert(1)</script> **penting**",
            },
        )
    _first, second = curriculum.modules.all()
    client.post(en("curriculum:module_move", pk=second.pk), {"direction": "up"})
    assert list(curriculum.modules.values_list("title", flat=True)) == ["Negosiasi", "Pembukaan"]

    page = client.get(en("curriculum:detail", pk=curriculum.pk)).content.decode()
    assert "<strong>penting</strong>" in page
    assert "<script>alert" not in page
    assert "2 h" in page

    client.post(en("curriculum:publish", pk=curriculum.pk))
    curriculum.refresh_from_db()
    assert curriculum.status == Curriculum.Status.PUBLISHED


def test_editing_a_published_version_through_the_pages_changes_nothing(
    client, organization, organizer
):
    curriculum = full_curriculum(owner=organization)
    module = curriculum.modules.first()
    client.force_login(organizer)

    response = client.post(
        en("curriculum:module_edit", pk=module.pk),
        {"title": "Diubah", "duration_minutes": 30, "objectives": "", "facilitator_notes": ""},
    )
    moved = client.post(
        en("curriculum:module_move", pk=module.pk), {"direction": "down"}, follow=True
    )

    assert response.status_code == 200
    assert b"can no longer be changed" in response.content
    assert b"can no longer be changed" in moved.content
    assert Module.objects.get(pk=module.pk).title == module.title


def test_new_version_page_gives_an_editable_copy(client, organization, organizer):
    curriculum = full_curriculum(owner=organization)
    client.force_login(organizer)

    response = client.post(en("curriculum:new_version", pk=curriculum.pk))

    copy = Curriculum.objects.get(slug=curriculum.slug, version=2)
    assert response["Location"] == en("curriculum:detail", pk=copy.pk)
    assert copy.status == Curriculum.Status.DRAFT
    assert copy.modules.count() == curriculum.modules.count()


def test_refused_upload_shows_why_and_stores_nothing(client, organization, organizer, media_root):
    curriculum = DraftCurriculumFactory(owner=organization)
    client.force_login(organizer)

    response = client.post(
        en("curriculum:material_create", pk=curriculum.pk),
        {
            "title": "Palsu",
            "kind": "handout",
            "language": "id",
            "file": SimpleUploadedFile("palsu.pdf", b"MZ not a pdf"),
        },
    )

    assert response.status_code == 200
    assert b"does not match its extension" in response.content
    assert not Material.objects.exists()
    assert not media_root.exists() or not any(media_root.rglob("*.*"))


def test_good_upload_through_the_page(client, organization, organizer, media_root):
    curriculum = DraftCurriculumFactory(owner=organization)
    module = ModuleFactory(curriculum=curriculum)
    client.force_login(organizer)

    response = client.post(
        en("curriculum:material_create", pk=curriculum.pk),
        {
            "title": "Modul",
            "kind": "handout",
            "language": "id",
            "module": module.pk,
            "file": SimpleUploadedFile("Modul 1.pdf", PDF_BYTES),
        },
    )

    assert response.status_code == 302
    material = Material.objects.get()
    assert (material.module, material.original_filename) == (module, "Modul 1.pdf")


def test_question_authoring(client, organization, organizer):
    curriculum = DraftCurriculumFactory(owner=organization)
    client.force_login(organizer)

    client.post(en("curriculum:assessment", pk=curriculum.pk), {"pass_mark": 60})
    client.post(
        en("curriculum:question_create", pk=curriculum.pk),
        {"text": "Apa itu dialog sosial?", "choice_1": "A", "choice_2": "B", "correct": 1},
    )

    curriculum.assessment.refresh_from_db()
    assert curriculum.assessment.pass_mark == 60
    question = curriculum.assessment.questions.get()
    assert question.choices.get(is_correct=True).text == "B"


def test_print_view_has_a_print_stylesheet_and_no_navbar(client, organization, participant):
    curriculum = full_curriculum(owner=organization)
    client.force_login(participant)

    page = client.get(en("curriculum:print", pk=curriculum.pk)).content.decode()

    assert "@media print" in page
    assert "navbar" not in page
    assert curriculum.title in page


def test_catalogue_shows_drafts_only_to_the_owners_organizers(
    client, organization, organizer, trainer
):
    published = full_curriculum(owner=organization)
    draft = DraftCurriculumFactory(owner=organization)
    foreign_draft = DraftCurriculumFactory()

    client.force_login(organizer)
    organizer_sees = set(client.get(en("curriculum:catalogue")).context["curricula"])
    client.force_login(trainer)
    trainer_sees = set(client.get(en("curriculum:catalogue")).context["curricula"])

    assert organizer_sees == {published, draft}
    assert trainer_sees == {published}
    assert foreign_draft not in organizer_sees


def test_edit_pages_of_a_published_version_lead_back_to_the_syllabus(
    client, organization, organizer
):
    curriculum = full_curriculum(owner=organization)
    client.force_login(organizer)

    for name in ("edit", "module_create", "material_create", "assessment", "question_create"):
        response = client.get(en(f"curriculum:{name}", pk=curriculum.pk))
        assert response.status_code == 302
        assert response["Location"] == en("curriculum:detail", pk=curriculum.pk)


def test_question_editing_replaces_the_answers(client, organization, organizer):
    curriculum = full_curriculum(owner=organization, questions=1, publish=False)
    question = curriculum.assessment.questions.get()
    client.force_login(organizer)

    form = client.get(en("curriculum:question_edit", pk=question.pk))
    client.post(
        en("curriculum:question_edit", pk=question.pk),
        {"text": "Baru?", "choice_1": "X", "choice_2": "Y", "choice_3": "Z", "correct": 2},
    )

    assert form.context["form"].initial["correct"] == 0
    question.refresh_from_db()
    assert question.text == "Baru?"
    assert list(question.choices.values_list("text", "is_correct")) == [
        ("X", False),
        ("Y", False),
        ("Z", True),
    ]


@pytest.mark.parametrize(("role", "sees_notes"), [("participant", False), ("trainer", True)])
def test_facilitator_notes_are_for_trainers_not_participants(
    client, organization, request, role, sees_notes
):
    curriculum = full_curriculum(owner=organization)  # its modules carry facilitator notes
    client.force_login(request.getfixturevalue(role))

    page = client.get(reverse("curriculum:detail", kwargs={"pk": curriculum.pk})).content.decode()

    assert ("<strong>pertanyaan</strong> pembuka" in page) == sees_notes


def test_a_cascade_version_says_what_it_shortens_and_that_graduates_may_train(
    client, organization, organizer
):
    full = full_curriculum(owner=organization, modules=2)
    shorter = full_curriculum(owner=organization, modules=1, publish=False)
    client.force_login(organizer)

    response = client.post(
        en("curriculum:edit", pk=shorter.pk),
        {
            "title": "Dialog Sosial (versi pelatihan berjenjang)",
            "slug": shorter.slug,
            "language": "id",
            "graduates_may_train": "on",
            "cascade_of": full.pk,
        },
    )

    assert response.status_code == 302
    shorter.refresh_from_db()
    assert (shorter.cascade_of, shorter.graduates_may_train) == (full, True)
    page = client.get(en("curriculum:detail", pk=shorter.pk)).content.decode()
    assert f"The shorter version of {full} for cascade trainings." in page
    assert "Graduates of its cascade trainings may run cascades of their own." in page


def test_a_curriculum_cannot_shorten_itself(client, organization, organizer):
    curriculum = full_curriculum(owner=organization, modules=1, publish=False)
    client.force_login(organizer)

    form = client.get(en("curriculum:edit", pk=curriculum.pk)).context["form"]
    assert curriculum not in form.fields["cascade_of"].queryset
