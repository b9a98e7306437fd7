from django.urls import path

from members.views import imports, pages

app_name = "members"

urlpatterns = [
    path("dashboard/", pages.dashboard, name="dashboard"),
    path("members/", pages.member_list_page, name="member_list"),
    path("members/new/", pages.member_create_page, name="member_create"),
    path("members/<int:pk>/", pages.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", pages.member_edit, name="member_edit"),
    path("organizations/", pages.organization_tree, name="organization_tree"),
    path("profile/", pages.profile, name="profile"),
    path("profile/consent/", pages.consent, name="consent"),
    path("messages/<str:token>/", pages.message_preferences, name="message_preferences"),
    # import and export
    path("members/import/", imports.import_start, name="import_start"),
    path("members/import/<int:pk>/", imports.import_detail, name="import_detail"),
    path("members/import/<int:pk>/progress/", imports.import_progress, name="import_progress"),
    path("members/export/", imports.member_export, name="member_export"),
]
