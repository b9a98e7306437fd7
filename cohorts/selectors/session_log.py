"""Reads for the paper fallback (sign-in sheet, signed sheets) and the session report.

Each read costs a fixed few queries whatever the number of participants, photos or
modules; the schedule's "report submitted / to write" badge rides on the sessions query.
"""

from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, F, Prefetch, Q, QuerySet
from django.db.models.functions import Now

from cohorts.models import AttendanceSheet, Cohort, Session, SessionReport, SessionReportPhoto
from cohorts.selectors.schedule import CalendarEvent
from cohorts.services.attendance import ON_THE_ROLL
from curriculum.models import Module
from members.models import Member

WRITABLE_COHORT = (Cohort.Status.OPEN, Cohort.Status.RUNNING)


def session_for_log(*, pk: int) -> Session:
    """The session with its cohort and region; ``Session.DoesNotExist`` if there is none."""
    return Session.objects.select_related("cohort__region").get(pk=pk)


@dataclass(frozen=True)
class SheetRow:
    number: int
    name: str
    organization: str


@dataclass(frozen=True)
class SignInSheet:
    session: Session
    event: CalendarEvent
    organizers: list[str]
    trainers: list[str]
    rows: list[SheetRow]

    @property
    def cohort(self) -> Cohort:
        return self.session.cohort

    @property
    def venue(self) -> str:
        cohort = self.cohort
        parts = [cohort.venue_name, cohort.region.name if cohort.region_id else ""]
        return ", ".join(part for part in parts if part)


def sign_in_sheet(*, session: Session) -> SignInSheet:
    """Everyone confirmed for the session's cohort, by name. Three queries; ``session``
    must come from ``session_for_log``."""
    cohort = session.cohort
    participants = (
        cohort.enrollments.filter(status__in=ON_THE_ROLL)
        .select_related("member__organization")
        .order_by("member__full_name", "id")
    )
    rows = [
        SheetRow(
            number=number,
            name=enrollment.member.full_name,
            organization=enrollment.member.organization.short_name,
        )
        for number, enrollment in enumerate(participants, start=1)
    ]
    return SignInSheet(
        session=session,
        event=CalendarEvent.of(session),
        organizers=list(
            cohort.organizers.order_by("short_name").values_list("short_name", flat=True)
        ),
        trainers=list(session.trainers.order_by("full_name").values_list("full_name", flat=True)),
        rows=rows,
    )


def attendance_sheets_of(*, session: Session) -> list[AttendanceSheet]:
    sheets = session.attendance_sheets.select_related("uploaded_by")
    return list(sheets.order_by("uploaded_at", "id"))


@dataclass(frozen=True)
class ReportPage:
    session: Session
    event: CalendarEvent
    report: SessionReport | None
    modules: list[Module]
    trainers: list[Member]

    @property
    def is_submitted(self) -> bool:
        return self.report is not None and self.report.status == SessionReport.Status.SUBMITTED

    @property
    def is_writable(self) -> bool:
        """Trainers and organizers may still change it (permissions aside)."""
        return (
            not self.is_submitted
            and self.session.status != Session.Status.CANCELLED
            and self.session.cohort.status in WRITABLE_COHORT
        )

    @property
    def can_be_reopened(self) -> bool:
        return self.is_submitted and self.session.cohort.status in WRITABLE_COHORT

    @property
    def covered(self) -> list[Module]:
        return list(self.report.modules_covered.all()) if self.report else []

    @property
    def photos(self) -> list[SessionReportPhoto]:
        return list(self.report.photos.all()) if self.report else []


def session_report_page(*, session: Session) -> ReportPage:
    """The report (if any) with its modules and photos, the session's planned modules and
    its trainers: at most five queries. ``session`` must come from ``session_for_log``."""
    report = (
        SessionReport.objects.filter(session=session)
        .select_related("written_by", "reopened_by")
        .prefetch_related(
            Prefetch("modules_covered", queryset=Module.objects.order_by("position", "id")),
            Prefetch("photos", queryset=SessionReportPhoto.objects.order_by("uploaded_at", "id")),
        )
        .first()
    )
    if report is not None:
        report.session = session
    return ReportPage(
        session=session,
        event=CalendarEvent.of(session),
        report=report,
        modules=list(session.modules.order_by("position", "id")),
        trainers=list(session.trainers.only("id", "full_name").order_by("full_name")),
    )


def report_photo_get(*, session: Session, pk: int) -> SessionReportPhoto:
    """A photo of this session's report; ``SessionReportPhoto.DoesNotExist`` otherwise."""
    return SessionReportPhoto.objects.select_related("report").get(pk=pk, report__session=session)


def attendance_sheet_get(*, session: Session, pk: int) -> AttendanceSheet:
    """A signed sheet of this session; ``AttendanceSheet.DoesNotExist`` otherwise."""
    return AttendanceSheet.objects.get(pk=pk, session=session)


def with_report_status(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Each session with ``report_status`` ("draft", "submitted" or None) and ``has_started``,
    for the schedule's report badge: joined into the sessions query, no extra query."""
    return sessions.annotate(
        report_status=F("report__status"),
        has_started=ExpressionWrapper(Q(starts_at__lte=Now()), output_field=BooleanField()),
    )
