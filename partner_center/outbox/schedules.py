from datetime import timedelta

SCHEDULE = {
    # Hand the due outbox entries to the broker (the beat process's thread does it too).
    "outbox-relay": {
        "task": "partner_center.outbox.tasks.relay",
        "schedule": timedelta(seconds=10),
    },
    "beat-heartbeat": {
        "task": "partner_center.outbox.tasks.beat_heartbeat",
        "schedule": timedelta(seconds=30),
    },
    "outbox-purge": {
        "task": "partner_center.outbox.tasks.purge",
        "schedule": timedelta(hours=6),
    },
}
