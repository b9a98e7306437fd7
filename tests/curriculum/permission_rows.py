"""Curriculum rows for the permission table in tests/test_permissions.py (same shape).

Every curriculum here is owned by the table's ``organization``; "other_draft" belongs to
another organization, so even the organizer gets a 404. A file material is downloadable
by the owner's organizers and trainers and, through "cohort_material", by participants
whose organization organizes a cohort that runs the version.
"""

from django.core.files.base import ContentFile

from curriculum.models import Curriculum, Material
from tests.cohorts.factories import CohortFactory
from tests.curriculum.factories import (
    PDF_BYTES,
    DraftCurriculumFactory,
    ModuleFactory,
    QuestionFactory,
)

LOGIN = "login"
ROLES = ["anonymous", "participant", "trainer", "organizer"]
LOGGED_IN = {"anonymous": LOGIN, "participant": 200, "trainer": 200, "organizer": 200}
STAFF_ONLY = {"anonymous": LOGIN, "participant": 404, "trainer": 404, "organizer": 200}
IN_REACH = {"anonymous": LOGIN, "participant": 404, "trainer": 200, "organizer": 200}
NOBODY = {"anonymous": LOGIN, "participant": 404, "trainer": 404, "organizer": 404}
POST_ONLY = {"anonymous": LOGIN, "participant": 405, "trainer": 405, "organizer": 405}

CURRICULUM_PERMISSIONS = [
    ("curriculum:catalogue", None, LOGGED_IN),
    ("curriculum:create", None, STAFF_ONLY),
    ("curriculum:detail", "published", LOGGED_IN),
    ("curriculum:detail", "draft", STAFF_ONLY),
    ("curriculum:detail", "other_draft", NOBODY),
    ("curriculum:print", "published", LOGGED_IN),
    ("curriculum:print", "draft", STAFF_ONLY),
    ("curriculum:edit", "draft", STAFF_ONLY),
    ("curriculum:edit", "other_draft", NOBODY),
    ("curriculum:publish", "draft", POST_ONLY),
    ("curriculum:archive", "published", POST_ONLY),
    ("curriculum:new_version", "published", POST_ONLY),
    ("curriculum:module_create", "draft", STAFF_ONLY),
    ("curriculum:module_edit", "module", STAFF_ONLY),
    ("curriculum:module_move", "module", POST_ONLY),
    ("curriculum:module_delete", "module", POST_ONLY),
    ("curriculum:material_create", "draft", STAFF_ONLY),
    ("curriculum:material_download", "material", IN_REACH),
    ("curriculum:material_download", "cohort_material", LOGGED_IN),
    ("curriculum:material_download", "draft_material", STAFF_ONLY),
    ("curriculum:material_delete", "draft_material", POST_ONLY),
    ("curriculum:assessment", "draft", STAFF_ONLY),
    ("curriculum:question_create", "draft", STAFF_ONLY),
    ("curriculum:question_edit", "question", STAFF_ONLY),
    ("curriculum:question_delete", "question", POST_ONLY),
]
CURRICULUM_TARGETS = {
    "published",
    "draft",
    "other_draft",
    "module",
    "material",
    "cohort_material",
    "draft_material",
    "question",
}


def file_material(*, curriculum: Curriculum) -> Material:
    return Material.objects.create(
        curriculum=curriculum,
        title="Modul dialog sosial",
        kind=Material.Kind.HANDOUT,
        file=ContentFile(PDF_BYTES, name="modul.pdf"),
        original_filename="Modul Dialog Sosial.pdf",
    )


def _publish(curriculum: Curriculum) -> None:
    curriculum.status = Curriculum.Status.PUBLISHED
    curriculum.save(update_fields=["status"])


def curriculum_kwargs(target: str, *, organization, request) -> dict:
    """URL kwargs for a curriculum row; ``request`` is pytest's fixture request."""
    if target == "other_draft":
        return {"pk": DraftCurriculumFactory().pk}
    curriculum = DraftCurriculumFactory(owner=organization)
    if target == "module":
        return {"pk": ModuleFactory(curriculum=curriculum).pk}
    if target == "question":
        return {"pk": QuestionFactory(assessment__curriculum=curriculum).pk}
    if target.endswith("material"):
        settings = request.getfixturevalue("settings")
        settings.MEDIA_ROOT = request.getfixturevalue("tmp_path") / "media"
        material = file_material(curriculum=curriculum)
        if target != "draft_material":
            _publish(curriculum)
        if target == "cohort_material":
            CohortFactory(curriculum=curriculum, organizers=[organization])
        return {"pk": material.pk}
    if target == "published":
        _publish(curriculum)
    return {"pk": curriculum.pk}
