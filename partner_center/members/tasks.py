from celery import shared_task

from partner_center.celery import EMAIL_RETRY

from . import services


@shared_task
def expire_invitations() -> int:
    return services.expire_invitations()


@shared_task(name="partner_center.members.tasks.send_contact_code", **EMAIL_RETRY)
def send_contact_code(change_id: int, secret_code: str) -> bool:
    return services.contact_code_send(change_id=change_id, code=secret_code)
