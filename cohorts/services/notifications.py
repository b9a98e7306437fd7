"""The notification outbox: schedule, cancel, claim and deliver messages.

A message is a ``Notification`` row with a unique dedupe key, written in the transaction
that causes it. The dispatcher (``cohorts.tasks.dispatch_notifications``, every minute)
claims due rows with ``SELECT … FOR UPDATE SKIP LOCKED`` and hands each id to a send task.
Delivery holds the row lock while the provider is called, so two deliveries of one row
never both send; a failure waits in the outbox for its next try (exponential backoff),
never in the broker.

What a killed worker leaves behind: a row still "sending". Its task is redelivered
(acks_late); if none comes, the dispatcher claims the row again after
NOTIFICATION_SENDING_TIMEOUT. If the provider had accepted the message but the worker
died before recording it, the retry carries the same idempotency key (WhatsApp, SMS) or
Message-ID (e-mail), which is what lets the provider or mail client drop the copy.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cohorts.channels import (
    PermanentDeliveryError,
    channels_for,
    recipient_of,
)
from cohorts.messages import message_render
from cohorts.models import Enrollment, Notification
from cohorts.selectors.follow_ups import FOLLOW_UP_KINDS, follow_up_skip_reason

UNSENT = (Notification.Status.SCHEDULED, Notification.Status.FAILED)
# What a member can stop from the link in every message; registration news always comes.
STOPPABLE = (Notification.Kind.SESSION_REMINDER, Notification.Kind.FOLLOW_UP)
RESENDABLE = (Notification.Status.FAILED, Notification.Status.SKIPPED)


@dataclass(frozen=True)
class Outcome:
    status: str
    detail: str = ""


def notification_schedule(
    *,
    member,
    kind: str,
    template: str,
    due_at: dt.datetime,
    dedupe_key: str,
    cohort=None,
    session=None,
    enrollment=None,
    context: dict | None = None,
) -> Notification:
    """Put a message in the outbox once: the same dedupe key twice returns the first row."""
    notification, _created = Notification.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={
            "member": member,
            "kind": kind,
            "template": template,
            "due_at": due_at,
            "cohort": cohort,
            "session": session,
            "enrollment": enrollment,
            "context": context or {},
        },
    )
    return notification


def outbox_add_new(rows: list[Notification], *, surely_new: bool = False) -> int:
    """Put these messages in the outbox unless they are there already; returns how many
    were added or taken up again. A message cancelled earlier under the same key (a seat
    lost and given back, a session moved away and back) is scheduled again for its new
    time; one already sent, being sent or given up on stays as it is. A row written
    concurrently under the same key is skipped by the unique constraint. ``surely_new``
    (keys of a registration made in this transaction) saves the look-up."""
    if surely_new:
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        return len(rows)
    existing = {
        notification.dedupe_key: notification
        for notification in Notification.objects.filter(
            dedupe_key__in=[row.dedupe_key for row in rows]
        ).only("pk", "dedupe_key", "status")
    }
    new = [row for row in rows if row.dedupe_key not in existing]
    revived = []
    for row in rows:
        known = existing.get(row.dedupe_key)
        if known is not None and known.status == Notification.Status.CANCELLED:
            known.status, known.due_at, known.attempts = (
                Notification.Status.SCHEDULED,
                row.due_at,
                0,
            )
            revived.append(known)
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    Notification.objects.bulk_update(revived, ["status", "due_at", "attempts"])
    return len(new) + len(revived)


def _dispatch_now() -> None:
    from cohorts import tasks  # the tasks module imports this one

    tasks.dispatch_notifications.delay()


def notifications_dispatch_after_commit() -> None:
    """Ask for a dispatcher run once this transaction commits, so a message due now goes
    out at once rather than at the next minute's beat; once per transaction however many
    messages it wrote. A broker that is down only delays it to the beat's next run."""
    pending = transaction.get_connection().run_on_commit
    if any(getattr(callback, "waiting_kick", False) for _ids, callback, _robust in pending):
        return

    def kick() -> None:
        kick.waiting_kick = False
        _dispatch_now()

    kick.waiting_kick = True
    transaction.on_commit(kick, robust=True)


def notifications_cancel(*, notifications: QuerySet[Notification]) -> int:
    """Cancel what has not gone out yet; sent and sending rows are left as they are."""
    return notifications.filter(status__in=UNSENT).update(status=Notification.Status.CANCELLED)


