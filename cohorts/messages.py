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

from cohorts.channels import RenderedMessage, recipient_of
from cohorts.models import FollowUpStep, Notification
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


def _registration(notification: Notification, preferences: str) -> RenderedMessage:
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
        "preferences_url": preferences,
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
            preferences,
        ],
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


def _when(session) -> str:
    """ "Kamis, 3 Desember 2026 09.00 WITA": the day and time in the cohort's zone."""
    starts = local(session.starts_at, session.cohort)
    zone = session.cohort.zone_abbreviation
    return f"{date_format(starts, 'l, j F Y')} {date_format(starts, 'H:i')} {zone}"


def _session_reminder(notification: Notification, preferences: str) -> RenderedMessage:
    session = notification.session
    cohort = session.cohort
    when = _when(session)
    context = {
        "member": notification.member,
        "session": session,
        "cohort": cohort,
        "when": when,
        "enrollment": notification.enrollment,
        "site_url": _site_url(),
        "preferences_url": preferences,
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
            preferences,
        ],
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


def _session_news(notification: Notification, preferences: str) -> RenderedMessage:
    session = notification.session
    cohort = session.cohort
    when = _when(session)
    context = {
        "member": notification.member,
        "session": session,
        "cohort": cohort,
        "when": when,
        "cancelled": notification.template == "session_cancelled",
        "enrollment": notification.enrollment,
        "site_url": _site_url(),
        "preferences_url": preferences,
    }
    body = render_to_string("cohorts/email/session_news.txt", context)
    if context["cancelled"]:
        subject = _("Cancelled: %(session)s, %(when)s") % {"session": session.title, "when": when}
    else:
        subject = _("Moved: %(session)s, now %(when)s") % {"session": session.title, "when": when}
    return RenderedMessage(
        subject=subject,
        body=body,
        idempotency_key=notification.dedupe_key,
        whatsapp_template=f"tot_{notification.template}",
        whatsapp_parameters=[notification.member.full_name, session.title, when, preferences],
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


FOLLOW_UP_SUBJECTS = {
    FollowUpStep.PLAN: gettext_lazy("Your cascade plan after %(cohort)s"),
    FollowUpStep.SCHEDULE: gettext_lazy("Time to schedule your cascade training"),
    FollowUpStep.FIRST_SESSION: gettext_lazy("Has your cascade training started?"),
}


def _follow_up(notification: Notification, preferences: str) -> RenderedMessage:
    cohort = notification.cohort
    context = {
        "member": notification.member,
        "cohort": cohort,
        "step": notification.template,
        "site_url": _site_url(),
        "preferences_url": preferences,
    }
    body = render_to_string("cohorts/email/follow_up.txt", context)
    subject = str(FOLLOW_UP_SUBJECTS[notification.template]) % {"cohort": cohort.title}
    return RenderedMessage(
        subject=subject,
        body=body,
        idempotency_key=notification.dedupe_key,
        whatsapp_template=f"tot_follow_up_{notification.template}",
        whatsapp_parameters=[
            notification.member.full_name,
            cohort.title,
            _site_url(),
            preferences,
        ],
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


def _escalation(notification: Notification, preferences: str) -> RenderedMessage:
    cohort, graduate = notification.cohort, notification.member
    context = {
        "graduate": graduate,
        "cohort": cohort,
        "days": (notification.due_at.date() - cohort.ends_on).days,
        "site_url": _site_url(),
    }
    body = render_to_string("cohorts/email/follow_up_escalation.txt", context)
    subject = _("No cascade training yet: %(name)s (%(cohort)s)") % {
        "name": graduate.full_name,
        "cohort": cohort.title,
    }
    return RenderedMessage(
        subject=subject,
        body=body,
        idempotency_key=notification.dedupe_key,
        whatsapp_template="tot_follow_up_escalation",
        whatsapp_parameters=[graduate.full_name, cohort.title, _site_url()],
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


RENDERERS = {
    Notification.Kind.REGISTRATION: _registration,
    Notification.Kind.SESSION_REMINDER: _session_reminder,
    Notification.Kind.COHORT_CHANGED: _session_news,
    Notification.Kind.FOLLOW_UP: _follow_up,
    Notification.Kind.ESCALATION: _escalation,
}


def message_render(notification: Notification, *, preview: bool = False) -> RenderedMessage:
    """The message in its recipient's language (the organizer's, for an escalation). A
    preview for organizers carries a stand-in for the member's settings link: that link
    needs no login, so it belongs to the member alone."""
    language = recipient_of(notification).preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        if preview:
            preferences = "[" + _("the member's own settings link") + "]"
        else:
            preferences = preferences_url(notification.member)
        return RENDERERS[notification.kind](notification, preferences)
