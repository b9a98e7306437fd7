from django.contrib import admin
from django.http import HttpRequest

from members.models import Member, MemberImport, Organization, OrganizationRole, Region


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """People, roles and imports change through the app's pages, which check reach, NIK
    masking and every rule in the services; the admin is a superuser's tool only."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]


@admin.register(Organization)
class OrganizationAdmin(SuperuserOnlyAdmin):
    list_display = ["short_name", "name", "kind", "parent", "region"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent", "region"]
    list_select_related = ["parent", "region"]


@admin.register(Member)
class MemberAdmin(SuperuserOnlyAdmin):
    list_display = ["full_name", "phone", "member_number", "organization", "position", "region"]
    list_filter = ["position", "sector", "gender", "preferred_channel", "preferred_language"]
    search_fields = ["full_name", "email", "phone", "member_number"]
    autocomplete_fields = ["organization", "region", "user"]
    list_select_related = ["organization", "region"]
    readonly_fields = ["created_at", "updated_at", "created_by", "updated_by"]


@admin.register(OrganizationRole)
class OrganizationRoleAdmin(SuperuserOnlyAdmin):
    list_display = ["user", "role", "organization"]
    list_filter = ["role"]
    search_fields = ["user__email", "organization__name", "organization__short_name"]
    autocomplete_fields = ["user", "organization"]
    list_select_related = ["user", "organization"]


@admin.register(MemberImport)
class MemberImportAdmin(SuperuserOnlyAdmin):
    list_display = ["original_name", "status", "total_rows", "invalid_rows", "imported_rows"]
    list_filter = ["status"]
    search_fields = ["original_name", "uploaded_by__email"]
    list_select_related = ["uploaded_by"]
    readonly_fields = [field.name for field in MemberImport._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # imports go through the import page, which validates every row
