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
    TransientDeliveryError,
    channels_for,
)
from cohorts.messages import message_render
from cohorts.models import Notification

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
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("member", "cohort", "session__cohort", "enrollment__cohort")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None:
            return Outcome("busy")
        if notification.status != Notification.Status.SENDING:
            return Outcome("not-claimed", notification.status)
        if notification.provider_message_id:
            _record(notification, Notification.Status.SENT)
            return Outcome(Notification.Status.SENT, "already accepted")
        return _send(notification)


def _reason_to_skip(notification: Notification) -> str:
    member = notification.member
    if notification.kind in STOPPABLE and member.reminders_stopped_at:
        return "the member stopped reminders and follow-ups"
    if notification.kind in STOPPABLE and member.consent_withdrawn_at:
        return "the member withdrew consent"
    return ""


def _send(notification: Notification) -> Outcome:
    notification.attempts += 1
    channels = channels_for(notification.member)
    reason = _reason_to_skip(notification)
    if reason or not channels:
        notification.last_error = reason or "no channel reaches this member"
        _record(notification, Notification.Status.SKIPPED)
        return Outcome(Notification.Status.SKIPPED, notification.last_error)
    channel = channels[0]
    notification.channel = channel.name
    try:
        message = message_render(notification)
        notification.provider_message_id = channel.send(notification.member, message)
    except PermanentDeliveryError as error:
        notification.last_error = str(error)[:2000]
        _record(notification, Notification.Status.SKIPPED)
        return Outcome(Notification.Status.SKIPPED, notification.last_error)
    except TransientDeliveryError as error:
        notification.last_error = str(error)[:2000]
        if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            _record(notification, Notification.Status.FAILED)
            return Outcome(Notification.Status.FAILED, notification.last_error)
        notification.due_at = timezone.now() + retry_delay(notification.attempts)
        _record(notification, Notification.Status.SCHEDULED)
        return Outcome("retry", notification.last_error)
    notification.last_error = ""
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
        notification.last_error = ""
        notification.save(
            update_fields=["status", "due_at", "attempts", "provider_message_id", "last_error"]
        )
    return notification
