from datetime import timedelta

SCHEDULE = {
    "certification-close-defense-windows": {
        "task": "certification.tasks.close_expired_defense_windows",
        "schedule": timedelta(minutes=15),
    },
}
