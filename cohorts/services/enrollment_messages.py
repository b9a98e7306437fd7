"""Telling a member what happened to their registration.

Until the notification outbox exists (issue 8), this sends an e-mail after the
transaction commits, in the member's language; the outbox will take over this one
function, so callers do not change.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from cohorts.models import Enrollment

SUBJECTS = {
    "pending": _("Registration received: %(cohort)s"),
    "confirmed": _("Your seat is confirmed: %(cohort)s"),
    "waitlisted": _("You are on the waiting list: %(cohort)s"),
    "promoted": _("A seat came free for you: %(cohort)s"),
    "rejected": _("Your registration was not accepted: %(cohort)s"),
    "cancelled": _("Registration cancelled: %(cohort)s"),
    "cohort_cancelled": _("Training cancelled: %(cohort)s"),
}
KINDS = tuple(SUBJECTS)


def _send(enrollment_id: int, kind: str, note: str) -> None:
    enrollment = Enrollment.objects.select_related("member", "cohort").get(pk=enrollment_id)
    member = enrollment.member
    if not member.email:
        return
    with translation.override(member.preferred_language or settings.LANGUAGE_CODE):
        context = {"enrollment": enrollment, "member": member, "cohort": enrollment.cohort}
        context |= {"kind": kind, "note": note, "site_url": settings.SITE_URL.rstrip("/")}
        subject = str(SUBJECTS[kind]) % {"cohort": enrollment.cohort.title}
        body = render_to_string("cohorts/email/enrollment_message.txt", context)
    send_mail(subject, body, None, [member.email])


def enrollment_notify(*, enrollment: Enrollment, kind: str, note: str = "") -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown enrollment message {kind!r}")
    enrollment_id = enrollment.pk
    # robust: the change is committed; a mail server that is down is logged, and must not
    # turn the member's successful registration into an error page.
    transaction.on_commit(lambda: _send(enrollment_id, kind, note), robust=True)
