"""What check-in reads: the session a scanned code names, the trainer's screen (the current
code as a QR and six digits, and how many have checked in), and the enrollment a typed or
scanned e-ticket names."""

import datetime as dt
import re
from dataclasses import dataclass

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from cohorts.checkin_tokens import (
    CheckinCode,
    CheckinTokenError,
    checkin_code_at,
    session_id_from_token,
)
from cohorts.models import Attendance, Cohort, Enrollment, Session
from cohorts.selectors.schedule import CalendarEvent
from cohorts.services.attendance import ON_THE_ROLL
from cohorts.services.checkin import ATTENDED, CheckinError, checkin_window
from cohorts.tickets import enrollment_from_ticket_token, ticket_short_code

# What ticket.html prints under the QR: the enrollment's id, a dash, six letters/digits.
TICKET_SHORT_CODE = re.compile(r"^(\d{1,12})-([A-Z0-9]{6})$")


def session_for_checkin_token(*, token: str, now: dt.datetime) -> Session:
    """The session (with its cohort) a current, genuine code names; ``CheckinError``
    with the reason otherwise."""
    try:
        session_id = session_id_from_token(token, now=now)
    except CheckinTokenError as error:
        if error.expired:
            message = _(
                "This check-in code has expired. Scan the code on the trainer's screen again."
            )
        else:
            message = _("This check-in code is not valid. Scan the code on the trainer's screen.")
        raise CheckinError(message) from error
    session = Session.objects.select_related("cohort").filter(pk=session_id).first()
    if session is None:
        raise CheckinError(_("This session no longer exists."))
    return session


def _absolute(name: str, **kwargs) -> str:
    """An address for another person's phone: absolute, in the default language."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(name, kwargs=kwargs)
    return settings.SITE_URL.rstrip("/") + path


def checkin_url(token: str) -> str:
    """The address a participant's camera opens."""
    return _absolute("cohorts:checkin", token=token)


def checkin_typed_address() -> str:
    """Where to type the six digits, as a person reads it off a screen (no scheme)."""
    return _absolute("cohorts:checkin_typed").split("://", 1)[-1]


class ScreenState:
    BEFORE = "before"
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class CheckinScreen:
    session: Session
    event: CalendarEvent
    state: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    code: CheckinCode | None
    url: str
    seconds_left: int
    checked_in: int
    on_the_roll: int

    @property
    def typed_address(self) -> str:
        return checkin_typed_address()

    @property
    def qr_svg(self) -> SafeString:
        """The check-in address as an inline SVG QR code that scales with its container."""
        if not self.url:
            return mark_safe("")
        svg = segno.make(self.url, error="m").svg_inline(
            scale=1, border=4, omitsize=True, svgclass="checkin-qr", lineclass=None
        )
        # segno emits only its own markup.
        return mark_safe(svg)  # noqa: S308


def _state(session: Session, now: dt.datetime) -> str:
    if session.status == Session.Status.CANCELLED or session.cohort.status not in {
        Cohort.Status.OPEN,
        Cohort.Status.RUNNING,
    }:
        return ScreenState.CANCELLED
    opens, closes = checkin_window(session)
    if now < opens:
        return ScreenState.BEFORE
    return ScreenState.OPEN if now <= closes else ScreenState.CLOSED


def checkin_screen(*, session: Session, now: dt.datetime) -> CheckinScreen:
    """``session`` with its cohort loaded. Two queries: the counts."""
    state = _state(session, now)
    opens, closes = checkin_window(session)
    code = checkin_code_at(session_id=session.pk, now=now) if state == ScreenState.OPEN else None
    if code:
        seconds_left = max(1, int((code.changes_at - now).total_seconds()))
    elif state == ScreenState.BEFORE:
        seconds_left = max(1, int((opens - now).total_seconds()))
    else:
        seconds_left = 0
    return CheckinScreen(
        session=session,
        event=CalendarEvent.of(session),
        state=state,
        opens_at=opens,
        closes_at=closes,
        code=code,
        url=checkin_url(code.token) if code else "",
        seconds_left=seconds_left,
        checked_in=Attendance.objects.filter(session=session, status__in=ATTENDED).count(),
        on_the_roll=session.cohort.enrollments.filter(status__in=ON_THE_ROLL).count(),
    )


def enrollment_from_ticket_code(code: str) -> Enrollment | None:
    """The enrollment a scanned ticket token or a typed short code (``1234-K7QMX2``) names,
    with member and cohort, whatever its status; ``None`` when it names none."""
    code = code.strip()
    if ":" in code:
        return enrollment_from_ticket_token(code)
    match = TICKET_SHORT_CODE.match("".join(code.split()).upper())
    if match is None:
        return None
    enrollment = Enrollment.objects.select_related("member", "cohort").filter(pk=match[1]).first()
    if enrollment is None or not constant_time_compare(
        ticket_short_code(enrollment), match.group(0)
    ):
        return None
    return enrollment
