"""Sending notifications. Every part of the product sends through `notify`: the message is
stored for the portal at once, and e-mailed by a Celery task after the transaction commits."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .models import Notification


def notify(
    *,
    recipients: Iterable,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    email: bool = True,
) -> list[Notification]:
    rows = [
        Notification(recipient=user, kind=kind, title=str(title), body=str(body), link=link)
        for user in recipients
        if user.is_active
    ]
    created = Notification.objects.bulk_create(rows)
    if email and created:
        ids = [n.pk for n in created]
        from .tasks import email_notifications

        transaction.on_commit(lambda: email_notifications.delay(ids))
    return created


def email_notifications(notification_ids: list[int]) -> int:
    """E-mail the notifications not e-mailed yet; safe to run twice."""
    from django.conf import settings
    from django.core.mail import send_mail

    sent = 0
    for note in Notification.objects.filter(
        pk__in=notification_ids, emailed_at__isnull=True
    ).select_related("recipient"):
        link = f"{settings.PORTAL_SITE_URL}{note.link}" if note.link.startswith("/") else note.link
        body = f"{note.body}\n\n{link}".strip()
        send_mail(note.title, body, None, [note.recipient.email])
        Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def mark_read(*, actor, notification_ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())
