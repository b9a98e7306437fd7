"""Every change to the curriculum library goes through here.

Only a draft version changes: every write checks the version's status first and refuses
with a translated message (the database refuses too, see migration 0003). A published
version is changed by making a new version (``curriculum_new_version``), editing the
draft and publishing it.
"""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils.translation import gettext_lazy as _

from curriculum.files import check_material_upload
from curriculum.models import Assessment, Choice, Curriculum, Material, Module, Question
from curriculum.permissions import can_create_curriculum, can_edit_curriculum
from members.models import Organization
from members.permissions import organizations_managed_by

CURRICULUM_FIELDS = (
    "title",
    "slug",
    "summary",
    "audience",
    "language",
    "graduates_may_train",
    "cascade_of",
)
MODULE_FIELDS = ("title", "objectives", "duration_minutes", "methods", "facilitator_notes")
QUESTION_FIELDS = ("text", "explanation")
MIN_CHOICES = 2
FROZEN_MESSAGE = _(
    "This version is %(status)s and can no longer be changed. "
    "Make a new version to change the curriculum."
)


def _ensure_may_edit(*, user: AbstractBaseUser, curriculum: Curriculum) -> None:
    if not can_edit_curriculum(user, curriculum):
        raise PermissionDenied


def _ensure_draft(*, curriculum: Curriculum) -> Curriculum:
    """Re-read the status under a row lock, so a concurrent publish cannot slip past."""
    locked = Curriculum.objects.select_for_update().get(pk=curriculum.pk)
    if locked.status != Curriculum.Status.DRAFT:
        raise ValidationError(
            FROZEN_MESSAGE, code="frozen", params={"status": locked.get_status_display()}
        )
    return locked


def _ensure_editable(*, user: AbstractBaseUser, curriculum: Curriculum) -> Curriculum:
    _ensure_may_edit(user=user, curriculum=curriculum)
    return _ensure_draft(curriculum=curriculum)


@transaction.atomic
def curriculum_create(
    *, user: AbstractBaseUser, owner: Organization, data: dict[str, Any]
) -> Curriculum:
    """A new curriculum: version 1, a draft."""
    if (
        not can_create_curriculum(user)
        or not organizations_managed_by(user).filter(pk=owner.pk).exists()
    ):
        raise PermissionDenied
    curriculum = Curriculum(owner=owner, version=1, status=Curriculum.Status.DRAFT)
    for field in CURRICULUM_FIELDS:
        if field in data:
            setattr(curriculum, field, data[field])
    _ensure_slug_is_the_owners(curriculum)
    _ensure_cascade_of_is_another(curriculum)
    curriculum.full_clean()
    curriculum.save()
    return curriculum


def _ensure_cascade_of_is_another(curriculum: Curriculum) -> None:
    full = curriculum.cascade_of
    if full is not None and full.slug == curriculum.slug:
        raise ValidationError(
            {"cascade_of": _("A curriculum cannot be the shorter version of itself.")}
        )


def _ensure_slug_is_the_owners(curriculum: Curriculum) -> None:
    """Versions are grouped by slug: another organization's slug would join its versions."""
    taken = (
        Curriculum.objects.filter(slug=curriculum.slug)
        .exclude(owner_id=curriculum.owner_id)
        .exists()
    )
    if taken:
        raise ValidationError(
            {"slug": _("Another organization's curriculum already uses this slug.")},
            code="slug_taken",
        )


@transaction.atomic
def curriculum_update(
    *, user: AbstractBaseUser, curriculum: Curriculum, data: dict[str, Any]
) -> Curriculum:
    _ensure_editable(user=user, curriculum=curriculum)
    changed = [field for field in CURRICULUM_FIELDS if field in data]
    for field in changed:
        setattr(curriculum, field, data[field])
    _ensure_slug_is_the_owners(curriculum)
    _ensure_cascade_of_is_another(curriculum)
    curriculum.full_clean()
    curriculum.save(update_fields=changed)
    return curriculum


@transaction.atomic
def curriculum_publish(*, user: AbstractBaseUser, curriculum: Curriculum) -> Curriculum:
    """Freeze the draft; cohorts can run it from now on."""
    _ensure_editable(user=user, curriculum=curriculum)
    if not curriculum.modules.exists():
        raise ValidationError(_("Add at least one module before publishing."), code="empty")
    assessment = Assessment.objects.filter(curriculum=curriculum).first()
    if assessment is not None:
        _ensure_questions_complete(assessment=assessment)
    curriculum.status = Curriculum.Status.PUBLISHED
    curriculum.save(update_fields=["status"])
    return curriculum


def _ensure_questions_complete(*, assessment: Assessment) -> None:
    incomplete = assessment.questions.exclude(choices__is_correct=True).exists()
    if incomplete:
        raise ValidationError(
            _("Every question needs a correct answer before publishing."), code="no_answer"
        )


