"""The dashboard's per-participant table as CSV or XLSX, through the member export's
formula-safe writers (``members.exports``)."""

from collections.abc import Iterator
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Enrollment
from cohorts.selectors.dashboard import CohortDashboard, ParticipantRow
from members.exports import rows_csv_response, rows_xlsx_response

Cell = str | int | Decimal | None


def _header() -> list[Cell]:
    return [
        _("Name"),
        _("Status"),
        _("Sessions attended"),
        _("Sessions excused"),
        _("Sessions held"),
        _("Attendance (%)"),
        _("Sessions missed"),
        _("Pre-test (%)"),
        _("Best post-test (%)"),
        _("Gain (points)"),
        _("Post-test passed"),
        _("Completion reason"),
    ]


def _row(row: ParticipantRow, labels: dict[str, str]) -> list[Cell]:
    enrollment = row.enrollment
    return [
        row.name,
        labels[enrollment.status],
        row.attended,
        row.excused,
        row.held,
        row.attendance_percent,
        "; ".join(session.title for session in row.missed),
        row.pre_score,
        row.post_score,
        row.gain,
        _("yes") if row.post_passed else _("no"),
        enrollment.get_completion_reason_display(),
    ]


def dashboard_rows(*, dashboard: CohortDashboard) -> Iterator[list[Cell]]:
    """The header, then one row per participant; words translated now, not while the
    response streams."""
    labels = {str(value): str(label) for value, label in Enrollment.Status.choices}
    rows = [_header(), *(_row(row, labels) for row in dashboard.participants)]
    return iter(rows)


def _filename(dashboard: CohortDashboard, extension: str) -> str:
    day = timezone.localdate().isoformat()
    return f"dashboard-{dashboard.cohort.slug}-{day}.{extension}"


def dashboard_csv_response(*, dashboard: CohortDashboard) -> StreamingHttpResponse:
    return rows_csv_response(
        rows=dashboard_rows(dashboard=dashboard), filename=_filename(dashboard, "csv")
    )


def dashboard_xlsx_response(*, dashboard: CohortDashboard) -> FileResponse:
    return rows_xlsx_response(
        rows=dashboard_rows(dashboard=dashboard),
        filename=_filename(dashboard, "xlsx"),
        sheet_title=_("Participants"),
    )
