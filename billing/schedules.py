"""Periodic tasks of the billing app (synced into django-celery-beat)."""

from datetime import timedelta

from celery.schedules import crontab

SCHEDULE = {
    # Month end: bills of the period that just ended are generated and settled. Daily, so a
    # missed run catches up the next night (closing is idempotent).
    "billing-close-ended-periods": {
        "task": "billing.tasks.close_ended_periods",
        "schedule": crontab(minute=30, hour=2),
    },
    # Exports whose worker stopped (lease ran out) are queued again or failed.
    "billing-reap-exports": {
        "task": "billing.tasks.reap_exports",
        "schedule": timedelta(minutes=1),
    },
    # Export files are deleted once EXPORT_FILE_TTL has passed.
    "billing-expire-export-files": {
        "task": "billing.tasks.expire_export_files",
        "schedule": crontab(minute=17),
    },
}
