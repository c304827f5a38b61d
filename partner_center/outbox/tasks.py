from celery import shared_task

from . import services


@shared_task(name="partner_center.outbox.tasks.relay")
def relay() -> dict:
    """Send the outbox entries that are due (also done by a thread in the beat process)."""
    return services.relay_due()


@shared_task(name="partner_center.outbox.tasks.purge")
def purge() -> int:
    return services.purge_done()


@shared_task(name="partner_center.outbox.tasks.beat_heartbeat")
def beat_heartbeat() -> str:
    """Sent by beat every 30 s: /healthz reads when beat (and a worker) last ran."""
    from django.utils import timezone

    from .models import Heartbeat

    now = timezone.now()
    Heartbeat.objects.update_or_create(name="beat", defaults={"at": now})
    return now.isoformat()
