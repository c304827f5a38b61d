from datetime import timedelta

SCHEDULE = {
    "idempotency-sweep": {
        "task": "partner_center.idempotency.tasks.sweep",
        "schedule": timedelta(hours=1),
    },
}
