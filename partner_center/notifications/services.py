"""Sending notifications. Every part of the product sends through `notify`: the message is
stored for the portal at once, and e-mailed by a Celery task after the transaction commits
to the recipients who want e-mails."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.errors import DomainError

from .models import TOPIC_PARTNER_TYPES, Notification, NotificationPreference, Subscription, Topic


def notify(
    *,
    recipients: Iterable,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    email: bool = True,
) -> list[Notification]:
    """Store one notification per active recipient; with `email`, e-mail it (from Celery,
    after commit) to those whose preference allows e-mails."""
    users = [user for user in recipients if user.is_active]
    if not users:
        return []
    no_email: set[int] = set()
    if email:
        no_email = set(
            NotificationPreference.objects.filter(
                user_id__in=[u.pk for u in users], email_enabled=False
            ).values_list("user_id", flat=True)
        )
    rows = [
        Notification(
            recipient=user,
            kind=kind,
            title=str(title)[:200],
            body=str(body),
            link=link,
            email_wanted=email and user.pk not in no_email,
        )
        for user in users
    ]
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created if n.email_wanted]
    if ids:
        from .tasks import email_notifications

        transaction.on_commit(lambda: email_notifications.delay(ids))
    return created


def notify_bulk(messages: Iterable[tuple]) -> list[Notification]:
    """`notify` for many messages at once (set-based sweeps): each message is
    (recipients, kind, title, body, link); one preference query, one INSERT."""
    messages = [(list(r), kind, title, body, link) for r, kind, title, body, link in messages]
    user_ids = {u.pk for r, *_rest in messages for u in r if u.is_active}
    if not user_ids:
        return []
    no_email = set(
        NotificationPreference.objects.filter(
            user_id__in=user_ids, email_enabled=False
        ).values_list("user_id", flat=True)
    )
    rows = [
        Notification(
            recipient=user,
            kind=kind,
            title=str(title)[:200],
            body=str(body),
            link=link,
            email_wanted=user.pk not in no_email,
        )
        for recipients, kind, title, body, link in messages
        for user in recipients
        if user.is_active
    ]
    created = Notification.objects.bulk_create(rows, batch_size=2000)
    ids = [n.pk for n in created if n.email_wanted]
    if ids:
        from .tasks import email_notifications

        transaction.on_commit(lambda: email_notifications.delay(ids))
    return created


def email_notifications(notification_ids: list[int]) -> int:
    """E-mail the notifications not e-mailed yet; safe to run twice."""
    from django.conf import settings
    from django.core.mail import send_mail

    sent = 0
    for note in Notification.objects.filter(
        pk__in=notification_ids, email_wanted=True, emailed_at__isnull=True
    ).select_related("recipient"):
        link = f"{settings.PORTAL_SITE_URL}{note.link}" if note.link.startswith("/") else note.link
        body = f"{note.body}\n\n{link}".strip()
        send_mail(note.title, body, None, [note.recipient.email])
        Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def mark_read(*, actor, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the actor's notifications read (all unread ones when no ids are given)."""
    qs = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())


def preference_set(*, actor, email_enabled: bool) -> NotificationPreference:
    preference, _created = NotificationPreference.objects.update_or_create(
        user=actor, defaults={"email_enabled": email_enabled}
    )
    return preference


# ---------------------------------------------------------------------------------------
# Subscriptions
# ---------------------------------------------------------------------------------------


def topics_for_partner(partner) -> list[str]:
    """Topics the partner's users may subscribe to (reseller info: distributors only)."""
    return [
        t.value
        for t in Topic
        if t not in TOPIC_PARTNER_TYPES or (TOPIC_PARTNER_TYPES[t] & partner.type_codes)
    ]


def _check_topic(partner, topic: str) -> None:
    if topic not in Topic.values:
        raise DomainError(_("Unknown topic."), field="topics")
    if topic not in topics_for_partner(partner):
        raise DomainError(
            _("Only distributors can subscribe to %(topic)s.") % {"topic": Topic(topic).label},
            field="topics",
        )


@transaction.atomic
def subscriptions_set(*, actor, topics: Iterable[str]) -> list[str]:
    """Make the actor's subscriptions exactly `topics`; returns them sorted."""
    partner = actor.partner
    if partner is None:
        raise DomainError(_("Only users of a partner can subscribe."))
    wanted = set(topics)
    for topic in sorted(wanted):
        _check_topic(partner, topic)
    Subscription.objects.filter(user=actor).exclude(topic__in=wanted).delete()
    have = set(Subscription.objects.filter(user=actor).values_list("topic", flat=True))
    Subscription.objects.bulk_create(
        Subscription(partner=partner, user=actor, topic=t) for t in sorted(wanted - have)
    )
    return sorted(wanted)


@transaction.atomic
def subscribe(*, actor, topic: str) -> Subscription:
    partner = actor.partner
    if partner is None:
        raise DomainError(_("Only users of a partner can subscribe."))
    _check_topic(partner, topic)
    subscription, _created = Subscription.objects.get_or_create(
        user=actor, topic=topic, defaults={"partner": partner}
    )
    return subscription


def unsubscribe(*, actor, topic: str) -> int:
    deleted, _details = Subscription.objects.filter(user=actor, topic=topic).delete()
    return deleted


def notify_subscribers(
    *, partner, topic: str, title: str, body: str = "", link: str = ""
) -> list[Notification]:
    """Send one message of `topic` to the partner's subscribers."""
    from .selectors import subscribers_of

    return notify(
        recipients=subscribers_of(partner, topic),
        kind=f"topic.{topic}",
        title=title,
        body=body,
        link=link,
    )
