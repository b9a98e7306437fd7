"""Month and week calendars of sessions: an organizer's cohorts, and a trainer's own.

Both read ``view=month|week`` and ``date=YYYY-MM-DD``; anything else falls back to the
month around today (in Jakarta).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from cohorts.forms.calendar import CalendarFilterForm
from cohorts.models import Session
from cohorts.permissions import can_create_cohort
from cohorts.selectors.schedule import (
    CALENDAR_ZONE,
    MONTH,
    VIEWS,
    WEEK,
    build_agenda,
    build_calendar,
    grid_bounds,
    organizer_calendar_sessions,
    today_in,
    trainer_calendar_sessions,
    trains_any_session,
    upcoming_sessions_trained_by,
)

# Where a cohort's title leads from each calendar: the one place to change it.
ORGANIZER_COHORT_URL = "cohorts:manage_detail"
TRAINER_COHORT_URL = "cohorts:detail"
# Dates a calendar may show; anything else is a typo or a probe, and today is shown instead.
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)


@dataclass(frozen=True)
class _Period:
    view: str
    anchor: dt.date
    today: dt.date

    @property
    def bounds(self) -> dict[str, dt.date]:
        first_day, last_day = grid_bounds(view=self.view, anchor=self.anchor)
        return {"first_day": first_day, "last_day": last_day}


def _period_asked(query: QueryDict) -> _Period:
    today = today_in(CALENDAR_ZONE)
    view = query.get("view")
    if view not in VIEWS:
        view = MONTH
    try:
        anchor = dt.date.fromisoformat(query.get("date", ""))
    except ValueError:
        anchor = today
    if not EARLIEST_DATE <= anchor <= LATEST_DATE:
        anchor = today
    return _Period(view=view, anchor=anchor, today=today)


def _query_with(query: QueryDict, **changes: str | None) -> str:
    changed = query.copy()
    for key, value in changes.items():
        if value is None:
            changed.pop(key, None)
        else:
            changed[key] = value
    return changed.urlencode()


def _calendar_context(
    query: QueryDict, period: _Period, sessions: Iterable[Session]
) -> dict[str, object]:
    calendar = build_calendar(
        view=period.view, anchor=period.anchor, sessions=sessions, today=period.today
    )
    # Query strings for the links around the calendar; the filters stay as they are.
    links = {
        "previous": _query_with(query, view=period.view, date=calendar.previous.isoformat()),
        "next": _query_with(query, view=period.view, date=calendar.next.isoformat()),
        "today": _query_with(query, view=period.view, date=None),
        "month": _query_with(query, view=MONTH, date=period.anchor.isoformat()),
        "week": _query_with(query, view=WEEK, date=period.anchor.isoformat()),
    }
    return {"calendar": calendar, "links": links}


@login_required
def organizer_calendar(request: HttpRequest) -> HttpResponse:
    if not can_create_cohort(request.user):
        raise Http404
    filter_form = CalendarFilterForm(request.GET, user=request.user)
    period = _period_asked(request.GET)
    sessions = organizer_calendar_sessions(
        user=request.user, **period.bounds, **filter_form.applied()
    )
    context = _calendar_context(request.GET, period, sessions) | {
        "page_title": _("Calendar"),
        "filter_form": filter_form,
        "cohort_url_name": ORGANIZER_COHORT_URL,
        "link_public_cohorts_only": False,
    }
    return render(request, "cohorts/calendar.html", context)


@login_required
def my_sessions(request: HttpRequest) -> HttpResponse:
    """A trainer's own sessions: today's and the next ones as a list, then the calendar.
    Anyone logged in may open it; someone who trains nothing sees a short explanation."""
    context = {
        "page_title": _("My schedule"),
        "cohort_url_name": TRAINER_COHORT_URL,
        "link_public_cohorts_only": True,
        "is_trainer": trains_any_session(user=request.user),
    }
    if context["is_trainer"]:
        period = _period_asked(request.GET)
        sessions = trainer_calendar_sessions(user=request.user, **period.bounds)
        context |= _calendar_context(request.GET, period, sessions)
        context["upcoming"] = build_agenda(
            sessions=upcoming_sessions_trained_by(user=request.user), today=period.today
        )
    return render(request, "cohorts/calendar.html", context)
