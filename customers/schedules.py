"""Periodic tasks of the customers app (synced into django-celery-beat)."""

from celery.schedules import crontab

SCHEDULE = {
    # Auto-renewal runs a few times a day so a failed run is retried soon; it is idempotent.
    "customers-auto-renew": {
        "task": "customers.tasks.auto_renew_resources",
        "schedule": crontab(minute=10, hour="1,9,17"),
    },
    "customers-mark-expired": {
        "task": "customers.tasks.mark_expired_resources",
        "schedule": crontab(minute=5, hour="*"),
    },
    # Daily digests of subscription topics [R4.6]: yesterday's (China time), sent from 07:30;
    # the later runs only send what an earlier one missed (one digest per partner and day).
    "customers-daily-digests": {
        "task": "customers.tasks.send_daily_digests",
        "schedule": crontab(minute=30, hour="7-22"),
    },
}