def notifications_claim_due(
    *, now: dt.datetime | None = None, limit: int | None = None
) -> list[int]:
    """Mark up to ``limit`` due rows as sending and return their ids. Rows another
    dispatcher holds are skipped, not waited for, so dispatchers never block each other."""
    now = now or timezone.now()
    limit = limit or settings.NOTIFICATION_DISPATCH_BATCH
    with transaction.atomic():
        ids = list(
            Notification.objects.filter(status=Notification.Status.SCHEDULED, due_at__lte=now)
            .order_by("due_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:limit]
        )
        Notification.objects.filter(pk__in=ids).update(
            status=Notification.Status.SENDING, claimed_at=now
        )
    return ids


def notifications_reclaim_stuck(*, now: dt.datetime | None = None) -> int:
    """Rows left "sending" by a dead worker go back to the queue; a row whose provider
    already answered is recorded as sent instead, so it is not sent again."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.NOTIFICATION_SENDING_TIMEOUT)
    with transaction.atomic():
        stuck = Notification.objects.filter(
            status=Notification.Status.SENDING, claimed_at__lt=cutoff
        ).select_for_update(skip_locked=True)
        stuck_ids = list(stuck.values_list("id", flat=True))
        rows = Notification.objects.filter(pk__in=stuck_ids)
        accepted = rows.exclude(provider_message_id="").update(
            status=Notification.Status.SENT, sent_at=now
        )
        requeued = rows.filter(provider_message_id="").update(
            status=Notification.Status.SCHEDULED, claimed_at=None
        )
    return accepted + requeued


def retry_delay(attempts: int) -> dt.timedelta:
    seconds = settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, settings.NOTIFICATION_RETRY_MAX_SECONDS))


def notification_deliver(*, notification_id: int) -> Outcome:
    """Send one claimed row. Safe to run twice for the same row: the second run finds it
    locked or no longer "sending" and does nothing."""
    with transaction.atomic():
        # The row alone, locked: a join over member, cohort, session and registration
        # costs more to build than the few small look-ups the message makes afterwards.
        notification = next(
            iter(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(pk=notification_id)
                .order_by()
            ),
            None,
        )
        if notification is None:
            return Outcome("busy")
        if notification.status != Notification.Status.SENDING:
            return Outcome("not-claimed", notification.status)
        if notification.provider_message_id:
            _record(notification, Notification.Status.SENT)
            return Outcome(Notification.Status.SENT, "already accepted")
        return _send(notification)


# What a registration message says, and the status it is news of: a message whose
# registration has moved on since (approved before "received" went out) is out of date.
REGISTRATION_NEWS = {
    "pending": Enrollment.Status.PENDING,
    "confirmed": Enrollment.Status.CONFIRMED,
    "promoted": Enrollment.Status.CONFIRMED,
    "waitlisted": Enrollment.Status.WAITLISTED,
    "rejected": Enrollment.Status.REJECTED,
    "cancelled": Enrollment.Status.CANCELLED,
    "cohort_cancelled": Enrollment.Status.CANCELLED,
}
Skip = Notification.SkipReason


def _out_of_date(notification: Notification) -> str:
    """A message that no longer fits what it is about (also after "send again")."""
    kind, enrollment = notification.kind, notification.enrollment
    news_of = REGISTRATION_NEWS.get(notification.template)
    if kind == Notification.Kind.REGISTRATION and news_of != enrollment.status:
        return Skip.OUTDATED
    if kind == Notification.Kind.SESSION_REMINDER:
        session = notification.session
        if session.status != session.Status.SCHEDULED or session.starts_at <= timezone.now():
            return Skip.SESSION_PASSED
        if enrollment is not None and enrollment.status != Enrollment.Status.CONFIRMED:
            return Skip.OUTDATED
    if kind == Notification.Kind.COHORT_CHANGED:
        newer_news = notification.context.get("sequence") != notification.session.sequence
        if newer_news or enrollment.status != Enrollment.Status.CONFIRMED:
            return Skip.OUTDATED
    if kind in FOLLOW_UP_KINDS:
        return follow_up_skip_reason(notification)
    return ""


def _reason_to_skip(notification: Notification) -> str:
    reason = _out_of_date(notification)
    if reason or notification.recipient_user_id:
        return reason  # an organizer's message: the member's own settings do not apply
    member = notification.member
    if notification.kind in STOPPABLE and member.reminders_stopped_at:
        return Skip.STOPPED
    if notification.kind in STOPPABLE and member.consent_withdrawn_at:
        return Skip.NO_CONSENT
    return ""


def _skip(notification: Notification, reason: str, detail: str = "") -> Outcome:
    notification.skip_reason, notification.last_error = reason, detail[:2000]
    _record(notification, Notification.Status.SKIPPED)
    return Outcome(Notification.Status.SKIPPED, reason)


def _send(notification: Notification) -> Outcome:
    notification.attempts += 1
    recipient = recipient_of(notification)
    channels = channels_for(recipient)
    reason = _reason_to_skip(notification) or ("" if channels else Skip.UNREACHABLE)
    if reason:
        return _skip(notification, reason)
    channel = channels[0]
    notification.channel = channel.name
    try:
        message = message_render(notification)
        notification.provider_message_id = channel.send(recipient, message)
    except PermanentDeliveryError as error:
        return _skip(notification, Skip.REFUSED, str(error))
    # Anything else (a provider that answers nonsense, a soft time limit, a template
    # error) is a failed try like a provider's 503: recorded and retried, never left
    # "sending" with its attempt uncounted.
    except Exception as error:  # noqa: BLE001
        notification.last_error = f"{type(error).__name__}: {error}"[:2000]
        if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            _record(notification, Notification.Status.FAILED)
            return Outcome(Notification.Status.FAILED, notification.last_error)
        notification.due_at = timezone.now() + retry_delay(notification.attempts)
        _record(notification, Notification.Status.SCHEDULED)
        return Outcome("retry", notification.last_error)
    notification.last_error = notification.skip_reason = ""
    _record(notification, Notification.Status.SENT)
    return Outcome(Notification.Status.SENT)


def _record(notification: Notification, status: str) -> None:
    notification.status = status
    if status == Notification.Status.SENT:
        notification.sent_at = timezone.now()
    if status != Notification.Status.SENDING:
        notification.claimed_at = None
    notification.save(
        update_fields=[
            "status",
            "attempts",
            "channel",
            "provider_message_id",
            "last_error",
            "skip_reason",
            "sent_at",
            "due_at",
            "claimed_at",
        ]
    )


def notification_resend(*, notification: Notification) -> Notification:
    """An organizer's "send again" for a failed or skipped message: back in the queue now."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification.pk)
        if notification.status not in RESENDABLE:
            return notification
        notification.status = Notification.Status.SCHEDULED
        notification.due_at = timezone.now()
        notification.attempts = 0
        notification.provider_message_id = ""
        notification.last_error = notification.skip_reason = ""
        notification.save(
            update_fields=[
                "status",
                "due_at",
                "attempts",
                "provider_message_id",
                "last_error",
                "skip_reason",
            ]
        )
    return notification
