"""Admin for the curriculum library.

Read-only: lists, search, filters, and the status actions (publish, archive, new
version), which call the services. Authoring happens on the curriculum pages.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from curriculum.models import Assessment, Choice, Curriculum, Material, Module, Question
from curriculum.services import curriculum_archive, curriculum_new_version, curriculum_publish


class ReadOnlyMixin:
    """Content changes only through the authoring pages, whose services keep published
    versions frozen and check every rule; here, no add, change or (bulk) delete path
    exists that could go around them."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ModuleInline(ReadOnlyMixin, admin.StackedInline):
    model = Module
    extra = 0
    fields = ["position", "title", "objectives", "duration_minutes", "methods", "facilitator_notes"]


class MaterialInline(ReadOnlyMixin, admin.TabularInline):
    model = Material
    extra = 0
    fields = ["title", "kind", "module", "language", "url", "original_filename"]
    readonly_fields = ["original_filename"]


@admin.register(Curriculum)
class CurriculumAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "version", "status", "owner"]
    list_filter = ["status"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ModuleInline, MaterialInline]
    actions = ["publish", "archive", "make_new_version"]

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
class ModuleAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "curriculum", "position", "duration_minutes"]
    list_select_related = ["curriculum"]
    search_fields = ["title", "curriculum__title"]


@admin.register(Material)
class MaterialAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "curriculum", "module", "original_filename"]
    list_select_related = ["curriculum", "module"]
    list_filter = ["kind"]
    search_fields = ["title", "original_filename"]
    readonly_fields = ["file", "original_filename", "size_bytes"]


class ChoiceInline(ReadOnlyMixin, admin.TabularInline):
    model = Choice
    extra = 0


class QuestionInline(ReadOnlyMixin, admin.StackedInline):
    model = Question
    extra = 0
    fields = ["position", "text", "explanation"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["curriculum", "pass_mark"]
    list_select_related = ["curriculum"]
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["text", "assessment", "position"]
    list_select_related = ["assessment__curriculum"]
    search_fields = ["text"]
    inlines = [ChoiceInline]
