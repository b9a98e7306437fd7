"""iCalendar feeds and the page that hands out a person's own feed address.

Calendar apps fetch a feed without logging in, so the personal feed's token is its only
secret: the address must not be cached by shared caches, and its owner can reset it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from icalendar import Calendar

from cohorts.ical import CohortUrl, sessions_calendar
from cohorts.models import Cohort
from cohorts.selectors import PUBLIC_STATUSES
from cohorts.selectors.calendars import (
    calendar_feed_owner,
    cohort_feed_get,
    cohort_feed_sessions,
    personal_feed_sessions,
)
from cohorts.services.calendars import calendar_token_for, calendar_token_reset

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _ics_response(calendar: Calendar, *, filename: str) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _public_cohort_url(request: HttpRequest) -> CohortUrl:
    def cohort_url(cohort: Cohort) -> str | None:
        if cohort.status not in PUBLIC_STATUSES:
            return None
        return request.build_absolute_uri(reverse("cohorts:detail", kwargs={"slug": cohort.slug}))

    return cohort_url


@require_GET
def cohort_feed(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        cohort = cohort_feed_get(slug=slug)
    except Cohort.DoesNotExist as missing:
        raise Http404 from missing
    calendar = sessions_calendar(
        name=cohort.title,
        sessions=list(cohort_feed_sessions(cohort=cohort)),
        cohort_url=_public_cohort_url(request),
        stamp=timezone.now(),
        time_zone=cohort.time_zone,
    )
    return _ics_response(calendar, filename=f"{cohort.slug}.ics")


@never_cache
@require_GET
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    user = calendar_feed_owner(token=token)
    if user is None:
        raise Http404
    calendar = sessions_calendar(
        name=_("My TOT sessions"),
        sessions=list(personal_feed_sessions(user=user)),
        cohort_url=_public_cohort_url(request),
        stamp=timezone.now(),
        with_online_link=True,
    )
    response = _ics_response(calendar, filename="tot-sessions.ics")
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@login_required
def calendar_subscription(request: HttpRequest) -> HttpResponse:
    feed_token = calendar_token_for(user=request.user)
    feed_url = request.build_absolute_uri(
        reverse("cohorts:personal_feed", kwargs={"token": feed_token.token})
    )
    context = {
        "feed_url": feed_url,
        "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
        "session_count": personal_feed_sessions(user=request.user).count(),
    }
    return render(request, "cohorts/calendar_subscription.html", context)


@login_required
@require_POST
def calendar_token_reset_page(request: HttpRequest) -> HttpResponse:
    calendar_token_reset(user=request.user)
    messages.success(
        request,
        _(
            "Your calendar has a new address. The old one no longer works: subscribe again "
            "with the address below wherever you used it."
        ),
    )
    return redirect("cohorts:calendar_subscription")