@transaction.atomic
def curriculum_archive(*, user: AbstractBaseUser, curriculum: Curriculum) -> Curriculum:
    """Take a published version out of the catalogue; cohorts that ran it keep it."""
    _ensure_may_edit(user=user, curriculum=curriculum)
    locked = Curriculum.objects.select_for_update().get(pk=curriculum.pk)
    if locked.status != Curriculum.Status.PUBLISHED:
        raise ValidationError(_("Only a published version can be archived."), code="status")
    curriculum.status = Curriculum.Status.ARCHIVED
    curriculum.save(update_fields=["status"])
    return curriculum


@transaction.atomic
def curriculum_new_version(*, user: AbstractBaseUser, curriculum: Curriculum) -> Curriculum:
    """A draft copy of ``curriculum`` (modules, materials, assessment) as the next version.

    The source is left as it is. Stored files are shared, not copied: material files are
    never deleted while a row points to them.
    """
    _ensure_may_edit(user=user, curriculum=curriculum)
    siblings = Curriculum.objects.select_for_update().filter(slug=curriculum.slug)
    existing_draft = siblings.filter(status=Curriculum.Status.DRAFT).first()
    if existing_draft is not None:
        raise ValidationError(
            _("Version %(version)s is already a draft; change that one."),
            code="draft_exists",
            params={"version": existing_draft.version},
        )
    source = Curriculum.objects.get(pk=curriculum.pk)
    copy = Curriculum.objects.create(
        **{field: getattr(source, field) for field in CURRICULUM_FIELDS},
        owner_id=source.owner_id,
        version=(siblings.aggregate(latest=Max("version"))["latest"] or 0) + 1,
        status=Curriculum.Status.DRAFT,
    )
    _copy_modules_and_materials(source=source, copy=copy)
    _copy_assessment(source=source, copy=copy)
    return copy


def _copy_modules_and_materials(*, source: Curriculum, copy: Curriculum) -> None:
    module_copies: dict[int, Module] = {}
    for module in source.modules.all():
        module_copies[module.pk] = Module.objects.create(
            curriculum=copy,
            position=module.position,
            **{field: getattr(module, field) for field in MODULE_FIELDS},
        )
    Material.objects.bulk_create(
        Material(
            curriculum=copy,
            module=module_copies.get(material.module_id),
            title=material.title,
            kind=material.kind,
            language=material.language,
            file=material.file.name,
            original_filename=material.original_filename,
            size_bytes=material.size_bytes,
            url=material.url,
        )
        for material in source.materials.all()
    )


def _copy_assessment(*, source: Curriculum, copy: Curriculum) -> None:
    assessment = Assessment.objects.filter(curriculum=source).first()
    if assessment is None:
        return
    assessment_copy = Assessment.objects.create(curriculum=copy, pass_mark=assessment.pass_mark)
    for question in assessment.questions.prefetch_related("choices"):
        question_copy = Question.objects.create(
            assessment=assessment_copy,
            position=question.position,
            **{field: getattr(question, field) for field in QUESTION_FIELDS},
        )
        Choice.objects.bulk_create(
            Choice(
                question=question_copy,
                position=choice.position,
                text=choice.text,
                is_correct=choice.is_correct,
            )
            for choice in question.choices.all()
        )


def _next_position(queryset: QuerySet) -> int:
    return (queryset.aggregate(last=Max("position"))["last"] or 0) + 1


@transaction.atomic
def module_create(
    *, user: AbstractBaseUser, curriculum: Curriculum, data: dict[str, Any]
) -> Module:
    _ensure_editable(user=user, curriculum=curriculum)
    module = Module(curriculum=curriculum, position=_next_position(curriculum.modules))
    for field in MODULE_FIELDS:
        if field in data:
            setattr(module, field, data[field])
    _check_methods(module.methods)
    module.full_clean()
    module.save()
    return module


def _check_methods(methods: list[str]) -> None:
    unknown = set(methods) - set(Module.Method.values)
    if unknown:
        raise ValidationError(
            _("Unknown method: %(methods)s."),
            code="methods",
            params={"methods": ", ".join(sorted(unknown))},
        )


@transaction.atomic
def module_update(*, user: AbstractBaseUser, module: Module, data: dict[str, Any]) -> Module:
    _ensure_editable(user=user, curriculum=module.curriculum)
    changed = [field for field in MODULE_FIELDS if field in data]
    for field in changed:
        setattr(module, field, data[field])
    _check_methods(module.methods)
    module.full_clean()
    module.save(update_fields=changed)
    return module


@transaction.atomic
def module_delete(*, user: AbstractBaseUser, module: Module) -> None:
    _ensure_editable(user=user, curriculum=module.curriculum)
    module.delete()


