from django.contrib import admin

from cohorts.models import Cohort


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "starts_on", "ends_on", "region", "capacity"]
    list_filter = ["status", "kind", "time_zone"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["region", "parent"]
    filter_horizontal = ["organizers"]
