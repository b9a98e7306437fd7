from celery import current_app, shared_task

from cohorts.services.notifications import (
    notification_deliver,
    notifications_claim_due,
    notifications_reclaim_stuck,
)

# A send holds one provider call (NOTIFICATION_PROVIDER_TIMEOUT) and two short queries.
SEND_SOFT_TIME_LIMIT = 45
SEND_TIME_LIMIT = 60


@shared_task(name="cohorts.dispatch_notifications", acks_late=False)
def dispatch_notifications() -> int:
    """Every minute (beat): hand due outbox rows to send tasks. Not acknowledged late: a
    lost run is simply the next minute's, and rows it claimed are reclaimed later."""
    notifications_reclaim_stuck()
    notification_ids = notifications_claim_due()
    # One producer (one broker connection) for the whole batch, not one per message.
    with current_app.producer_or_acquire() as producer:
        for notification_id in notification_ids:
            send_notification.apply_async((notification_id,), producer=producer)
    return len(notification_ids)


@shared_task(
    name="cohorts.send_notification",
    ignore_result=True,  # the outbox row is the result
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=SEND_SOFT_TIME_LIMIT,
    time_limit=SEND_TIME_LIMIT,
)
def send_notification(notification_id: int) -> str:
    """Deliver one outbox row; idempotent, so a redelivery after a lost worker is safe."""
    return notification_deliver(notification_id=notification_id).status
