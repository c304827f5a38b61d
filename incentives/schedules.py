"""Periodic tasks of the incentives app (synced into django-celery-beat)."""

from celery.schedules import crontab

SCHEDULE = {
    # A billing period closes at midnight (Asia/Shanghai, the beat's time zone) at the end of
    # the month; the close runs in the small hours of the 1st and again on the 2nd and 3rd in
    # case orders of the last day arrived late or a run failed. It is idempotent: statements
    # are written and sent once.
    "incentives-close-period": {
        "task": "incentives.tasks.close_last_period",
        "schedule": crontab(minute=30, hour=3, day_of_month="1,2,3"),
    },
    # Safety net: credit orders that reached the database without being credited (bulk loads).
    "incentives-credit-missed-orders": {
        "task": "incentives.tasks.credit_missed_orders",
        "schedule": crontab(minute=20),
    },
}
