from smtplib import SMTPException

from celery import shared_task

from . import services


@shared_task(
    autoretry_for=(services.EmailNotSent, SMTPException, OSError),
    retry_backoff=10,
    retry_backoff_max=600,
    max_retries=6,
)
def email_notifications(notification_ids: list[int]) -> int:
    """E-mail these notifications; retried with backoff while SMTP refuses (the sweep
    takes over after the last retry)."""
    return services.email_notifications(notification_ids)


@shared_task(name="partner_center.notifications.tasks.resend_due_emails")
def resend_due_emails() -> int:
    return services.emails_resend_due()
