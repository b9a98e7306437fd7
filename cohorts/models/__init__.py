"""The cohorts app's models, one module per part of the domain; import them from here."""

from cohorts.models.cascade import CascadePlan
from cohorts.models.cohorts import (
    CalendarFeedToken,
    Cohort,
    CohortQuerySet,
    CohortStatusChange,
    FollowUpStep,
    RegistrationQuestion,
    Session,
    SessionQuerySet,
    default_follow_up_days,
    default_registration_questions,
    default_reminder_hours,
    new_calendar_token,
)
from cohorts.models.enrollments import (
    CompletionReason,
    Enrollment,
    EnrollmentChange,
)
from cohorts.models.messages import Notification
from cohorts.models.session_log import (
    AssessmentAttempt,
    Attendance,
    AttendanceSheet,
    Certificate,
    SessionReport,
    SessionReportPhoto,
    attendance_sheet_upload_to,
    new_verification_code,
    report_photo_upload_to,
)

__all__ = [
    "AssessmentAttempt",
    "Attendance",
    "AttendanceSheet",
    "CalendarFeedToken",
    "CascadePlan",
    "Certificate",
    "Cohort",
    "CohortQuerySet",
    "CohortStatusChange",
    "CompletionReason",
    "Enrollment",
    "EnrollmentChange",
    "FollowUpStep",
    "Notification",
    "RegistrationQuestion",
    "Session",
    "SessionQuerySet",
    "SessionReport",
    "SessionReportPhoto",
    "attendance_sheet_upload_to",
    "default_follow_up_days",
    "default_registration_questions",
    "default_reminder_hours",
    "new_calendar_token",
    "new_verification_code",
    "report_photo_upload_to",
]
