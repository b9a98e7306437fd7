"""Admin for the curriculum library.

A published or archived version is read-only here (the database refuses changes to it
anyway); make a new version from the curriculum pages to change it.
"""

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from curriculum.models import Assessment, Choice, Curriculum, Material, Module, Question


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

    def _curriculum_of(self, obj):
        return obj


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
