"""E-tickets: a signed token naming one enrollment, shown as a QR code, read at check-in.

The token carries the enrollment's id and its random ``ticket_code``, signed with the
secret key under a salt of its own, so it can be neither forged nor pointed at another
enrollment; it does not expire (a training can be months away). Whether the enrollment
still holds a seat is for the reader to check: the token only says who it is.
"""

import hashlib

import segno
from django.core import signing
from django.utils.safestring import SafeString, mark_safe

from cohorts.models import Enrollment

SALT = "cohorts.tickets.enrollment"
# 32 letters and digits that cannot be mistaken for one another (no 0/O, 1/I).
SHORT_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def ticket_token_for(enrollment: Enrollment) -> str:
    return signing.dumps([enrollment.pk, enrollment.ticket_code], salt=SALT)


def enrollment_from_ticket_token(token: str) -> Enrollment | None:
    """The enrollment a token names, with its member and cohort; ``None`` for a forged,
    damaged or stale token (the enrollment is gone or its code was changed)."""
    try:
        pk, code = signing.loads(token, salt=SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(pk, int) or not isinstance(code, str):
        return None
    enrollments = Enrollment.objects.select_related("member", "cohort")
    return enrollments.filter(pk=pk, ticket_code=code).first()


def ticket_short_code(enrollment: Enrollment) -> str:
    """What a person can read out or type at the door: ``1234-K7QMX2``, the id and six
    characters derived from the ticket code."""
    number = int.from_bytes(hashlib.sha256(enrollment.ticket_code.encode()).digest()[:8])
    letters = ""
    for _ in range(6):
        number, index = divmod(number, len(SHORT_CODE_ALPHABET))
        letters += SHORT_CODE_ALPHABET[index]
    return f"{enrollment.pk}-{letters}"


def ticket_qr_svg(token: str, *, title: str) -> SafeString:
    """The token as an inline SVG QR code that scales with its container."""
    svg = segno.make(token, error="m").svg_inline(
        scale=1, border=4, omitsize=True, svgclass="ticket-qr", lineclass=None, title=title
    )
    # segno escapes the title and emits only its own markup.
    return mark_safe(svg)  # noqa: S308
