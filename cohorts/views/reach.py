"""The reach report for organizers: one TOT or every TOT their organizations organize,
filtered by the end date of trainings and by the members' organization, on a page with
server-drawn bars and as CSV/XLSX. It shows counts only, never members' names, so an
organizer of a partner confederation may read a joint TOT's figures. Anyone without an
organizer's role gets a 404."""

from collections.abc import Iterable

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cohorts.forms.reach import ReachFilterForm
from cohorts.reach_exports import reach_csv_response, reach_xlsx_response
from cohorts.selectors.dashboard import svg_number
from cohorts.selectors.progression import Stage, StageCount
from cohorts.selectors.reach_report import ReachReport, reach_report, tots_in_reach
from members.permissions import reach_of

EXPORT_FORMATS = ("csv", "xlsx")


def _organizer_or_404(request: HttpRequest) -> None:
    if not reach_of(request.user).is_organizer:
        raise Http404


def _form_and_report(request: HttpRequest) -> tuple[ReachFilterForm, ReachReport | None]:
    """The filters from the query string and, when they are valid, the report."""
    form = ReachFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return form, None
    tot = form.cleaned_data["tot"]
    if tot is not None:
        root_ids = [tot.pk]
    else:
        root_ids = tots_in_reach(user=request.user).values_list("pk", flat=True)
    return form, reach_report(root_ids=root_ids, filters=form.filters())


def _width(part: int, whole: int) -> str:
    return svg_number(100 * part / whole) if whole else "0"


def _with_widths(items: Iterable, value: str, whole: int | None = None) -> list[tuple]:
    """Each item with its bar's width: its share of ``whole`` (default: the largest)."""
    items = list(items)
    whole = whole if whole is not None else max((getattr(i, value) for i in items), default=0)
    return [(item, _width(getattr(item, value), whole)) for item in items]


def _stages(report: ReachReport) -> list[StageCount]:
    counts = report.progression
    return [
        StageCount(Stage.PARTICIPANT.label, counts.participants),
        StageCount(Stage.CO_FACILITATOR.label, counts.co_facilitators),
        StageCount(Stage.TRAINER.label, counts.trainers),
    ]


def _charts(report: ReachReport) -> dict:
    total = report.members_reached
    return {
        "generations": _with_widths(report.generations, "members_reached"),
        "knowledge": [
            (
                g,
                svg_number(float(g.knowledge.average_pre)),
                svg_number(float(g.knowledge.average_post)),
            )
            for g in report.generations
            if g.knowledge.took_both
        ],
        "provinces": [
            (province, width, _with_widths(province.parts, "members", total))
            for province, width in _with_widths(report.provinces, "members", total)
        ],
        "confederations": [
            (top, width, _with_widths(top.parts, "members", total))
            for top, width in _with_widths(report.confederations, "members", total)
        ],
        "buckets": _with_widths(report.first_cascades.buckets, "graduates"),
        "stages": _with_widths(_stages(report), "members", report.progression.members),
    }


def _render_page(
    request: HttpRequest, form: ReachFilterForm, report: ReachReport | None, status: int = 200
) -> HttpResponse:
    query = request.GET.copy()
    query.pop("format", None)
    context = {
        "form": form,
        "report": report,
        "tot": form.cleaned_data.get("tot") if report is not None else None,
        "export_query": query.urlencode(),
        **(_charts(report) if report is not None else {}),
    }
    return render(request, "cohorts/reach_report.html", context, status=status)


@login_required
@require_GET
def reach_page(request: HttpRequest) -> HttpResponse:
    _organizer_or_404(request)
    form, report = _form_and_report(request)
    return _render_page(request, form, report)


@login_required
@require_GET
def reach_export(request: HttpRequest) -> HttpResponse:
    """The report as CSV (default) or XLSX; filters that do not validate answer with the
    page and its messages (400), and nothing is downloaded."""
    _organizer_or_404(request)
    export_format = request.GET.get("format", "csv")
    if export_format not in EXPORT_FORMATS:
        raise Http404
    form, report = _form_and_report(request)
    if report is None:
        return _render_page(request, form, report, status=400)
    arguments = {"report": report, "tot": form.cleaned_data["tot"], "filters": form.filters()}
    if export_format == "xlsx":
        return reach_xlsx_response(**arguments)
    return reach_csv_response(**arguments)
