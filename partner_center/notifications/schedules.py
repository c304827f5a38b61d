from datetime import timedelta

SCHEDULE = {
    # Notifications whose e-mail is still due (broker or SMTP was down) are sent again.
    "notifications-resend-due-emails": {
        "task": "partner_center.notifications.tasks.resend_due_emails",
        "schedule": timedelta(minutes=1),
    },
}
