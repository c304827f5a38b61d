from celery import shared_task

from . import imports, protection, sla


@shared_task
def sweep_deadlines() -> dict:
    """End overdue POs and HO shares, then send the reminders that are due."""
    result = sla.sweep_overdue()
    reminded = sla.send_due_reminders()
    return {
        "rejected_pos": result.rejected_pos,
        "expired_hos": result.expired_hos,
        "reminded": reminded,
    }


@shared_task
def run_po_import(import_id: int) -> int:
    return imports.run_import(import_id)


@shared_task(name="opportunities.tasks.reap_imports")
def reap_imports() -> dict:
    """Imports whose worker stopped: queued again (they continue where they stopped) or
    failed with a message to the uploader."""
    from partner_center.jobs import reap

    from .import_jobs import IMPORT_JOB

    return reap(IMPORT_JOB)


@shared_task
def sweep_protection() -> dict:
    """End expired deal protections, then send the protection reminders that are due."""
    return {"expired": protection.sweep_expired(), "reminded": protection.send_reminders()}
