from django.contrib import admin
from django.db import models

from cohorts.models import Cohort, CohortStatusChange, Session


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
    """For looking things up; schedules and status changes go through the organizer pages,
    whose services check clashes and record who changed what."""

    list_display = ["title", "kind", "status", "starts_on", "ends_on", "region", "capacity"]
    list_filter = ["status", "kind", "time_zone"]
    search_fields = ["title", "slug"]
    autocomplete_fields = ["region", "parent"]
    filter_horizontal = ["organizers"]
    readonly_fields = ["slug", "status", "created_by", "created_at", "updated_at"]
    raw_id_fields = ["lead_trainers"]
    inlines = [SessionInline, StatusChangeInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request) -> bool:
        return False
