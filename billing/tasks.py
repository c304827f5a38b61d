"""Thin Celery tasks: they take ids and call a service."""

from celery import shared_task
from django.db import transaction

from . import services


@shared_task(acks_late=True)
def render_bill_pdf(task_id: int) -> str:
    task = services.export_render(task_id=task_id)
    return task.state if task else "missing"


@shared_task
def expire_export_files() -> int:
    return services.exports_expire()


@shared_task
def generate_bill(partner_id: int, period: str) -> int:
    from partner_center.accounts.models import Partner

    bill = services.bill_generate(partner=Partner.objects.get(pk=partner_id), period=period)
    return bill.line_count if bill else 0


@shared_task(acks_late=True)
def close_bill(partner_id: int, period: str) -> str:
    bill = services.bill_close(partner_id=partner_id, period=period)
    return bill.state if bill else "nothing to close"


@shared_task
def close_ended_periods() -> int:
    """Month end: one close_bill task per partner and ended period (idempotent)."""
    pairs = services.bills_to_close()
    from partner_center.outbox.services import enqueue

    with transaction.atomic():
        for partner_id, period in pairs:
            enqueue("billing.tasks.close_bill", {"partner_id": partner_id, "period": period})
    return len(pairs)


@shared_task(name="billing.tasks.reap_exports")
def reap_exports() -> dict:
    """Exports whose worker stopped: queued again, or failed with a message to the owner.
    Also removes temporary folders a killed renderer left behind."""
    from partner_center.jobs import reap, sweep_temp_dirs

    from .jobs import EXPORT_JOB

    result = reap(EXPORT_JOB)
    result["temp_dirs_removed"] = sweep_temp_dirs()
    return result
