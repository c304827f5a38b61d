"""Duplicate rules [our rule]: two items are likely duplicates when they name the same
customer (same unified social credit code, or the same normalized name) and share at least
one product.

- PO against PO: the first to pass verification wins. Once one is verified, another
  partner's duplicate is refused at submission and rejected while pending.
- PO against HO: the HO counts from its creation in the vendor's CRM, the PO from its
  verification; the earlier wins.
- A verified PO takes part only while its deal protection is live (R4.1, `protection.py`):
  closed (won or lost) or expired, it frees the customer. A lead takes part while it is in
  the pool and not given up (R4.2): a lead BD closed wins nothing.

Verifications and submissions serialize per customer by locking `CustomerKeyLock` rows of
their keys in sorted order, so two duplicates are never verified at the same time."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from . import protection
from .models import CustomerKeyLock, DuplicatePair, Opportunity, VendorLead

S = Opportunity.State

# Company-form suffixes removed before comparing names (longest first; one is removed).
_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "companylimited",
    "corporation",
    "coltd",
    "limited",
    "ltd",
    "inc",
)
# PO states that take part in duplicate checks (drafts and rejected POs do not); a verified
# PO only while its protection is live (`live_po_q`).
PO_LIVE_STATES = (S.SUBMITTED, S.UNDER_VERIFICATION, S.RETURNED, S.VERIFIED)
PO_WAITING_STATES = (S.SUBMITTED, S.UNDER_VERIFICATION, S.RETURNED)


def live_po_q(prefix: str = "") -> Q:
    """POs that take part in duplicates: waiting for verification, or protected now."""
    return Q(**{f"{prefix}state__in": PO_WAITING_STATES}) | protection.live_q(prefix=prefix)


def normalize_customer_name(name: str) -> str:
    """Full-width to half-width, case folded, letters and digits only, company form removed:
    "华云数智科技 (北京) 有限公司" and "华云数智科技(北京)有限公司" give the same key."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            return text[: -len(suffix)]
    return text


def customer_keys(item) -> list[str]:
    keys = [f"name:{item.customer_key}"] if item.customer_key else []
    if item.customer_credit_code:
        keys.append(f"code:{item.customer_credit_code}")
    return keys


def lock_customer_keys(*items) -> None:
    """Lock the customers of `items` until the transaction ends (rows locked in key order,
    so two transactions never wait for each other in a circle)."""
    keys = sorted({key for item in items for key in customer_keys(item)})
    if not keys:
        return
    CustomerKeyLock.objects.bulk_create(
        [CustomerKeyLock(key=key) for key in keys], ignore_conflicts=True
    )
    list(CustomerKeyLock.objects.select_for_update().filter(key__in=keys).order_by("key"))


@dataclass
class Match:
    other: Opportunity | VendorLead
    matched_on: str
    products: list[str]

    @property
    def is_lead(self) -> bool:
        return isinstance(self.other, VendorLead)


def _customer_q(item) -> Q:
    q = Q(customer_key=item.customer_key)
    if item.customer_credit_code:
        q |= Q(customer_credit_code=item.customer_credit_code)
    return q


def _match(item, other) -> Match | None:
    shared = sorted(set(item.products or ()) & set(other.products or ()))
    if not shared:
        return None
    same_code = bool(item.customer_credit_code) and (
        item.customer_credit_code == other.customer_credit_code
    )
    matched_on = DuplicatePair.Match.CREDIT_CODE if same_code else DuplicatePair.Match.NAME
    return Match(other, matched_on, shared)


def _dismissed_ids(item) -> tuple[set[int], set[int]]:
    """Ids of POs and leads BD said are not duplicates of `item`."""
    dismissed = DuplicatePair.objects.filter(status=DuplicatePair.Status.DISMISSED)
    if isinstance(item, VendorLead):
        return set(dismissed.filter(lead=item).values_list("po_id", flat=True)), set()
    rows = dismissed.filter(Q(po=item) | Q(other_po=item)).values_list(
        "po_id", "other_po_id", "lead_id"
    )
    pos, leads = set(), set()
    for po_id, other_id, lead_id in rows:
        if lead_id:
            leads.add(lead_id)
        else:
            pos.add(other_id if po_id == item.pk else po_id)
    return pos, leads


def find_duplicates(item, *, include_leads: bool = True) -> list[Match]:
    """Live items that look like duplicates of `item` (a PO or a lead), minus the pairs
    BD dismissed. POs: submitted, under verification, returned or verified. Leads: open."""
    if not item.customer_key and not item.customer_credit_code:
        return []
    dismissed_pos, dismissed_leads = _dismissed_ids(item)
    matches: list[Match] = []
    pos = (
        Opportunity.objects.filter(kind=Opportunity.Kind.PO)
        .filter(live_po_q())
        .filter(_customer_q(item))
        .exclude(pk__in=dismissed_pos)
        .order_by("id")
    )
    if isinstance(item, Opportunity):
        pos = pos.exclude(pk=item.pk)
    for other in pos:
        if m := _match(item, other):
            matches.append(m)
    if include_leads and isinstance(item, Opportunity):
        leads = (
            VendorLead.objects.filter(protection.lead_live_q())
            .filter(_customer_q(item))
            .exclude(pk__in=dismissed_leads)
            .order_by("id")
        )
        for lead in leads:
            if m := _match(item, lead):
                matches.append(m)
    return matches


