"""iCalendar (RFC 5545) feeds of sessions, built with the icalendar library.

Calendar apps match an event on its UID and keep the copy with the highest SEQUENCE, so
a session keeps one UID for life and the sessions service bumps SEQUENCE on every change
a calendar shows. A cancelled session stays in the feed with STATUS:CANCELLED: an event
that simply disappears from a subscription lingers in some apps.
"""

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vDuration

from cohorts import zones
from cohorts.models import Cohort, Session

PRODID = "-//TOT Platform//Jadwal pelatihan//ID"
# Fixed rather than the request's host, so that an event keeps its UID whichever address
# the feed was fetched from.
UID_DOMAIN = "tot-platform"
# How often subscribers should fetch the feed again (Outlook and Apple read this).
REFRESH_INTERVAL = dt.timedelta(hours=1)

CohortUrl = Callable[[Cohort], str | None]


def session_uid(session: Session) -> str:
    return f"session-{session.uid}@{UID_DOMAIN}"


def _one_line(text: str) -> str:
    return ", ".join(line.strip() for line in text.splitlines() if line.strip())


def _location(session: Session) -> str:
    cohort = session.cohort
    parts = [cohort.venue_name.strip(), session.room.strip(), _one_line(cohort.venue_address)]
    return ", ".join(part for part in parts if part)


def _description(session: Session, cohort_url: str | None, with_online_link: bool) -> str:
    """Modules, trainers and links, in paragraphs; the title is already the summary."""
    cohort = session.cohort
    paragraphs = []
    modules = [f"- {module.title}" for module in session.modules.all()]
    if modules:
        paragraphs.append("\n".join([_("Modules:"), *modules]))
    trainers = ", ".join(trainer.full_name for trainer in session.trainers.all())
    if trainers:
        paragraphs.append(_("Trainers: %(names)s") % {"names": trainers})
    if with_online_link and cohort.online_url:
        paragraphs.append(_("Online link: %(url)s") % {"url": cohort.online_url})
    if cohort_url:
        paragraphs.append(_("Details: %(url)s") % {"url": cohort_url})
    return "\n\n".join(paragraphs)


def _summary(session: Session) -> str:
    summary = f"{session.title} — {session.cohort.title}"
    if session.status == Session.Status.CANCELLED:
        # For the apps that show a cancelled event instead of removing it.
        return _("Cancelled: %(summary)s") % {"summary": summary}
    return summary


def session_event(
    session: Session, *, stamp: dt.datetime, cohort_url: str | None, with_online_link: bool
) -> Event:
    """One session as a VEVENT, its times as wall-clock times in the cohort's zone."""
    cancelled = session.status == Session.Status.CANCELLED
    return Event.new(
        uid=session_uid(session),
        sequence=session.sequence,
        stamp=stamp,
        created=session.created_at,
        last_modified=session.updated_at,
        start=zones.local(session.starts_at, session.cohort),
        end=zones.local(session.ends_at, session.cohort),
        summary=_summary(session),
        location=_location(session) or None,
        description=_description(session, cohort_url, with_online_link) or None,
        url=cohort_url,
        status="CANCELLED" if cancelled else "CONFIRMED",
    )


def _main_time_zone(sessions: Sequence[Session]) -> str:
    zones_used = Counter(session.cohort.time_zone for session in sessions)
    return zones_used.most_common(1)[0][0] if zones_used else settings.TIME_ZONE


def _empty_calendar(*, name: str, time_zone: str) -> Calendar:
    calendar = Calendar()
    calendar.prodid = PRODID
    calendar.version = "2.0"
    calendar.method = "PUBLISH"
    calendar.calendar_name = name  # NAME and X-WR-CALNAME
    calendar.add("X-WR-TIMEZONE", time_zone)
    calendar.add("REFRESH-INTERVAL", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH_INTERVAL))
    return calendar


def sessions_calendar(
    *,
    name: str,
    sessions: Sequence[Session],
    cohort_url: CohortUrl,
    stamp: dt.datetime,
    time_zone: str | None = None,
    with_online_link: bool = False,
) -> Calendar:
    """A published calendar of the sessions, with a VTIMEZONE for every zone they use.

    ``time_zone`` is the calendar's own zone (default: the one most sessions use).
    ``cohort_url`` gives the absolute address of a cohort's page, or None where the reader
    cannot open one. Online meeting links go only into feeds of people who take part
    (``with_online_link``), never into a public one.
    """
    time_zone = time_zone or _main_time_zone(sessions)
    calendar = _empty_calendar(name=name, time_zone=time_zone)
    urls: dict[int, str | None] = {}
    for session in sessions:
        if session.cohort_id not in urls:
            urls[session.cohort_id] = cohort_url(session.cohort)
        calendar.add_component(
            session_event(
                session,
                stamp=stamp,
                cohort_url=urls[session.cohort_id],
                with_online_link=with_online_link,
            )
        )
    calendar.add_missing_timezones()
    if not calendar.subcomponents:
        # RFC 5545 wants at least one component; the calendar's zone is a harmless one.
        calendar.add_component(Timezone.from_tzid(time_zone))
    return calendar
