"""Periodic tasks of the billing app (synced into django-celery-beat)."""

from celery.schedules import crontab

SCHEDULE = {
    # Export files are deleted once EXPORT_FILE_TTL has passed.
    "billing-expire-export-files": {
        "task": "billing.tasks.expire_export_files",
        "schedule": crontab(minute=17),
    },
}