def record_pairs(item, matches: list[Match]) -> list[DuplicatePair]:
    """Remember candidate pairs for BD's duplicate queue (once per two items)."""
    pairs = []
    for m in matches:
        if isinstance(item, VendorLead):
            lookup = {"po": m.other, "lead": item}
        elif m.is_lead:
            lookup = {"po": item, "lead": m.other}
        else:
            first, second = sorted((item, m.other), key=lambda o: o.pk)
            lookup = {"po": first, "other_po": second}
        pair, created = DuplicatePair.objects.get_or_create(
            **lookup, defaults={"matched_on": m.matched_on, "products": m.products}
        )
        if not created and pair.status == DuplicatePair.Status.RESOLVED:
            # The items changed and match again: BD looks again.
            pair.status = DuplicatePair.Status.OPEN
            pair.save(update_fields=["status"])
        pairs.append(pair)
    return pairs


# ---- Verdicts ----------------------------------------------------------------------------


@dataclass
class Verdict:
    """The rule's answer for a pair. `winner`/`loser` are items, or None when the rule cannot
    decide yet (two POs, neither verified: the first to be verified wins)."""

    winner: Opportunity | VendorLead | None
    loser: Opportunity | VendorLead | None
    explanation: str

    @property
    def decided(self) -> bool:
        return self.winner is not None


def _fmt(moment: datetime | None) -> str:
    if moment is None:
        return "–"
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def first_verified(items) -> Opportunity | None:
    """PO against PO, first-verified-wins: the earliest verified PO whose protection is live
    among `items` (ties go to the lower id), or None when there is none."""
    verified = [
        o
        for o in items
        if isinstance(o, Opportunity) and protection.is_live(o) and o.verified_at is not None
    ]
    return min(verified, key=lambda o: (o.verified_at, o.pk)) if verified else None


def ho_wins(lead: VendorLead, po_verified_at: datetime | None) -> bool:
    """PO against HO: the HO counts from its creation in the vendor's CRM, the PO from its
    verification (`None`: not verified); the earlier wins."""
    return po_verified_at is None or lead.crm_created_at < po_verified_at


def verdict_for(pair: DuplicatePair) -> Verdict:
    if pair.lead_id:
        # The queue annotates `lead_live` (one query for the page); otherwise ask.
        return verdict_po_lead(pair.po, pair.lead, lead_live=getattr(pair, "lead_live", None))
    return verdict_po_po(pair.po, pair.other_po)


def verdict_po_po(a: Opportunity, b: Opportunity) -> Verdict:
    winner = first_verified((a, b))
    if winner is None:
        return Verdict(
            None,
            None,
            _("Neither is verified yet: the first to pass verification wins."),
        )
    loser = b if winner is a else a
    return Verdict(
        winner,
        loser,
        _("PO #%(winner)s passed verification first (%(time)s).")
        % {"winner": winner.pk, "time": _fmt(winner.verified_at)},
    )


def verdict_po_lead(po: Opportunity, lead: VendorLead, *, lead_live: bool | None = None) -> Verdict:
    po_time = po.verified_at if protection.is_live(po) else None
    if lead_live is None:
        lead_live = protection.lead_is_live(lead)
    if not lead_live:
        if po_time is None:
            return Verdict(None, None, _("The HO lead is closed: it wins nothing; the PO goes on."))
        return Verdict(po, lead, _("The HO lead is closed: the PO wins."))
    if ho_wins(lead, po_time):
        return Verdict(
            lead,
            po,
            _(
                "The HO was created in the CRM at %(ho)s, before the PO's verification "
                "(%(po)s): the HO wins."
            )
            % {"ho": _fmt(lead.crm_created_at), "po": _fmt(po_time) if po_time else _("not yet")},
        )
    return Verdict(
        po,
        lead,
        _("The PO passed verification at %(po)s, before the HO's creation in the CRM (%(ho)s).")
        % {"po": _fmt(po_time), "ho": _fmt(lead.crm_created_at)},
    )


def duplicate_detail(*, winner: Opportunity | VendorLead, loser: Opportunity | VendorLead) -> dict:
    """What a rejected or withdrawn item records about the item that won: its kind and the
    deciding timestamps, never the other partner."""
    if isinstance(winner, VendorLead):
        winner_kind, winner_basis, winner_time = "ho", "crm_created", winner.crm_created_at
    else:
        winner_kind, winner_basis, winner_time = "po", "verified", winner.verified_at
    if isinstance(loser, VendorLead):
        loser_basis, loser_time = "crm_created", loser.crm_created_at
    elif protection.is_live(loser) and loser.verified_at:
        loser_basis, loser_time = "verified", loser.verified_at
    else:
        loser_basis, loser_time = "not_verified", None
    return {
        "rule": "duplicate",
        "winner_kind": winner_kind,
        "winner_basis": winner_basis,
        "winner_time": winner_time.isoformat() if winner_time else None,
        "loser_basis": loser_basis,
        "loser_time": loser_time.isoformat() if loser_time else None,
    }


def explain_duplicate(detail: dict) -> str:
    """The duplicate decision in words, for the partner (no partner is named)."""
    winner_time = _fmt(parse_datetime(detail["winner_time"])) if detail.get("winner_time") else "–"
    loser_time = _fmt(parse_datetime(detail["loser_time"])) if detail.get("loser_time") else None
    if detail.get("winner_kind") == "ho":
        text = _(
            "The vendor already held this opportunity: it was created in the vendor's CRM at "
            "%(time)s"
        ) % {"time": winner_time}
    else:
        text = _(
            "An earlier opportunity for the same customer and products passed verification "
            "at %(time)s"
        ) % {"time": winner_time}
    if loser_time and detail.get("loser_basis") == "verified":
        text += _(", before this one passed verification (%(time)s).") % {"time": loser_time}
    elif loser_time:
        text += _(", before this one (%(time)s).") % {"time": loser_time}
    else:
        text += _(", while this one was still waiting for verification.")
    return text
