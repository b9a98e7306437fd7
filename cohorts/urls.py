from django.urls import path

from cohorts.views import public

app_name = "cohorts"

urlpatterns = [
    path("", public.home, name="home"),
    path("cohorts/manage/", public.manage, name="manage"),
    path("cohorts/<slug:slug>/", public.cohort_detail, name="detail"),
]
