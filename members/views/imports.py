from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from members.exports import members_csv_response, members_xlsx_response
from members.filters import MemberFilter
from members.forms.imports import (
    MemberImportDecisionForm,
    MemberImportMappingForm,
    MemberImportUploadForm,
)
from members.models import MemberImport
from members.permissions import can_manage_members
from members.selectors import member_list
from members.services.imports import (
    MAPPABLE,
    member_import_choose,
    member_import_create,
    member_import_preview,
    member_import_set_mapping,
    member_import_start_validation,
)
from members.services.imports.report import described

REPORT_PAGE_SIZE = 50
RUNNING = (MemberImport.Status.VALIDATING, MemberImport.Status.IMPORTING)


def _ensure_manager(request: HttpRequest) -> None:
    if not can_manage_members(request.user):
        raise Http404


def _own_import(request: HttpRequest, pk: int) -> MemberImport:
    """An import is its uploader's (and superusers'); anyone else gets a 404."""
    _ensure_manager(request)
    imports = MemberImport.objects.select_related("default_organization")
    if not request.user.is_superuser:
        imports = imports.filter(uploaded_by=request.user)
    return get_object_or_404(imports, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    _ensure_manager(request)
    form = MemberImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            member_import = member_import_create(
                file=form.cleaned_data["file"],
                default_organization=form.cleaned_data["default_organization"],
                uploaded_by=request.user,
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("members:import_detail", pk=member_import.pk)
    recent = MemberImport.objects.filter(uploaded_by=request.user).select_related(
        "default_organization"
    )[:10]
    return render(request, "members/memberimport_form.html", {"form": form, "recent": recent})


def _map_and_validate(request: HttpRequest, member_import: MemberImport) -> HttpResponse | None:
    form = MemberImportMappingForm(request.POST, member_import=member_import)
    if form.is_valid():
        try:
            member_import_set_mapping(member_import=member_import, mapping=form.mapping())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            member_import_start_validation(member_import=member_import)
            return None
    return _detail_page(request, member_import, mapping_form=form)


def _decide(request: HttpRequest, member_import: MemberImport) -> HttpResponse | None:
    form = MemberImportDecisionForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    result = member_import_choose(member_import=member_import, only_valid_rows=form.only_valid_rows)
    if result.status == MemberImport.Status.VALIDATED:
        messages.warning(
            request,
            _(
                "The member list changed since the check, so nothing was imported. "
                "Look at the new report and choose again."
            ),
        )
    return None


def _detail_page(
    request: HttpRequest,
    member_import: MemberImport,
    *,
    mapping_form: MemberImportMappingForm | None = None,
) -> HttpResponse:
    status = member_import.status
    context = {"member_import": member_import, "running": status in RUNNING}
    if status in MAPPABLE:
        context["mapping_form"] = mapping_form or MemberImportMappingForm(
            member_import=member_import
        )
    if status == MemberImport.Status.UPLOADED:
        context["preview"] = member_import_preview(member_import=member_import)
    if status == MemberImport.Status.VALIDATED:
        page = Paginator(member_import.row_errors, REPORT_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context |= {"report_page": page, "report_rows": described(page.object_list)}
    return render(request, "members/memberimport_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member_import = _own_import(request, pk)
    if request.method == "POST":
        if "decision" in request.POST:
            response = _decide(request, member_import)
        else:
            response = _map_and_validate(request, member_import)
        if response is not None:
            return response
        return redirect("members:import_detail", pk=member_import.pk)
    return _detail_page(request, member_import)


@login_required
@require_GET
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar alone, polled by the detail page while a task runs."""
    member_import = _own_import(request, pk)
    context = {"member_import": member_import, "running": member_import.status in RUNNING}
    return render(request, "members/memberimport_progress.html", context)


@login_required
@require_GET
def member_export(request: HttpRequest) -> HttpResponse:
    """The member list as filtered on its page, as CSV (default) or XLSX.

    A bulk copy of phone numbers is an organizer's tool; trainers read members one by one.
    """
    export_format = request.GET.get("format", "csv")
    if not can_manage_members(request.user) or export_format not in ("csv", "xlsx"):
        raise Http404
    filterset = MemberFilter(request.GET, queryset=member_list(user=request.user), request=request)
    if not filterset.is_valid():
        return HttpResponseBadRequest()
    if export_format == "xlsx":
        return members_xlsx_response(members=filterset.qs, user=request.user)
    return members_csv_response(members=filterset.qs, user=request.user)
