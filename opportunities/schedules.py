from datetime import timedelta

# Every five minutes: end overdue items, then send the reminders that are due. Safe to run
# late or twice (see opportunities/sla.py).
SCHEDULE: dict = {
    "opportunities-sla-sweep": {
        "task": "opportunities.tasks.sweep_deadlines",
        "schedule": timedelta(minutes=5),
    },
    "opportunities-reap-imports": {
        "task": "opportunities.tasks.reap_imports",
        "schedule": timedelta(minutes=1),
    },
    # Hourly: end expired deal protections, send protection reminders (protection.py).
    "opportunities-protection-sweep": {
        "task": "opportunities.tasks.sweep_protection",
        "schedule": timedelta(hours=1),
    },
}
