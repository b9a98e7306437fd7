"""What each outbox message says, rendered at send time in the member's language.

The outbox row holds only a template key and ids; the text is made here, so an edit to a
session before the reminder goes out is reflected, and no message text sits in the
broker or the database."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohorts.channels import RenderedMessage
from cohorts.models import Notification
from cohorts.zones import local
from members.message_links import preferences_token
from members.models import Member

ENROLLMENT_SUBJECTS = {
    "pending": gettext_lazy("Registration received: %(cohort)s"),
    "confirmed": gettext_lazy("Your seat is confirmed: %(cohort)s"),
    "waitlisted": gettext_lazy("You are on the waiting list: %(cohort)s"),
    "promoted": gettext_lazy("A seat came free for you: %(cohort)s"),
    "rejected": gettext_lazy("Your registration was not accepted: %(cohort)s"),
    "cancelled": gettext_lazy("Registration cancelled: %(cohort)s"),
    "cohort_cancelled": gettext_lazy("Training cancelled: %(cohort)s"),
}


def _site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def preferences_url(member: Member) -> str:
    path = reverse("members:message_preferences", kwargs={"token": preferences_token(member)})
    return f"{_site_url()}{path}"


def _registration(notification: Notification) -> RenderedMessage:
    enrollment = notification.enrollment
    cohort = enrollment.cohort
    kind = notification.template
    context = {
        "enrollment": enrollment,
        "member": notification.member,
        "cohort": cohort,
        "kind": kind,
        "note": notification.context.get("note", ""),
        "site_url": _site_url(),
        "preferences_url": preferences_url(notification.member),
    }
    body = render_to_string("cohorts/email/enrollment_message.txt", context)
    subject = str(ENROLLMENT_SUBJECTS[kind]) % {"cohort": cohort.title}
    return RenderedMessage(
        subject=subject,
        body=body,
        idempotency_key=notification.dedupe_key,
        whatsapp_template="tot_registration_update",
        whatsapp_parameters=[
            notification.member.full_name,
            subject,
            _site_url(),
            preferences_url(notification.member),
        ],
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


def _session_reminder(notification: Notification) -> RenderedMessage:
    session = notification.session
    cohort = session.cohort
    starts = local(session.starts_at, cohort)
    when = "{} {} {}".format(
        date_format(starts, "l, j F Y"), date_format(starts, "H:i"), cohort.zone_abbreviation
    )
    context = {
        "member": notification.member,
        "session": session,
        "cohort": cohort,
        "when": when,
        "enrollment": notification.enrollment,
        "site_url": _site_url(),
        "preferences_url": preferences_url(notification.member),
    }
    body = render_to_string("cohorts/email/session_reminder.txt", context)
    subject = _("Reminder: %(session)s, %(when)s") % {"session": session.title, "when": when}
    return RenderedMessage(
        subject=subject,
        body=body,
        idempotency_key=notification.dedupe_key,
        whatsapp_template="tot_session_reminder",
        whatsapp_parameters=[
            notification.member.full_name,
            session.title,
            when,
            cohort.venue_name or "-",
            preferences_url(notification.member),
        ],
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


RENDERERS = {
    Notification.Kind.REGISTRATION: _registration,
    Notification.Kind.SESSION_REMINDER: _session_reminder,
}


def message_render(notification: Notification) -> RenderedMessage:
    language = notification.member.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        return RENDERERS[notification.kind](notification)
