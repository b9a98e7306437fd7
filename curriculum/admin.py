"""Admin for the curriculum library.

A published or archived version is read-only here (the database refuses changes to it
anyway); make a new version from the curriculum pages to change it.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from curriculum.models import Assessment, Choice, Curriculum, Material, Module, Question
from curriculum.services import curriculum_archive, curriculum_new_version, curriculum_publish


class FrozenWhenPublishedMixin:
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def _curriculum_of(self, obj) -> Curriculum | None:
        raise NotImplementedError

    def _is_frozen(self, obj) -> bool:
        curriculum = self._curriculum_of(obj) if obj is not None else None
        return curriculum is not None and not curriculum.is_editable

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return not self._is_frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return not self._is_frozen(obj) and super().has_delete_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, *obj) -> bool:
        """ModelAdmin passes no object, an inline passes the parent (or None)."""
        if obj and self._is_frozen(obj[0]):
            return False
        return super().has_add_permission(request, *obj)


class ModuleInline(FrozenWhenPublishedMixin, admin.StackedInline):
    model = Module
    extra = 0
    fields = ["position", "title", "objectives", "duration_minutes", "methods", "facilitator_notes"]

    def _curriculum_of(self, obj):
        return obj


class MaterialInline(FrozenWhenPublishedMixin, admin.TabularInline):
    model = Material
    extra = 0
    fields = ["title", "kind", "module", "language", "url", "original_filename"]
    readonly_fields = ["original_filename"]

    def _curriculum_of(self, obj):
        return obj


@admin.register(Curriculum)
class CurriculumAdmin(FrozenWhenPublishedMixin, admin.ModelAdmin):
    list_display = ["title", "version", "status", "owner"]
    list_filter = ["status"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ModuleInline, MaterialInline]
    actions = ["publish", "archive", "make_new_version"]

    def _curriculum_of(self, obj):
        return obj

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        """Status moves only through the actions below, which call the services."""
        return ["status"] if obj is not None else []

    def _run(self, request: HttpRequest, queryset: QuerySet, service) -> None:
        for curriculum in queryset:
            try:
                service(user=request.user, curriculum=curriculum)
            except (ValidationError, PermissionDenied) as refused:
                detail = "; ".join(getattr(refused, "messages", [])) or _("not allowed")
                self.message_user(request, f"{curriculum}: {detail}", messages.ERROR)

    @admin.action(description=_("Publish the selected drafts"))
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._run(request, queryset, curriculum_publish)

    @admin.action(description=_("Archive the selected published versions"))
    def archive(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._run(request, queryset, curriculum_archive)

    @admin.action(description=_("Make a new draft version of each selected"))
    def make_new_version(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._run(request, queryset, curriculum_new_version)


@admin.register(Module)
class ModuleAdmin(FrozenWhenPublishedMixin, admin.ModelAdmin):
    list_display = ["title", "curriculum", "position", "duration_minutes"]
    list_select_related = ["curriculum"]
    search_fields = ["title", "curriculum__title"]

    def _curriculum_of(self, obj):
        return obj.curriculum


@admin.register(Material)
class MaterialAdmin(FrozenWhenPublishedMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "curriculum", "module", "original_filename"]
    list_select_related = ["curriculum", "module"]
    list_filter = ["kind"]
    search_fields = ["title", "original_filename"]
    readonly_fields = ["file", "original_filename", "size_bytes"]

    def _curriculum_of(self, obj):
        return obj.curriculum


class ChoiceInline(FrozenWhenPublishedMixin, admin.TabularInline):
    model = Choice
    extra = 0

    def _curriculum_of(self, obj):
        return obj.assessment.curriculum


class QuestionInline(FrozenWhenPublishedMixin, admin.StackedInline):
    model = Question
    extra = 0
    fields = ["position", "text", "explanation"]

    def _curriculum_of(self, obj):
        return obj.curriculum


@admin.register(Assessment)
class AssessmentAdmin(FrozenWhenPublishedMixin, admin.ModelAdmin):
    list_display = ["curriculum", "pass_mark"]
    list_select_related = ["curriculum"]
    inlines = [QuestionInline]

    def _curriculum_of(self, obj):
        return obj.curriculum


@admin.register(Question)
class QuestionAdmin(FrozenWhenPublishedMixin, admin.ModelAdmin):
    list_display = ["text", "assessment", "position"]
    list_select_related = ["assessment__curriculum"]
    search_fields = ["text"]
    inlines = [ChoiceInline]

    def _curriculum_of(self, obj):
        return obj.assessment.curriculum
