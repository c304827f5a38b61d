"""Thin Celery tasks: they call services."""

from celery import shared_task

from partner_center.celery import EMAIL_RETRY


@shared_task(name="customers.tasks.auto_renew_resources")
def auto_renew_resources() -> dict:
    """Renew the resources with auto-renew on that are about to expire (idempotent)."""
    from .services import auto_renew_due

    result = auto_renew_due()
    return {"renewed": len(result.renewed), "failed": len(result.failed)}


@shared_task(name="customers.tasks.mark_expired_resources")
def mark_expired_resources() -> int:
    from .services import resources_mark_expired

    return resources_mark_expired()


@shared_task(name="customers.tasks.email_invitation", **EMAIL_RETRY)
def email_invitation(invitation_id: int) -> bool:
    from .services import invitation_send_email

    return invitation_send_email(invitation_id)


@shared_task(name="customers.tasks.email_registration")
def email_registration(invitation_id: int, email: str, code: str) -> bool:
    from .services import registration_send_email

    return registration_send_email(invitation_id, email, code)


@shared_task(name="customers.tasks.send_daily_digests")
def send_daily_digests() -> int:
    """The new-customer label and reseller-information digests of yesterday (once each)."""
    from .digests import send_daily_digests as send

    return send()
