from django.urls import path

from cohorts.views import (
    assessments,
    attendance,
    calendar,
    cascade_plans,
    feeds,
    manage,
    notifications,
    planning,
    public,
    registration,
)
from cohorts.views import cascade as cascade_views
from cohorts.views import certificates as certificate_views
from cohorts.views import checkin as checkin_views
from cohorts.views import completion as completion_views
from cohorts.views import dashboard as dashboard_views
from cohorts.views import reach as reach_views
from cohorts.views import registrations_manage as registrations
from cohorts.views import session_reports as reports
from cohorts.views import sign_in_sheets as sheets

app_name = "cohorts"

urlpatterns = [
    path("", public.home, name="home"),
    path("cohorts/manage/", manage.manage, name="manage"),
    path("cohorts/new/", manage.cohort_create_page, name="create"),
    path("cohorts/calendar/", calendar.organizer_calendar, name="calendar"),
    path("cohorts/reach/", reach_views.reach_page, name="reach"),
    path("cohorts/reach/export/", reach_views.reach_export, name="reach_export"),
    path("cohorts/<slug:slug>/", public.cohort_detail, name="detail"),
    path("cohorts/<slug:slug>/calendar.ics", feeds.cohort_feed, name="cohort_feed"),
    path("cohorts/<slug:slug>/manage/", manage.cohort_manage_detail, name="manage_detail"),
    path("cohorts/<slug:slug>/edit/", manage.cohort_edit, name="edit"),
    path("cohorts/<slug:slug>/status/", manage.cohort_transition_page, name="transition"),
    path("cohorts/<slug:slug>/duplicate/", manage.cohort_duplicate_page, name="duplicate"),
    path("cohorts/<slug:slug>/sessions/new/", manage.session_create_page, name="session_create"),
    path("cohorts/<slug:slug>/sessions/plan/", planning.session_plan, name="session_plan"),
    path(
        "cohorts/<slug:slug>/sessions/<int:pk>/edit/",
        manage.session_edit_page,
        name="session_edit",
    ),
    path(
        "cohorts/<slug:slug>/sessions/<int:pk>/cancel/",
        manage.session_cancel_page,
        name="session_cancel",
    ),
    path(
        "cohorts/<slug:slug>/registrations/",
        registrations.registrations,
        name="registrations",
    ),
    path(
        "cohorts/<slug:slug>/registrations/export/",
        registrations.registrations_export,
        name="registrations_export",
    ),
    path(
        "cohorts/<slug:slug>/registrations/decide/",
        registrations.registrations_decide,
        name="registrations_decide",
    ),
    path(
        "cohorts/<slug:slug>/registrations/add/",
        registrations.registration_add,
        name="registration_add",
    ),
    path(
        "cohorts/<slug:slug>/registrations/<int:pk>/move/",
        registrations.registration_move,
        name="registration_move",
    ),
    path(
        "cohorts/<slug:slug>/registrations/<int:pk>/cancel/",
        registrations.registration_cancel,
        name="registration_cancel",
    ),
    path("cohorts/<slug:slug>/register/", registration.register, name="register"),
    path(
        "cohorts/<slug:slug>/register/sent/",
        registration.register_sent,
        name="register_sent",
    ),
    path("trainings/", registration.my_trainings, name="my_trainings"),
    path("trainings/<int:pk>/", registration.my_training, name="my_training"),
    path(
        "trainings/<int:pk>/cancel/",
        registration.enrollment_cancel_self,
        name="enrollment_cancel_self",
    ),
    path("trainings/<int:pk>/ticket/", registration.ticket, name="ticket"),
    # A graduate's cascade: the plan for a training they completed, and starting one.
    path(
        "trainings/cascade/<slug:slug>/plan/",
        cascade_plans.cascade_plan,
        name="cascade_plan",
    ),
    path(
        "trainings/cascade/plans/<int:pk>/start/",
        cascade_plans.cascade_start,
        name="cascade_start",
    ),
    path(
        "trainings/cascade/plans/<int:pk>/done/",
        cascade_plans.cascade_plan_done,
        name="cascade_plan_done",
    ),
    path("sessions/mine/", calendar.my_sessions, name="my_sessions"),
    path("sessions/<int:pk>/roll-call/", attendance.roll_call, name="roll_call"),
    path("sessions/<int:pk>/roll-call/mark/", attendance.roll_call_mark, name="roll_call_mark"),
    path(
        "sessions/<int:pk>/roll-call/all-present/",
        attendance.roll_call_all_present,
        name="roll_call_all_present",
    ),
    path("cohorts/<slug:slug>/messages/", notifications.cohort_messages, name="messages"),
    path("cohorts/<slug:slug>/cascade/", cascade_views.cascade_page, name="cascade"),
    path(
        "cohorts/<slug:slug>/cascade/plans/",
        cascade_plans.cascade_plans,
        name="cascade_plans",
    ),
    path(
        "cohorts/<slug:slug>/messages/<int:pk>/",
        notifications.cohort_message,
        name="message",
    ),
    path(
        "cohorts/<slug:slug>/messages/<int:pk>/resend/",
        notifications.cohort_message_resend,
        name="message_resend",
    ),
    path(
        "sessions/<int:pk>/sign-in-sheet.pdf",
        sheets.sign_in_sheet_download,
        name="sign_in_sheet",
    ),
    path("sessions/<int:pk>/sheets/", sheets.attendance_sheets, name="attendance_sheets"),
    path(
        "sessions/<int:pk>/sheets/<int:sheet_pk>/",
        sheets.attendance_sheet_file,
        name="attendance_sheet_file",
    ),
    path(
        "sessions/<int:pk>/sheets/<int:sheet_pk>/delete/",
        sheets.attendance_sheet_remove,
        name="attendance_sheet_delete",
    ),
    path("sessions/<int:pk>/report/", reports.session_report, name="session_report"),
    path(
        "sessions/<int:pk>/report/photos/",
        reports.session_report_photos,
        name="session_report_photos",
    ),
    path(
        "sessions/<int:pk>/report/photos/<int:photo_pk>/",
        reports.session_report_photo,
        name="session_report_photo",
    ),
    path(
        "sessions/<int:pk>/report/photos/<int:photo_pk>/delete/",
        reports.session_report_photo_remove,
        name="session_report_photo_delete",
    ),
    path(
        "sessions/<int:pk>/report/reopen/",
        reports.session_report_reopen_page,
        name="session_report_reopen",
    ),
    path("calendar/", feeds.calendar_subscription, name="calendar_subscription"),
    path("calendar/reset/", feeds.calendar_token_reset_page, name="calendar_token_reset"),
    path("calendar/<slug:token>.ics", feeds.personal_feed, name="personal_feed"),
    # Check-in at the door: the session's QR, self check-in, ticket scan.
    path("sessions/<int:pk>/check-in-code/", checkin_views.checkin_code, name="checkin_code"),
    path("sessions/<int:pk>/scan/", checkin_views.checkin_scan, name="checkin_scan"),
    path(
        "sessions/<int:pk>/scan/check/", checkin_views.checkin_scan_check, name="checkin_scan_check"
    ),
    path("check-in/", checkin_views.checkin_typed, name="checkin_typed"),
    path("check-in/<str:token>/", checkin_views.checkin, name="checkin"),
    path(
        "trainings/<int:pk>/test/<slug:kind>/",
        assessments.assessment_take,
        name="assessment_take",
    ),
    path(
        "trainings/<int:pk>/test/<slug:kind>/<int:number>/",
        assessments.assessment_result,
        name="assessment_result",
    ),
    path(
        "cohorts/<slug:slug>/dashboard/",
        dashboard_views.cohort_dashboard,
        name="cohort_dashboard",
    ),
    path(
        "cohorts/<slug:slug>/dashboard/export/",
        dashboard_views.cohort_dashboard_export,
        name="cohort_dashboard_export",
    ),
    # Completion and certificates (issue 7)
    path(
        "cohorts/<slug:slug>/completion/",
        completion_views.completion,
        name="completion",
    ),
    path(
        "cohorts/<slug:slug>/completion/recompute/",
        completion_views.completion_recompute,
        name="completion_recompute",
    ),
    path(
        "cohorts/<slug:slug>/completion/<int:pk>/override/",
        completion_views.completion_override_page,
        name="completion_override",
    ),
    path(
        "cohorts/<slug:slug>/completion/<int:pk>/revoke/",
        completion_views.certificate_revoke_page,
        name="certificate_revoke",
    ),
    path(
        "cohorts/<slug:slug>/completion/<int:pk>/certificate.pdf",
        completion_views.completion_certificate,
        name="completion_certificate",
    ),
    path(
        "trainings/<int:pk>/certificate.pdf",
        certificate_views.certificate_download,
        name="certificate_download",
    ),
    path("verify/", certificate_views.verify, name="verify"),
    path("verify/<str:code>/", certificate_views.verify_code, name="verify_code"),
]
