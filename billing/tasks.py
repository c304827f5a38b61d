"""Thin Celery tasks: they take ids and call a service."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def render_bill_pdf(task_id: int) -> str:
    task = services.export_render(task_id=task_id)
    return task.state if task else "missing"


@shared_task
def expire_export_files() -> int:
    return services.exports_expire()
