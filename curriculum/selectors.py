from django.db.models import Count, Prefetch, QuerySet, Sum

from curriculum.models import Curriculum, Material, Module, Question
from curriculum.permissions import User, curricula_visible_to


def curriculum_catalogue(*, user: User) -> QuerySet[Curriculum]:
    """Versions this user may read, with module count and total minutes in the same query."""
    return (
        curricula_visible_to(user)
        .select_related("owner")
        .annotate(module_count=Count("modules"), total_minutes=Sum("modules__duration_minutes"))
        .order_by("title", "-version")
    )


def curriculum_get(*, user: User, pk: int) -> Curriculum:
    """A version the user may read; anything else raises ``Curriculum.DoesNotExist``."""
    return curricula_visible_to(user).select_related("owner").get(pk=pk)


def curriculum_syllabus(*, user: User, pk: int) -> Curriculum:
    """The whole version for the syllabus page: modules, materials, questions, answers."""
    materials = Material.objects.order_by("id")
    return (
        curricula_visible_to(user)
        .select_related("owner", "assessment", "cascade_of")
        .prefetch_related(
            Prefetch(
                "modules",
                queryset=Module.objects.prefetch_related(Prefetch("materials", queryset=materials)),
            ),
            Prefetch(
                "materials",
                queryset=materials.filter(module__isnull=True),
                to_attr="general_materials",
            ),
            Prefetch(
                "assessment__questions", queryset=Question.objects.prefetch_related("choices")
            ),
        )
        .get(pk=pk)
    )


def curriculum_versions(*, user: User, curriculum: Curriculum) -> QuerySet[Curriculum]:
    return curricula_visible_to(user).filter(slug=curriculum.slug).order_by("-version")


def total_minutes(curriculum: Curriculum) -> int:
    return sum(module.duration_minutes for module in curriculum.modules.all())


def module_get(*, user: User, pk: int) -> Module:
    return Module.objects.select_related("curriculum").get(
        pk=pk, curriculum__in=curricula_visible_to(user)
    )


def material_get(*, user: User, pk: int) -> Material:
    return Material.objects.select_related("curriculum").get(
        pk=pk, curriculum__in=curricula_visible_to(user)
    )


def question_get(*, user: User, pk: int) -> Question:
    return Question.objects.select_related("assessment__curriculum").get(
        pk=pk, assessment__curriculum__in=curricula_visible_to(user)
    )
