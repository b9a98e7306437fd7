"""The code a trainer's screen shows for self check-in: signed, for one session, changing.

Time is cut into buckets of ``CHECKIN_QR_ROTATION_SECONDS``; the code names a session and
a bucket, signed with the secret key under a salt of its own. A code is accepted during
its bucket and the next one, so a participant who scans just before the screen changes is
still let in, and a photo of the screen sent elsewhere stops working within two periods.

Next to the QR the screen shows six digits for typing, derived (HMAC) from the same
session and bucket. Six digits are guessable in isolation, so they only count for the
sessions the person typing them is confirmed in and that are open for check-in now, and
attempts are rate limited.

Every function takes ``now``: nothing here reads the clock.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "cohorts.checkin.session"
SHORT_CODE_SALT = "cohorts.checkin.short-code"
SHORT_CODE_DIGITS = 6
# A code is good in its own bucket and in this many after it.
GRACE_BUCKETS = 1


class CheckinTokenError(Exception):
    """A check-in code that cannot be used; ``expired`` tells a stale one from a bad one."""

    def __init__(self, *, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


@dataclass(frozen=True)
class CheckinCode:
    session_id: int
    bucket: int
    token: str
    short_code: str
    # When the screen should show the next code (this one stays good one period longer).
    changes_at: dt.datetime


def rotation_seconds() -> int:
    return max(1, int(settings.CHECKIN_QR_ROTATION_SECONDS))


def bucket_at(now: dt.datetime) -> int:
    return int(now.timestamp()) // rotation_seconds()


def bucket_starts_at(bucket: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(bucket * rotation_seconds(), tz=dt.UTC)


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT)


def checkin_token(*, session_id: int, bucket: int) -> str:
    """``<session>-<bucket>:<signature>``: short, so the QR stays coarse and easy to scan."""
    return _signer().sign(f"{session_id}-{bucket}")


def checkin_short_code(*, session_id: int, bucket: int) -> str:
    digest = salted_hmac(SHORT_CODE_SALT, f"{session_id}-{bucket}").digest()
    number = int.from_bytes(digest[:8]) % 10**SHORT_CODE_DIGITS
    return f"{number:0{SHORT_CODE_DIGITS}d}"


def checkin_code_at(*, session_id: int, now: dt.datetime) -> CheckinCode:
    bucket = bucket_at(now)
    return CheckinCode(
        session_id=session_id,
        bucket=bucket,
        token=checkin_token(session_id=session_id, bucket=bucket),
        short_code=checkin_short_code(session_id=session_id, bucket=bucket),
        changes_at=bucket_starts_at(bucket + 1),
    )


def _accepted_buckets(now: dt.datetime) -> range:
    current = bucket_at(now)
    return range(current - GRACE_BUCKETS, current + 1)


def session_id_from_token(token: str, *, now: dt.datetime) -> int:
    """The session a genuine, current token names; ``CheckinTokenError`` otherwise."""
    try:
        value = _signer().unsign(token)
    except signing.BadSignature as forged:
        raise CheckinTokenError(expired=False) from forged
    session_id, _, bucket = value.partition("-")
    if not (session_id.isdigit() and bucket.isdigit()):
        raise CheckinTokenError(expired=False)
    if int(bucket) not in _accepted_buckets(now):
        raise CheckinTokenError(expired=True)
    return int(session_id)


def short_code_matches(code: str, *, session_id: int, now: dt.datetime) -> bool:
    """Whether ``code`` is the session's typed code now or one period ago."""
    return any(
        constant_time_compare(code, checkin_short_code(session_id=session_id, bucket=bucket))
        for bucket in _accepted_buckets(now)
    )
