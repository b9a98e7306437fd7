from django.urls import path

from members.views import pages

app_name = "members"

urlpatterns = [
    path("dashboard/", pages.dashboard, name="dashboard"),
]
