from django.contrib import admin
from django.db import models

from cohorts.models import CascadePlan, Cohort, CohortStatusChange, Session


class SessionInline(admin.TabularInline):
    model = Session
    fields = ["title", "starts_at", "ends_at", "room", "status", "sequence"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class StatusChangeInline(admin.TabularInline):
    model = CohortStatusChange
    fields = ["changed_at", "from_status", "to_status", "changed_by", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    """For looking things up only: every change goes through the organizer pages, whose
    services check clashes, keep times in the cohort's zone and record who changed what."""

    list_display = ["title", "kind", "status", "starts_on", "ends_on", "region", "capacity"]
    list_filter = ["status", "kind", "time_zone"]
    search_fields = ["title", "slug"]
    list_select_related = ["region"]
    inlines = [SessionInline, StatusChangeInline]
    # The view-only page still builds a form; this keeps Django 6's URL warning quiet.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CascadePlan)
class CascadePlanAdmin(admin.ModelAdmin):
    """For looking plans up only: the graduate writes their own plan on their pages."""

    list_display = [
        "member",
        "cohort",
        "trainings_planned",
        "expected_participants",
        "due_on",
        "done_at",
    ]
    list_filter = ["done_at"]
    search_fields = ["member__full_name", "cohort__title"]
    list_select_related = ["member", "cohort"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