@transaction.atomic
def module_move(*, user: AbstractBaseUser, module: Module, direction: str) -> Module:
    """Swap the module with its neighbour above ("up") or below ("down")."""
    curriculum = _ensure_editable(user=user, curriculum=module.curriculum)
    if direction not in {"up", "down"}:
        raise ValidationError(_("Move a module up or down."), code="direction")
    modules = list(curriculum.modules.select_for_update().order_by("position", "id"))
    index = next(i for i, candidate in enumerate(modules) if candidate.pk == module.pk)
    neighbour = index - 1 if direction == "up" else index + 1
    if 0 <= neighbour < len(modules):
        modules[index], modules[neighbour] = modules[neighbour], modules[index]
    for position, each in enumerate(modules, start=1):
        each.position = position
    Module.objects.bulk_update(modules, ["position"])
    return next(each for each in modules if each.pk == module.pk)


@transaction.atomic
def material_create(
    *,
    user: AbstractBaseUser,
    curriculum: Curriculum,
    module: Module | None,
    data: dict[str, Any],
    upload: UploadedFile | None = None,
) -> Material:
    """A file (checked: type, size, content) or a link; never both."""
    _ensure_editable(user=user, curriculum=curriculum)
    if module is not None and module.curriculum_id != curriculum.pk:
        raise ValidationError(_("The module belongs to another curriculum."), code="module")
    url = data.get("url") or ""
    if bool(upload) == bool(url):
        raise ValidationError(_("Upload a file or give a link, not both."), code="file_or_link")
    material = Material(
        curriculum=curriculum,
        module=module,
        title=data["title"],
        kind=data["kind"],
        language=data.get("language") or curriculum.language,
        url=url,
    )
    if upload is not None:
        check_material_upload(upload)
        material.original_filename = (upload.name or "")[-255:]
        material.size_bytes = upload.size
        material.file = upload
    material.full_clean(exclude=["file"])
    material.save()
    return material


@transaction.atomic
def material_delete(*, user: AbstractBaseUser, material: Material) -> None:
    """The row goes; the stored file stays, other versions may share it."""
    _ensure_editable(user=user, curriculum=material.curriculum)
    material.delete()


@transaction.atomic
def assessment_save(
    *, user: AbstractBaseUser, curriculum: Curriculum, pass_mark: int
) -> Assessment:
    _ensure_editable(user=user, curriculum=curriculum)
    assessment, _created = Assessment.objects.get_or_create(
        curriculum=curriculum, defaults={"pass_mark": pass_mark}
    )
    assessment.pass_mark = pass_mark
    assessment.full_clean()
    assessment.save(update_fields=["pass_mark"])
    return assessment


def _answers(choices: list[str], correct: int) -> list[Choice]:
    """Unsaved answers; blank ones are left out, ``correct`` indexes ``choices``."""
    kept = [(index, choice.strip()) for index, choice in enumerate(choices) if choice.strip()]
    if len(kept) < MIN_CHOICES:
        raise ValidationError(_("Give at least two answers."), code="choices")
    if correct not in {index for index, _answer in kept}:
        raise ValidationError(_("Mark one answer as correct."), code="correct")
    return [
        Choice(position=position, text=answer, is_correct=index == correct)
        for position, (index, answer) in enumerate(kept)
    ]


def _save_answers(*, question: Question, answers: list[Choice]) -> None:
    for answer in answers:
        answer.question = question
    Choice.objects.bulk_create(answers)


@transaction.atomic
def question_create(
    *,
    user: AbstractBaseUser,
    assessment: Assessment,
    text: str,
    choices: list[str],
    correct: int,
    explanation: str = "",
) -> Question:
    """A multiple-choice question with exactly one correct answer."""
    _ensure_editable(user=user, curriculum=assessment.curriculum)
    answers = _answers(choices, correct)
    question = Question(
        assessment=assessment,
        position=_next_position(assessment.questions),
        text=text,
        explanation=explanation,
    )
    question.full_clean()
    question.save()
    _save_answers(question=question, answers=answers)
    return question


@transaction.atomic
def question_update(
    *,
    user: AbstractBaseUser,
    question: Question,
    text: str,
    choices: list[str],
    correct: int,
    explanation: str = "",
) -> Question:
    """Replace the question's text, explanation and answers."""
    _ensure_editable(user=user, curriculum=question.assessment.curriculum)
    answers = _answers(choices, correct)
    question.text, question.explanation = text, explanation
    question.full_clean()
    question.save(update_fields=["text", "explanation"])
    question.choices.all().delete()
    _save_answers(question=question, answers=answers)
    return question


@transaction.atomic
def question_delete(*, user: AbstractBaseUser, question: Question) -> None:
    _ensure_editable(user=user, curriculum=question.assessment.curriculum)
    question.delete()
