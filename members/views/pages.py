from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cohorts.selectors import cohorts_organized_by
from members.models import OrganizationRole
from members.selectors import member_for_user, organizations_for_role


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    organizer_of = list(
        organizations_for_role(user=request.user, role=OrganizationRole.Role.ORGANIZER)
    )
    trainer_for = list(
        organizations_for_role(user=request.user, role=OrganizationRole.Role.TRAINER)
    )
    context = {
        "member": member_for_user(user=request.user),
        "organizer_of": organizer_of,
        "trainer_for": trainer_for,
        "organized_cohorts": cohorts_organized_by(organizations=organizer_of)[:10],
    }
    return render(request, "members/dashboard.html", context)
