from django.urls import path

from cohorts import views

app_name = "cohorts"

urlpatterns = [
    path("", views.home, name="home"),
    path("cohorts/manage/", views.manage, name="manage"),
    path("cohorts/<slug:slug>/", views.cohort_detail, name="detail"),
]
