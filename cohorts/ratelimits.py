"""Counting POSTs to the registration page per client IP and per account.

Rates use allauth's syntax (``amount/period/per``: ``30/m/ip``, ``5/m/user``) and count in
the same cache as allauth's limits (Redis in production, so every web process shares
them). Fixed windows: simple, atomic with ``cache.incr``, and a burst at a window's edge
only doubles a limit that is generous anyway.
"""

import time
from dataclasses import dataclass

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    amount: int
    seconds: int
    per: str  # "ip" or "user"


def parse_rates(spec: str) -> list[Rate]:
    """``"30/m/ip,5/m/user"`` → rates; an empty spec means no limit."""
    rates = []
    for part in filter(None, (piece.strip() for piece in spec.split(","))):
        amount, period, per = part.split("/")
        if per not in {"ip", "user"}:
            raise ValueError(f"rate {part!r}: count per ip or per user")
        count = int(period[:-1] or 1)
        rates.append(Rate(int(amount), count * PERIODS[period[-1]], per))
    return rates


def _source(request: HttpRequest, rate: Rate) -> str | None:
    if rate.per == "user":
        return f"user:{request.user.pk}" if request.user.is_authenticated else None
    return f"ip:{get_adapter().get_client_ip(request)}"


def rate_limit_hit(request: HttpRequest, *, action: str, spec: str) -> bool:
    """Count this request against every rate of ``spec``; ``True`` when one is exceeded."""
    exceeded = False
    now = int(time.time())
    for rate in parse_rates(spec):
        source = _source(request, rate)
        if source is None:
            continue
        window = now // rate.seconds
        key = f"tot:rl:{action}:{rate.amount}/{rate.seconds}:{source}:{window}"
        cache.add(key, 0, timeout=rate.seconds + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: a new window
            cache.set(key, 1, timeout=rate.seconds + 1)
            count = 1
        exceeded = exceeded or count > rate.amount
    return exceeded


def registration_rate_limited(request: HttpRequest) -> bool:
    return rate_limit_hit(request, action="register", spec=settings.REGISTRATION_RATE_LIMITS)


def checkin_rate_limited(request: HttpRequest) -> bool:
    """Self check-in attempts, by scanned link or typed code (the code has six digits)."""
    return rate_limit_hit(request, action="checkin", spec=settings.CHECKIN_RATE_LIMITS)
