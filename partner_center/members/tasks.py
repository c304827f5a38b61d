from smtplib import SMTPException

from celery import shared_task

from . import services


@shared_task
def expire_invitations() -> int:
    return services.expire_invitations()


@shared_task(
    name="partner_center.members.tasks.send_contact_code",
    autoretry_for=(OSError, SMTPException),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=8,
)
def send_contact_code(change_id: int, secret_code: str) -> bool:
    return services.contact_code_send(change_id=change_id, code=secret_code)
