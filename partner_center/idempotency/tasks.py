from celery import shared_task


@shared_task(name="partner_center.idempotency.tasks.sweep")
def sweep() -> int:
    """Delete the stored responses whose 24 hours are over."""
    from .middleware import sweep_expired

    return sweep_expired()
