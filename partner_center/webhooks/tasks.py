from celery import shared_task

from . import services


@shared_task(name="partner_center.webhooks.tasks.deliver")
def deliver(delivery_id: int) -> str | None:
    """One attempt of a webhook delivery (queued by the outbox; queue "webhooks")."""
    delivery = services.deliver(delivery_id=delivery_id)
    return delivery.state if delivery else None


@shared_task(name="partner_center.webhooks.tasks.retry_due")
def retry_due() -> dict:
    """Queue the webhook retries that are due; take back attempts of dead workers."""
    return services.retry_due()
