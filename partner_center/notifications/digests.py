"""Daily digests of subscription topics [our rule R4.6].

A digest is one notification per partner, topic and day (Asia/Shanghai) to the partner's
subscribers of the topic, and only when the day had something to report. The `Digest` row
(unique per partner, topic and day) is written in the same transaction as the notification
(whose e-mail goes through the outbox), so a second run, or a run after a worker died half
way, never sends a digest twice and never loses one. The contents are computed by the app
that owns the data (`customers/digests.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from partner_center.timezones import SHANGHAI

from .messages import Message, msg
from .models import Digest, Subscription
from .selectors import subscribers_of
from .services import notify

MAX_LINES = 30  # more than this: "… and N more" (the linked page has them all)


def digest_day(now: datetime | None = None) -> date:
    """The day a digest sent now reports: yesterday, in China time."""
    return timezone.localtime(now or timezone.now(), SHANGHAI).date() - timedelta(days=1)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """[start, end) of a China-time day, as aware datetimes."""
    start = datetime.combine(day, time.min, tzinfo=SHANGHAI)
    return start, start + timedelta(days=1)


def partners_due(topic: str, day: date) -> list[int]:
    """Partners with subscribers of `topic` whose digest of `day` was not sent yet."""
    done = Digest.objects.filter(topic=topic, day=day).values("partner_id")
    return sorted(
        set(
            Subscription.objects.filter(topic=topic, partner__is_active=True)
            .exclude(partner_id__in=done)
            .values_list("partner_id", flat=True)
        )
    )


def lines_message(lines: Sequence[Message | str]) -> Message | str:
    """Several lines as one message, each rendered in the reader's language."""
    if not lines:
        return ""
    shown = list(lines[:MAX_LINES])
    if len(lines) > MAX_LINES:
        shown.append(msg("… and %(count)s more", count=len(lines) - MAX_LINES))
    body: Message | str = shown[-1]
    for line in reversed(shown[:-1]):
        body = msg("%(line)s\n%(more)s", context="digest lines", line=line, more=body)
    return body


def send_digest(
    *,
    partner,
    topic: str,
    day: date,
    title: Message,
    lines: Sequence[Message | str],
    items: int,
    link: str = "",
) -> Digest | None:
    """Send the digest of `topic` and `day` to the partner's subscribers, once. Nothing is
    sent (and nothing recorded) when there is nothing to report or nobody subscribed."""
    if items <= 0:
        return None
    recipients = list(subscribers_of(partner, topic))
    if not recipients:
        return None
    try:
        with transaction.atomic():
            digest = Digest.objects.create(
                partner=partner, topic=topic, day=day, items=items, recipients=len(recipients)
            )
            notify(
                recipients=recipients,
                kind=f"topic.{topic}",
                title=title,
                body=lines_message(lines),
                link=link,
            )
    except IntegrityError:  # another run sent it (the row is unique per partner, topic, day)
        return None
    return digest
