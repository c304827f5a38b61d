from celery import shared_task

from . import services


@shared_task
def warn_missing_next_year() -> bool:
    return services.warn_missing_next_year()
