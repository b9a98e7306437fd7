"""The organizer's view of a cohort's outbox: what was sent to whom, by which channel and
when, what failed and why, the message itself as the member read it, and "send again"."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cohorts.messages import message_render
from cohorts.models import Notification
from cohorts.selectors.notifications import cohort_notification_counts, cohort_notifications
from cohorts.services.notifications import (
    RESENDABLE,
    notification_resend,
    notifications_dispatch_after_commit,
)
from cohorts.views import managed_cohort_or_404

MESSAGES_PER_PAGE = 50


def _choice(value: str, choices: type[Notification.Status] | type[Notification.Kind]) -> str:
    return value if value in choices.values else ""


@login_required
@require_GET
def cohort_messages(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = managed_cohort_or_404(request, slug)
    status = _choice(request.GET.get("status", ""), Notification.Status)
    kind = _choice(request.GET.get("kind", ""), Notification.Kind)
    notifications = cohort_notifications(cohort=cohort, status=status, kind=kind)
    page = Paginator(notifications, MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode(
        {name: value for name, value in (("status", status), ("kind", kind)) if value}
    )
    counts = cohort_notification_counts(cohort=cohort)
    context = {
        "cohort": cohort,
        "counts": counts,
        "page": page,
        "status": status,
        "kind": kind,
        "statuses": [(value, label, counts[value]) for value, label in Notification.Status.choices],
        "kinds": Notification.Kind.choices,
        "query_without_page": query,
        "resendable": RESENDABLE,
    }
    with timezone.override(cohort.time_zone):
        return render(request, "cohorts/messages_list.html", context)


@login_required
@require_GET
def cohort_message(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The message as its recipient reads it (rendered now, in their language)."""
    cohort = managed_cohort_or_404(request, slug)
    notification = get_object_or_404(
        cohort.notifications.select_related(
            "member", "recipient_user__member", "session__cohort", "enrollment__cohort"
        ),
        pk=pk,
    )
    context = {
        "cohort": cohort,
        "notification": notification,
        "message": message_render(notification, preview=True),
        "resendable": notification.status in RESENDABLE,
    }
    with timezone.override(cohort.time_zone):
        return render(request, "cohorts/message_detail.html", context)


@login_required
@require_POST
def cohort_message_resend(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    cohort = managed_cohort_or_404(request, slug)
    notification = get_object_or_404(cohort.notifications, pk=pk)
    if notification_resend(notification=notification).status == Notification.Status.SCHEDULED:
        notifications_dispatch_after_commit()
        messages.success(request, _("The message is queued to be sent again."))
    else:
        messages.warning(request, _("Only a failed or skipped message can be sent again."))
    return redirect("cohorts:messages", slug=cohort.slug)
