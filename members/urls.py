from django.urls import path

from members.views import pages

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
]
