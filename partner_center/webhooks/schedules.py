from datetime import timedelta

SCHEDULE = {
    "webhooks-retry-due": {
        "task": "partner_center.webhooks.tasks.retry_due",
        "schedule": timedelta(seconds=30),
    },
}
