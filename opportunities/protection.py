"""Deal protection [our rule R4.1, the one place it lives]: a verified PO or an accepted HO
protects its customer and products for other partners until the partner closes it (won or
lost) or the protection expires.

- `PROTECTION_DAYS` after verification/acceptance; every progress update that moves the
  stage forward restarts the period from that day (never shortens it);
- the partner may ask BD for `EXTENSION_DAYS` more; BD approves or refuses with a reason;
- a reminder `REMINDER_WORKING_DAYS` working days before the end;
- at the end the protection sweep (`sweep_expired`, set-based) ends it with an event and the
  customer is free again.

Duplicate rules, the duplicate queue and the explainer ask `is_live` / `live_q` only."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from partner_center.workdays import SHANGHAI, _overrides, _packaged_day

PROTECTION_DAYS = 180
EXTENSION_DAYS = 90
REMINDER_WORKING_DAYS = 10
# Stages in the order a deal moves forward; won and lost close the protection.
STAGE_ORDER = ("contacting", "solution", "bidding")


class P:
    """Values of `Opportunity.protection`."""

    NONE = ""
    LIVE = "live"
    WON = "won"
    LOST = "lost"
    EXPIRED = "expired"


def protection_end(start: datetime, days: int = PROTECTION_DAYS) -> datetime:
    return start + timedelta(days=days)


def working_days_before(d: date, n: int) -> date:
    """The n-th working day before `d` (`d` itself never counts)."""
    overrides = _overrides(d - timedelta(days=n * 3 + 40), d)
    count, day = 0, d
    while True:
        day -= timedelta(days=1)
        working = overrides[day][0] if day in overrides else _packaged_day(day).is_working
        if working:
            count += 1
            if count == n:
                return day


def reminder_at(until: datetime) -> datetime:
    from .sla import start_of_day

    return start_of_day(
        working_days_before(until.astimezone(SHANGHAI).date(), REMINDER_WORKING_DAYS)
    )


def is_live(opp, now: datetime | None = None) -> bool:
    """Whether `opp` (an Opportunity) protects its customer and products now."""
    from .models import Opportunity

    now = now or timezone.now()
    return (
        opp.state in (Opportunity.State.VERIFIED, Opportunity.State.ACCEPTED)
        and opp.protection == P.LIVE
        and opp.protected_until is not None
        and opp.protected_until > now
    )


def live_q(now: datetime | None = None, prefix: str = "") -> Q:
    """`is_live` as a filter on Opportunity rows (`prefix` for a related lookup)."""
    now = now or timezone.now()
    return Q(
        **{
            f"{prefix}state__in": ["verified", "accepted"],
            f"{prefix}protection": P.LIVE,
            f"{prefix}protected_until__gt": now,
        }
    )


def stage_moves_forward(before: str, after: str) -> bool:
    if after not in STAGE_ORDER:
        return False
    return before not in STAGE_ORDER or STAGE_ORDER.index(after) > STAGE_ORDER.index(before)


def lead_live_q(now: datetime | None = None) -> Q:
    """Leads that still win duplicates: in the pool (not closed or retired by BD), and not
    given up by the partner that accepted them (an accepted share whose protection ended)."""
    from .models import Opportunity, VendorLead

    ended_share = Opportunity.objects.filter(lead=OuterRef("pk"), state="accepted").exclude(
        live_q(now)
    )
    return Q(state=VendorLead.State.POOLED) & ~Exists(ended_share)


def lead_is_live(lead, now: datetime | None = None) -> bool:
    from .models import VendorLead

    return VendorLead.objects.filter(pk=lead.pk).filter(lead_live_q(now)).exists()


def start_changes(now: datetime) -> dict:
    """The fields verification/acceptance sets: protection live for PROTECTION_DAYS."""
    until = protection_end(now)
    return {
        "protection": P.LIVE,
        "protected_until": until,
        "protection_remind_at": reminder_at(until),
        "protection_reminded_at": None,
    }


# ---- The protection sweep ----------------------------------------------------------------


def sweep_expired(*, now: datetime | None = None) -> int:
    """End every protection whose period passed (one UPDATE, events in bulk, through the
    PROTECTION table's `expire` row) and tell the partners; idempotent. Returns the count."""
    from django.db import transaction
    from django.urls import reverse

    from partner_center.notifications.messages import msg
    from partner_center.notifications.services import notify_bulk

    from .models import Opportunity
    from .services import partner_recipients
    from .transitions import PROTECTION

    now = now or timezone.now()
    with transaction.atomic():
        ids = PROTECTION.apply_bulk(
            Opportunity.objects.filter(protected_until__lte=now),
            "expire",
            reason="protection period ended",
            at=now,
        )
        if not ids:
            return 0
        items = list(Opportunity.objects.filter(pk__in=ids).order_by("id"))
        users = partner_recipients({o.partner_id for o in items})
        notify_bulk(
            (
                users.get(o.partner_id, []),
                "opportunities.protection_expired",
                msg("Protection of #%(id)s ended", id=o.pk),
                msg(
                    "%(customer)s: the protection period ended; other partners may now "
                    "register this customer and these products.",
                    customer=o.customer_name,
                ),
                reverse("opportunities:detail", args=[o.pk]),
            )
            for o in items
        )
    return len(ids)


def send_reminders(*, now: datetime | None = None) -> int:
    """Remind the partner once, `REMINDER_WORKING_DAYS` working days before the end."""
    from django.db import transaction
    from django.urls import reverse

    from partner_center.audit.services import PendingEvent, record_events_bulk
    from partner_center.audit.verbs import Verb
    from partner_center.notifications.messages import msg
    from partner_center.notifications.services import notify_bulk

    from .models import Opportunity
    from .services import partner_recipients

    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Opportunity.objects.select_for_update(skip_locked=True)
            .filter(
                protection=P.LIVE,
                protection_reminded_at__isnull=True,
                protection_remind_at__lte=now,
                protected_until__gt=now,
            )
            .order_by("id")
        )
        if not due:
            return 0
        Opportunity.objects.filter(pk__in=[o.pk for o in due]).update(protection_reminded_at=now)
        users = partner_recipients({o.partner_id for o in due})
        notify_bulk(
            (
                users.get(o.partner_id, []),
                "opportunities.protection_reminder",
                msg(
                    "Protection of #%(id)s ends on %(date)s",
                    id=o.pk,
                    date=timezone.localtime(o.protected_until).strftime("%Y-%m-%d"),
                ),
                msg(
                    "%(customer)s: report progress that moves the deal forward, close it, "
                    "or ask BD for more time.",
                    customer=o.customer_name,
                ),
                reverse("opportunities:detail", args=[o.pk]),
            )
            for o in due
        )
        record_events_bulk(
            model=Opportunity,
            verb=Verb.PROTECTION_REMINDER_SENT,
            rows=(PendingEvent(subject_id=o.pk, partner_id=o.partner_id) for o in due),
            at=now,
        )
    return len(due)


def recompute_reminders(dates) -> int:
    """After a calendar change: move the protection reminders not sent yet whose count of
    working days runs over a changed day. Returns how many moved."""
    from .models import Opportunity

    dates = sorted(set(dates))
    if not dates:
        return 0
    first = datetime.combine(dates[0], datetime.min.time(), tzinfo=SHANGHAI)
    moved = 0
    for opp in Opportunity.objects.filter(
        protection=P.LIVE,
        protection_reminded_at__isnull=True,
        protected_until__gte=first,
        protection_remind_at__lte=first
        + timedelta(days=dates[-1].toordinal() - dates[0].toordinal() + 1),
    ).only("id", "protected_until", "protection_remind_at"):
        remind = reminder_at(opp.protected_until)
        if remind != opp.protection_remind_at:
            Opportunity.objects.filter(pk=opp.pk).update(protection_remind_at=remind)
            moved += 1
    return moved
