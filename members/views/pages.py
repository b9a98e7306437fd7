from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts.selectors import cohorts_organized_by
from cohorts.selectors.progression import member_progression
from members.filters import MemberFilter
from members.forms.members import ConsentForm, MemberForm, MessagePreferencesForm, ProfileForm
from members.message_links import member_from_preferences_token
from members.models import Member, OrganizationRole
from members.permissions import (
    can_change_member,
    can_list_members,
    can_manage_members,
    can_see_nik,
    organizations_managed_by,
)
from members.selectors import (
    member_for_user,
    member_get,
    member_list,
    organization_forest,
    organizations_for_role,
)
from members.services.members import (
    member_consent_give,
    member_consent_withdraw,
    member_create,
    member_message_preferences_update,
    member_profile_update,
    member_update,
)

MEMBERS_PER_PAGE = 50


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    organizer_of = list(
        organizations_for_role(user=request.user, role=OrganizationRole.Role.ORGANIZER)
    )
    trainer_for = list(
        organizations_for_role(user=request.user, role=OrganizationRole.Role.TRAINER)
    )
    organized_cohorts = cohorts_organized_by(organizations=organizations_managed_by(request.user))
    context = {
        "member": member_for_user(user=request.user),
        "organizer_of": organizer_of,
        "trainer_for": trainer_for,
        "organized_cohorts": organized_cohorts[:10] if organizer_of else [],
    }
    return render(request, "members/dashboard.html", context)


@login_required
def member_list_page(request: HttpRequest) -> HttpResponse:
    if not can_list_members(request.user):
        raise Http404
    member_filter = MemberFilter(
        request.GET, queryset=member_list(user=request.user), request=request
    )
    page = Paginator(member_filter.qs, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    return render(
        request,
        "members/member_list.html",
        {
            "filter": member_filter,
            "page": page,
            "query_without_page": query_without_page.urlencode(),
            "can_manage": can_manage_members(request.user),
        },
    )


def _member_or_404(request: HttpRequest, pk: int) -> Member:
    try:
        return member_get(user=request.user, pk=pk)
    except Member.DoesNotExist as missing:
        raise Http404 from missing


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_or_404(request, pk)
    return render(
        request,
        "members/member_detail.html",
        {
            "member": member,
            "show_nik": can_see_nik(request.user, member),
            "can_change": can_change_member(request.user, member),
            "progression": member_progression(member=member),
        },
    )


@login_required
def member_create_page(request: HttpRequest) -> HttpResponse:
    if not can_manage_members(request.user):
        raise Http404
    form = MemberForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        member = member_create(data=form.cleaned_data, created_by=request.user)
        messages.success(request, _("Member %(name)s added.") % {"name": member.full_name})
        return redirect("members:member_detail", pk=member.pk)
    return render(request, "members/member_form.html", {"form": form})


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_or_404(request, pk)
    if not can_change_member(request.user, member):
        raise Http404
    form = MemberForm(request.POST or None, instance=member, user=request.user)
    if request.method == "POST" and form.is_valid():
        changed = {field: form.cleaned_data[field] for field in form.changed_data}
        member_update(member=member, data=changed, updated_by=request.user)
        messages.success(request, _("Changes saved."))
        return redirect("members:member_detail", pk=member.pk)
    return render(request, "members/member_form.html", {"form": form, "member": member})


@login_required
def organization_tree(request: HttpRequest) -> HttpResponse:
    if not can_list_members(request.user):
        raise Http404
    return render(
        request,
        "members/organization_tree.html",
        {"forest": organization_forest(user=request.user)},
    )


def _own_member_or_404(request: HttpRequest) -> Member:
    member = member_for_user(user=request.user)
    if member is None:
        raise Http404
    return member


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    member = _own_member_or_404(request)
    form = ProfileForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        changed = {field: form.cleaned_data[field] for field in form.changed_data}
        member_profile_update(member=member, data=changed, user=request.user)
        messages.success(request, _("Your record is updated."))
        return redirect("members:profile")
    context = {"member": member, "form": form, "progression": member_progression(member=member)}
    return render(request, "members/profile.html", context)


@login_required
@require_POST
def consent(request: HttpRequest) -> HttpResponse:
    member = _own_member_or_404(request)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether you agree."))
    elif form.cleaned_data["decision"] == "give":
        member_consent_give(member=member, user=request.user)
        messages.success(request, _("Thank you: your consent is recorded."))
    else:
        member_consent_withdraw(member=member, user=request.user)
        messages.info(request, _("Your consent is withdrawn."))
    return redirect("members:profile")


def message_preferences(request: HttpRequest, token: str) -> HttpResponse:
    """Opened from the link in a message, without logging in: how the member is reached."""
    member = member_from_preferences_token(token)
    if member is None:
        raise Http404
    initial = {
        "channel": member.preferred_channel,
        "language": member.preferred_language,
        "stop_reminders": member.reminders_stopped_at is not None,
    }
    form = MessagePreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            member_message_preferences_update(member=member, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Your message settings are saved."))
            return redirect("members:message_preferences", token=token)
    context = {"member": member, "form": form}
    return render(request, "members/message_preferences.html", context)
