"""Sending notifications. Every part of the product sends through `notify`: the message is
stored for the portal at once, and e-mailed by a Celery task after the transaction commits
to the recipients who want e-mails."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.errors import DomainError

from .messages import Message, as_message, render
from .models import TOPIC_PARTNER_TYPES, Notification, NotificationPreference, Subscription, Topic


def _stored(value) -> dict | None:
    message = as_message(value)
    return message.to_json() if message is not None else None


def _email_off(user_ids) -> set[int]:
    """Those of the users who turned notification e-mails off."""
    return set(
        NotificationPreference.objects.filter(
            user_id__in=user_ids, email_enabled=False
        ).values_list("user_id", flat=True)
    )


def notify(
    *,
    recipients: Iterable,
    kind: str,
    title,
    body="",
    link: str = "",
    email: bool = True,
) -> list[Notification]:
    """Store one notification per active recipient; with `email`, e-mail it (from Celery,
    after commit) to those whose preference allows e-mails.

    `title` and `body` are `messages.msg(...)` (or lazy translations) so that each reader
    gets them in their own language; plain text is stored as it is."""
    now = timezone.now()
    users = [user for user in recipients if user.is_active]
    if not users:
        return []
    no_email: set[int] = set()
    if email:
        no_email = _email_off([u.pk for u in users])
    rows = [
        _notification(
            user,
            kind,
            title,
            body,
            link,
            email_wanted=email and user.pk not in no_email,
            email_state=Notification.EmailState.PENDING
            if email and user.pk not in no_email
            else Notification.EmailState.NONE,
            email_next_attempt_at=now + EMAIL_FIRST_GRACE
            if email and user.pk not in no_email
            else None,
        )
        for user in users
    ]
    return _store(rows)


# A notification's e-mail is tried by the task at once, then by the sweep with backoff
# (1, 2, 4 … minutes, at most an hour) until it is sent or EMAIL_MAX_ATTEMPTS failed.
EMAIL_FIRST_GRACE = timedelta(minutes=2)  # the sweep leaves fresh ones to the task
EMAIL_MAX_ATTEMPTS = 12
EMAIL_SWEEP_BATCH = 200


class EmailNotSent(Exception):
    """Some e-mails of a batch failed (the task retries them with backoff)."""


def _email_backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


def notify_bulk(messages: Iterable[tuple]) -> list[Notification]:
    """`notify` for many messages at once (set-based sweeps): each message is
    (recipients, kind, title, body, link); one preference query, one INSERT."""
    messages = [(list(r), kind, title, body, link) for r, kind, title, body, link in messages]
    user_ids = {u.pk for r, *_rest in messages for u in r if u.is_active}
    if not user_ids:
        return []
    no_email = _email_off(user_ids)
    rows = [
        _notification(user, kind, title, body, link, email_wanted=user.pk not in no_email)
        for recipients, kind, title, body, link in messages
        for user in recipients
        if user.is_active
    ]
    return _store(rows, batch_size=2000)


def _notification(user, kind: str, title, body, link: str, **fields) -> Notification:
    """The notification of `user`: its title and body in the user's language, and kept as
    messages to be shown in the language of whoever reads them later."""
    language = user.language or settings.LANGUAGE_CODE
    return Notification(
        recipient=user,
        kind=kind,
        title=render(title, language)[:200],
        body=render(body, language),
        title_message=_stored(title),
        body_message=_stored(body),
        link=link,
        **fields,
    )


def _store(rows: list[Notification], **bulk) -> list[Notification]:
    """Insert `rows`; those that want an e-mail are e-mailed from Celery, after commit."""
    created = Notification.objects.bulk_create(rows, **bulk)
    ids = [n.pk for n in created if n.email_wanted]
    if ids:
        from partner_center.outbox.services import enqueue

        enqueue("partner_center.notifications.tasks.email_notifications", {"notification_ids": ids})
    return created


def email_notifications(notification_ids: list[int]) -> int:
    """E-mail the notifications whose e-mail is still due; returns how many were sent.

    Each one is sent under its row lock (skip locked: a sweep and a task never send the same
    one at once) and marked sent in the same transaction, so a notification is e-mailed once.
    A failure is recorded on the row (attempts, error, next attempt); when any failed,
    `EmailNotSent` is raised after the others were sent, so the task retries."""
    from django.conf import settings
    from django.core.mail import send_mail

    sent = 0
    errors: list[str] = []
    for pk in notification_ids:
        with transaction.atomic():
            note = (
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient")
                .filter(pk=pk, email_state=Notification.EmailState.PENDING)
                .first()
            )
            if note is None:
                continue
            link = (
                f"{settings.PORTAL_SITE_URL}{note.link}" if note.link.startswith("/") else note.link
            )
            language = note.recipient.language or settings.LANGUAGE_CODE
            body = f"{note.body_in(language)}\n\n{link}".strip()
            now = timezone.now()
            note.email_attempts += 1
            try:
                send_mail(note.title_in(language), body, None, [note.recipient.email])
            except Exception as exc:  # noqa: BLE001 - SMTP refusals, sockets, bad addresses
                note.email_error = f"{type(exc).__name__}: {exc}"[:2000]
                if note.email_attempts >= EMAIL_MAX_ATTEMPTS:
                    note.email_state = Notification.EmailState.FAILED
                note.email_next_attempt_at = now + _email_backoff(note.email_attempts)
                errors.append(note.email_error)
            else:
                note.email_state = Notification.EmailState.SENT
                note.emailed_at = now
                note.email_error = ""
                sent += 1
            note.save(
                update_fields=[
                    "email_attempts",
                    "email_error",
                    "email_state",
                    "email_next_attempt_at",
                    "emailed_at",
                ]
            )
    if errors:
        raise EmailNotSent("; ".join(errors[:3]))
    return sent


def emails_resend_due(*, now=None) -> int:
    """The sweep: e-mail again every notification whose e-mail is still due (the broker or
    SMTP was down when it was first tried). Returns how many were sent."""
    now = now or timezone.now()
    ids = list(
        Notification.objects.filter(
            email_state=Notification.EmailState.PENDING, email_next_attempt_at__lte=now
        )
        .order_by("email_next_attempt_at")
        .values_list("pk", flat=True)[:EMAIL_SWEEP_BATCH]
    )
    try:
        return email_notifications(ids)
    except EmailNotSent:
        return Notification.objects.filter(pk__in=ids, email_state="sent").count()


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
    *, partner, topic: str, title: Message | str, body: Message | str = "", link: str = ""
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
