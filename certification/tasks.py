from celery import shared_task

from . import services


@shared_task
def close_expired_defense_windows() -> int:
    """Refuse label applications whose defense window closed without a request."""
    return services.close_expired_defense_windows()
