from celery import shared_task

from . import services


@shared_task
def email_notifications(notification_ids: list[int]) -> int:
    return services.email_notifications(notification_ids)
