from celery.schedules import crontab

SCHEDULE = {
    "members-expire-invitations": {
        "task": "partner_center.members.tasks.expire_invitations",
        "schedule": crontab(minute=7),
    },
}
