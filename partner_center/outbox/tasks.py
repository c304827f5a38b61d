from celery import shared_task

from . import services


@shared_task(name="partner_center.outbox.tasks.relay")
def relay() -> dict:
    """Send the outbox entries that are due (also done by a thread in the beat process)."""
    return services.relay_due()


@shared_task(name="partner_center.outbox.tasks.purge")
def purge() -> int:
    return services.purge_done()
