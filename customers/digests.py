"""The contents of the two daily digests the customers app owns [our rules R4.5, R4.6].

- **New-customer label**: the customers that got the label that day (`customers.new_customer`),
  to the partner's subscribers of the topic.
- **Reseller information** (distributors): what changed that day about the distributor's
  tier-2 resellers — joined or left, funds or voucher quota that fell below the threshold
  the distributor set (`TopicSettings.reseller_low_balance`), certification and PCE status
  changes, and how many customers each reseller newly associated. Following rule M6 the
  distributor sees counts and the reseller's own states, never the reseller's customers.

Everything is read from the records and events of the day (China time); sending, and
sending once, is `partner_center.notifications.digests`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, DecimalField, Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from partner_center.accounts.models import Partner
from partner_center.accounts.permissions import PartnerType
from partner_center.audit.models import Event
from partner_center.audit.verbs import Verb
from partner_center.notifications.digests import (
    day_bounds,
    digest_day,
    partners_due,
    send_digest,
)
from partner_center.notifications.messages import Message, as_message, msg
from partner_center.notifications.models import TOPIC_PARTNER_TYPES, Topic
from partner_center.notifications.services_topics import reseller_low_balance_of

from .models import Account, Association, LedgerEntry

CATCH_UP_DAYS = 2  # a run also sends the day before yesterday's digests it missed

# The status changes of a reseller that the digest reports: (app label, model).
STATUS_MODELS = (
    ("certification", "EnterpriseCertification"),
    ("certification", "BankCardCertification"),
    ("certification", "LabelApplication"),
    ("programs", "PCEApplication"),
)


# ---------------------------------------------------------------- new-customer label


def new_customer_lines(partner_id: int, day: date) -> list[Message]:
    start, end = day_bounds(day)
    rows = (
        Association.objects.filter(
            partner_id=partner_id,
            new_customer_labelled_at__gte=start,
            new_customer_labelled_at__lt=end,
            new_customer_at__isnull=False,
        )
        .select_related("customer")
        .order_by("customer__name", "pk")
    )
    return [
        msg(
            "%(customer)s (%(account)s): first paid order %(date)s",
            customer=a.customer.name,
            account=a.customer.account_name,
            date=timezone.localtime(a.new_customer_at).date(),  # type: ignore[arg-type]
        )
        for a in rows
    ]


# ---------------------------------------------------------------- reseller information


@dataclass
class _Change:
    reseller: str
    line: Message


def _membership_changes(distributor_id: int, start: datetime, end: datetime) -> list[_Change]:
    """Resellers that joined or left the distributor that day (from the partner events)."""
    partner_type = ContentType.objects.get_for_model(Partner)
    events = list(
        Event.objects.filter(
            subject_type=partner_type,
            created_at__gte=start,
            created_at__lt=end,
            verb__in=[
                Verb.PARTNER_CREATED,
                Verb.PARTNER_UPDATED,
                Verb.PARTNER_TYPE_JOINED,
                Verb.PARTNER_TYPE_EXITED,
                Verb.PARTNER_DEREGISTERED,
            ],
        ).order_by("created_at", "id")
    )
    if not events:
        return []
    partners = Partner.objects.in_bulk({e.subject_id for e in events})
    state: dict[int, str] = {}  # reseller id -> "joined" | "left" (the day's net outcome)
    for event in events:
        partner = partners.get(event.subject_id)
        if partner is None:
            continue
        ours_now = partner.parent_distributor_id == distributor_id
        if event.verb == Verb.PARTNER_UPDATED:
            change = (event.data or {}).get("parent_distributor")
            if not change:
                continue
            if change.get("to") == distributor_id:
                state[partner.pk] = "joined"
            elif change.get("from") == distributor_id:
                state[partner.pk] = "left"
        elif event.verb == Verb.PARTNER_CREATED:
            if ours_now and PartnerType.RESELLER in (event.data or {}).get("types", []):
                state[partner.pk] = "joined"
        elif event.verb == Verb.PARTNER_TYPE_JOINED:
            if ours_now and event.to_state == PartnerType.RESELLER:
                state[partner.pk] = "joined"
        elif event.verb == Verb.PARTNER_TYPE_EXITED:
            if event.from_state == PartnerType.RESELLER and (
                (event.data or {}).get("distributor") == distributor_id
            ):
                state[partner.pk] = "left"
        elif event.verb == Verb.PARTNER_DEREGISTERED and ours_now:
            state[partner.pk] = "left"
    changes = []
    for pk, outcome in state.items():
        name = partners[pk].name
        if outcome == "joined":
            line = msg("%(reseller)s joined you as a tier-2 reseller", reseller=name)
        else:
            line = msg("%(reseller)s is no longer your tier-2 reseller", reseller=name)
        changes.append(_Change(name, line))
    return changes


def _balance_at(moment: datetime) -> Subquery:
    return Subquery(
        LedgerEntry.objects.filter(account=OuterRef("pk"), created_at__lt=moment)
        .order_by("-created_at", "-id")
        .values("balance_after")[:1],
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


def _low_balances(
    resellers: dict[int, Partner], threshold: Decimal, start: datetime, end: datetime
) -> list[_Change]:
    """Funds or voucher quota that fell below the threshold that day: below it at the end
    of the day, not below it at the start (or no movement before)."""
    accounts = (
        Account.objects.filter(
            partner_id__in=list(resellers),
            kind__in=[Account.Kind.RESELLER_FUNDS, Account.Kind.VOUCHER_QUOTA],
        )
        .annotate(
            moved=Exists(
                LedgerEntry.objects.filter(
                    account=OuterRef("pk"), created_at__gte=start, created_at__lt=end
                )
            ),
            before=_balance_at(start),
            after=_balance_at(end),
        )
        .filter(moved=True)
        .order_by("partner_id", "kind")
    )
    changes = []
    for account in accounts:
        fell = account.after < threshold and (account.before is None or account.before >= threshold)
        if not fell:
            continue
        name = resellers[account.partner_id].name
        if account.kind == Account.Kind.RESELLER_FUNDS:
            line = msg(
                "%(reseller)s: funds left %(amount)s, below %(threshold)s",
                reseller=name,
                amount=account.after,
                threshold=threshold,
            )
        else:
            line = msg(
                "%(reseller)s: voucher quota left %(amount)s, below %(threshold)s",
                reseller=name,
                amount=account.after,
                threshold=threshold,
            )
        changes.append(_Change(name, line))
    return changes


def _state_label(model, value: str) -> Message | str:
    for choice, text in model._meta.get_field("state").flatchoices:
        if choice == value:
            return as_message(text) or str(text)
    return value


def _status_changes(resellers: dict[int, Partner], start: datetime, end: datetime) -> list[_Change]:
    """Certification and PCE status changes of the resellers (the day's last state of each
    application or certification)."""
    models = {}
    for app_label, model_name in STATUS_MODELS:
        model = apps.get_model(app_label, model_name)
        models[ContentType.objects.get_for_model(model).pk] = model
    last: dict[tuple[int, int], Event] = {}
    for event in (
        Event.objects.filter(
            partner_id__in=list(resellers),
            subject_type_id__in=list(models),
            created_at__gte=start,
            created_at__lt=end,
        )
        .exclude(to_state="")
        .order_by("created_at", "id")
    ):
        last[(event.subject_type_id, event.subject_id)] = event
    changes = []
    for (type_id, _subject), event in sorted(last.items(), key=lambda kv: kv[1].pk):
        model = models[type_id]
        name = resellers[event.partner_id].name  # type: ignore[index]
        changes.append(
            _Change(
                name,
                msg(
                    "%(reseller)s: %(what)s is now %(state)s",
                    reseller=name,
                    what=as_message(model._meta.verbose_name) or str(model._meta.verbose_name),
                    state=_state_label(model, event.to_state),
                ),
            )
        )
    return changes


def _new_customers(resellers: dict[int, Partner], start: datetime, end: datetime) -> list[_Change]:
    counts = (
        Association.objects.filter(
            partner_id__in=list(resellers), associated_at__gte=start, associated_at__lt=end
        )
        .values("partner_id")
        .annotate(n=Count("pk"))
        .order_by("partner_id")
    )
    return [
        _Change(
            resellers[row["partner_id"]].name,
            msg(
                "%(reseller)s: %(count)s new associated customers",
                reseller=resellers[row["partner_id"]].name,
                count=row["n"],
            ),
        )
        for row in counts
    ]


def reseller_lines(distributor_id: int, day: date) -> list[Message]:
    start, end = day_bounds(day)
    resellers = Partner.objects.filter(parent_distributor_id=distributor_id).in_bulk()
    changes = _membership_changes(distributor_id, start, end)
    if resellers:
        changes += _low_balances(resellers, reseller_low_balance_of(distributor_id), start, end)
        changes += _status_changes(resellers, start, end)
        changes += _new_customers(resellers, start, end)
    # Grouped by reseller; within one reseller the sections keep their order (stable sort).
    return [c.line for c in sorted(changes, key=lambda c: c.reseller)]


# ---------------------------------------------------------------- sending


# topic -> (its lines for one partner and day, the title's message, the page it links to)
DIGESTS = {
    Topic.NEW_CUSTOMER_LABEL: (
        new_customer_lines,
        msg("New-customer label: %(count)s customers on %(day)s"),
        ("customers:list", "?new_customer=true"),
    ),
    Topic.RESELLER_INFO: (
        reseller_lines,
        msg("Reseller information of %(day)s: %(count)s changes"),
        ("customers:resellers", ""),
    ),
}


def send_topic_digests(topic: str, day: date) -> int:
    """The digests of one topic and day to every partner that has subscribers and has not
    had it yet; returns how many were sent."""
    lines_of, title, (url_name, query) = DIGESTS[topic]
    needed = TOPIC_PARTNER_TYPES.get(topic)  # type: ignore[call-overload]
    sent = 0
    for partner in Partner.objects.filter(pk__in=partners_due(topic, day)).order_by("pk"):
        if needed and not (needed & partner.type_codes):
            continue  # e.g. reseller information at a partner that is no distributor (now)
        lines = lines_of(partner.pk, day)
        sent += bool(
            send_digest(
                partner=partner,
                topic=topic,
                day=day,
                title=title.with_params(count=len(lines), day=day),
                lines=lines,
                items=len(lines),
                link=reverse(url_name) + query,
            )
        )
    return sent


def send_daily_digests(*, now: datetime | None = None) -> int:
    """Send every digest due for yesterday (and the missed ones of the day before); returns
    how many were sent. Safe to run any number of times."""
    last = digest_day(now)
    sent = 0
    for offset in range(CATCH_UP_DAYS - 1, -1, -1):
        day = last - timedelta(days=offset)
        for topic in DIGESTS:
            sent += send_topic_digests(topic, day)
    return sent
