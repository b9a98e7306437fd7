"""The reach report's figures as CSV or XLSX, through the member export's formula-safe
writers (``members.exports``).

XLSX: one sheet per table (summary with the filters, generations, places, organizations,
first cascades, trainer path). CSV: one file, one figure per line — section, row, sub-row, column,
value — so that every table fits the same columns.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Cohort
from cohorts.selectors.progression import Stage
from cohorts.selectors.reach_report import (
    OrganizationCount,
    PlaceCount,
    ReachFilters,
    ReachReport,
)
from members.exports import rows_csv_response, sheets_xlsx_response

Cell = str | int | Decimal | None


@dataclass(frozen=True)
class Table:
    """A sheet: its header, and rows whose first ``keys`` cells name the row."""

    title: str
    header: list[str]
    keys: int
    rows: list[list[Cell]]


def _rounded(value: float | None, places: str = "0.01") -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(places), ROUND_HALF_UP)


def _percent(share: float | None) -> Decimal | None:
    return None if share is None else _rounded(share * 100, "0.1")


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _summary(report: ReachReport, tot: Cohort | None, filters: ReachFilters) -> Table:
    organization = filters.organization
    first = report.first_cascades
    rows: list[list[Cell]] = [
        [_("TOT"), tot.title if tot else _("All TOTs of your organizations")],
        [_("Members of"), organization.short_name if organization else _("All organizations")],
        [_("Trainings ending from"), _day(filters.ends_from)],
        [_("Trainings ending until"), _day(filters.ends_until)],
        [_("Members reached"), report.members_reached],
        [_("TOT graduates"), report.tot_graduates],
        [_("Reached by cascades"), report.reached_by_cascades],
        [_("Multiplier"), _rounded(report.multiplier)],
        [_("Graduates who ran a cascade"), report.graduates_who_cascaded],
        [_("Graduates who ran a cascade (%)"), _percent(report.share_who_cascaded)],
        [_("Median days to the first cascade"), _rounded(first.median_days, "0.1")],
        [_("Average days to the first cascade"), first.average_days],
        [_("Placed by the region of their training"), report.by_training_region],
    ]
    return Table(_("Summary"), [_("Figure"), _("Value")], 1, rows)


def _generations(report: ReachReport) -> Table:
    header = [
        _("Generation"),
        _("Trainings"),
        _("Members reached"),
        _("Took both tests"),
        _("Average pre-test (%)"),
        _("Average best post-test (%)"),
        _("Average gain (points)"),
    ]
    rows: list[list[Cell]] = [
        [
            g.generation,
            g.cohorts,
            g.members_reached,
            g.knowledge.took_both,
            g.knowledge.average_pre,
            g.knowledge.average_post,
            g.knowledge.average_gain,
        ]
        for g in report.generations
    ]
    return Table(_("Generations"), header, 1, rows)


def _place_rows(province: PlaceCount) -> Iterator[list[Cell]]:
    yield [province.name, _("Total"), province.members, province.by_training]
    for regency in province.parts:
        name = regency.name if regency.region_id else _("Regency/city not known")
        yield [province.name, name, regency.members, regency.by_training]


def _places(report: ReachReport) -> Table:
    header = [
        _("Province"),
        _("Regency/city"),
        _("Members reached"),
        _("Placed by the region of their training"),
    ]
    rows = [row for province in report.provinces for row in _place_rows(province)]
    return Table(_("Provinces"), header, 2, rows)


def _organization_rows(confederation: OrganizationCount) -> Iterator[list[Cell]]:
    top = confederation.short_name or _("Outside any confederation")
    yield [top, _("Total"), confederation.members]
    for federation in confederation.parts:
        yield [top, federation.short_name or _("No federation"), federation.members]


def _organizations(report: ReachReport) -> Table:
    header = [_("Confederation"), _("Federation"), _("Members reached")]
    rows = [row for top in report.confederations for row in _organization_rows(top)]
    return Table(_("Organizations"), header, 2, rows)


def _first_cascades(report: ReachReport) -> Table:
    rows: list[list[Cell]] = [
        [str(bucket.label), bucket.graduates] for bucket in report.first_cascades.buckets
    ]
    header = [_("Days from the TOT's end to the first cascade"), _("Graduates")]
    return Table(_("First cascades"), header, 1, rows)


def _progression(report: ReachReport) -> Table:
    counts = report.progression
    rows: list[list[Cell]] = [
        [str(Stage.PARTICIPANT.label), counts.participants],
        [str(Stage.CO_FACILITATOR.label), counts.co_facilitators],
        [str(Stage.TRAINER.label), counts.trainers],
        [_("Ever co-facilitated"), counts.ever_co_facilitated],
        [_("Ever led a training"), counts.ever_led],
    ]
    return Table(_("Trainer path"), [_("Step"), _("Members reached")], 1, rows)


def reach_tables(*, report: ReachReport, tot: Cohort | None, filters: ReachFilters) -> list[Table]:
    """Every table of the report, words translated now (not while a response streams)."""
    return [
        _summary(report, tot, filters),
        _generations(report),
        _places(report),
        _organizations(report),
        _first_cascades(report),
        _progression(report),
    ]


def _csv_rows(tables: list[Table]) -> list[list[Cell]]:
    rows: list[list[Cell]] = [[_("Section"), _("Row"), _("Sub-row"), _("Column"), _("Value")]]
    for table in tables:
        for row in table.rows:
            names = [*row[: table.keys], "", ""][:2]
            rows.extend(
                [table.title, *names, column, value]
                for column, value in zip(table.header[table.keys :], row[table.keys :], strict=True)
            )
    return rows


def _filename(tot: Cohort | None, extension: str) -> str:
    scope = tot.slug if tot else "all"
    return f"reach-{scope}-{timezone.localdate().isoformat()}.{extension}"


def reach_csv_response(
    *, report: ReachReport, tot: Cohort | None, filters: ReachFilters
) -> StreamingHttpResponse:
    tables = reach_tables(report=report, tot=tot, filters=filters)
    return rows_csv_response(rows=iter(_csv_rows(tables)), filename=_filename(tot, "csv"))


def reach_xlsx_response(
    *, report: ReachReport, tot: Cohort | None, filters: ReachFilters
) -> FileResponse:
    tables = reach_tables(report=report, tot=tot, filters=filters)
    return sheets_xlsx_response(
        sheets=[(table.title, [table.header, *table.rows]) for table in tables],
        filename=_filename(tot, "xlsx"),
    )
