from django.contrib import admin
from django.http import HttpRequest

from members.models import Member, MemberImport, Organization, OrganizationRole, Region
from members.permissions import members_visible_to, organizations_visible_to


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "kind", "parent", "region"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent", "region"]
    list_select_related = ["parent", "region"]

    def get_queryset(self, request: HttpRequest):
        return organizations_visible_to(request.user)


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    """Staff see, in the admin as in the app, only the members within their reach."""

    list_display = ["full_name", "phone", "member_number", "organization", "position", "region"]
    list_filter = ["position", "sector", "gender", "preferred_channel", "preferred_language"]
    search_fields = ["full_name", "email", "phone", "member_number"]
    autocomplete_fields = ["organization", "region", "user"]
    list_select_related = ["organization", "region"]
    readonly_fields = ["created_at", "updated_at", "created_by", "updated_by"]

    def get_queryset(self, request: HttpRequest):
        return members_visible_to(request.user)


@admin.register(OrganizationRole)
class OrganizationRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "organization"]
    list_filter = ["role"]
    search_fields = ["user__email", "organization__name", "organization__short_name"]
    autocomplete_fields = ["user", "organization"]
    list_select_related = ["user", "organization"]


@admin.register(MemberImport)
class MemberImportAdmin(admin.ModelAdmin):
    list_display = ["original_name", "status", "total_rows", "invalid_rows", "imported_rows"]
    list_filter = ["status"]
    search_fields = ["original_name", "uploaded_by__email"]
    list_select_related = ["uploaded_by"]
    readonly_fields = [field.name for field in MemberImport._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # imports go through the import page, which validates every row
