"""A cohort's registrations as CSV or XLSX, as safe against formulas as the member export
(``members.exports``): CSV cells that could start a formula get a leading apostrophe,
XLSX cells hold text as text. Times are written in the cohort's zone."""

from collections.abc import Iterator
from itertools import chain

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from cohorts import zones
from cohorts.models import Cohort, Enrollment
from cohorts.selectors.registrations_manage import question_label
from members.exports import ITERATOR_CHUNK_SIZE, Value, rows_csv_response, rows_xlsx_response
from members.models import Member

REGISTERED_AT_FORMAT = "%Y-%m-%d %H:%M"


def _header(cohort: Cohort, questions: list[str]) -> list[Value]:
    def member_label(name: str) -> str:
        return str(capfirst(Member._meta.get_field(name).verbose_name))

    return [
        member_label("full_name"),
        member_label("phone"),
        member_label("email"),
        member_label("organization"),
        member_label("region"),
        _("Status"),
        _("Registered at (%(zone)s)") % {"zone": cohort.zone_abbreviation},
        _("Place on the waiting list"),
        *[question_label(key) for key in questions],
        _("Source"),
    ]


def _row(
    enrollment: Enrollment, cohort: Cohort, labels: dict[str, str], questions: list[str]
) -> list[Value]:
    member = enrollment.member
    answers = enrollment.answers or {}
    return [
        member.full_name,
        member.phone.as_e164 if member.phone else "",
        member.email,
        member.organization.short_name,
        member.region.name if member.region else "",
        labels[enrollment.status],
        zones.local(enrollment.registered_at, cohort).strftime(REGISTERED_AT_FORMAT),
        enrollment.waitlist_position,
        *[str(answers.get(key) or "") for key in questions],
        labels[enrollment.source],
    ]


def registration_rows(
    *, cohort: Cohort, enrollments: QuerySet[Enrollment]
) -> Iterator[list[Value]]:
    """The header, then one row per registration; one query however many rows
    (``enrollments`` comes from ``cohort_registrations``). One answer column per question
    the cohort asks. Words are translated now, not while the response streams."""
    questions = [str(key) for key in cohort.registration_questions or []]
    labels = {  # status and source values never overlap
        str(value): str(label)
        for value, label in [*Enrollment.Status.choices, *Enrollment.Source.choices]
    }
    rows = (
        _row(enrollment, cohort, labels, questions)
        for enrollment in enrollments.iterator(chunk_size=ITERATOR_CHUNK_SIZE)
    )
    return chain([_header(cohort, questions)], rows)


def _filename(cohort: Cohort, extension: str) -> str:
    return f"registrations-{cohort.slug}-{timezone.localdate().isoformat()}.{extension}"


def registrations_csv_response(
    *, cohort: Cohort, enrollments: QuerySet[Enrollment]
) -> StreamingHttpResponse:
    return rows_csv_response(
        rows=registration_rows(cohort=cohort, enrollments=enrollments),
        filename=_filename(cohort, "csv"),
    )


def registrations_xlsx_response(
    *, cohort: Cohort, enrollments: QuerySet[Enrollment]
) -> FileResponse:
    return rows_xlsx_response(
        rows=registration_rows(cohort=cohort, enrollments=enrollments),
        filename=_filename(cohort, "xlsx"),
        sheet_title=_("Registrations"),
    )
