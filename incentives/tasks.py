"""Thin Celery tasks: they call services."""

from celery import shared_task


@shared_task(name="incentives.tasks.close_last_period")
def close_last_period() -> dict:
    """Close the billing period that ended last: statements written once, then sent."""
    from .services import close_last_period as close

    result = close()
    return {"period": result.period, "written": result.written, "sent": result.sent}


@shared_task(name="incentives.tasks.credit_missed_orders")
def credit_missed_orders() -> int:
    from .services import performance_sync

    return performance_sync()
