"""State aliases, field rules and helpers shared by the opportunity service areas."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.errors import DomainError
from partner_center.notifications.recipients import bd_staff, partner_users
from partner_center.notifications.services import notify
from partner_center.validators import check_date, clean_name, clean_phone

from .. import duplicates as dup
from ..models import Opportunity
from ..transitions import (
    HO,
    PO_FIELDS,
)

S = Opportunity.State
K = Opportunity.Kind

# A PO can be submitted only when these are filled in [our rule].
REQUIRED_FOR_SUBMISSION = (
    "customer_name",
    "contact_name",
    "contact_phone",
    "project_name",
    "products",
    "amount",
    "expected_close_date",
)
LEAD_FIELDS = PO_FIELDS


# ---- Helpers -----------------------------------------------------------------------------


partner_recipients = partner_users  # the partner's users hear about its opportunities
bd_recipients = bd_staff


def _notify(*, recipients, kind: str, title, body="", opportunity=None, link="") -> None:
    """`title`/`body` are `msg(...)` (rendered in each reader's language) or user text."""
    notify(
        recipients=recipients,
        kind=kind,
        title=title,
        body=body,
        link=link or (reverse("opportunities:detail", args=[opportunity.pk])),
    )


def _notify_partner(opportunity: Opportunity, kind: str, title, body="") -> None:
    _notify(
        recipients=partner_recipients([opportunity.partner_id]).get(opportunity.partner_id, []),
        kind=kind,
        title=title,
        body=body,
        opportunity=opportunity,
    )


def _decide_share(share, transition: str, *, actor, rule: str, note: str, detail=None, at=None):
    """`transition` of a locked HO that `rule` decided: when, by whom, the rule, the note
    and the rule's facts (`detail`, `{"rule": rule}` unless given) are kept on the HO and
    in its history."""
    detail = detail or {"rule": rule}
    HO.apply(
        share,
        transition,
        actor=actor,
        changes={
            "decided_at": at or timezone.now(),
            "decided_by": actor,
            "decision_rule": rule,
            "decision_note": note,
            "decision_detail": detail,
        },
        reason=note,
        data=detail,
        locked=True,
    )


def _record_edit(machine, obj, changed: list[str], *, actor) -> None:
    """The edit of a locked PO or lead in its history: the new values of the `changed`
    fields, and their names (the derived customer key not among them)."""
    machine.apply(
        obj,
        "edit",
        actor=actor,
        changes={n: getattr(obj, n) for n in changed},
        data={"fields": [n for n in changed if n != "customer_key"]},
        locked=True,
    )


def _lock(opportunity: Opportunity) -> Opportunity:
    return Opportunity.objects.select_for_update().get(pk=opportunity.pk)


def _check_deadline(opportunity: Opportunity, now=None) -> None:
    """Past its deadline an item belongs to the sweep: nobody may act on it any more, so a
    late sweep ends it exactly as a punctual one would have."""
    now = now or timezone.now()
    if opportunity.clock_running and opportunity.deadline and opportunity.deadline < now:
        raise DomainError(
            _("The deadline passed at %(time)s: the deadline rule closes this item.")
            % {"time": timezone.localtime(opportunity.deadline).strftime("%Y-%m-%d %H:%M")},
            code="deadline",
        )


def _normalize(values: dict) -> dict:
    out = dict(values)
    for name in ("customer_name", "project_name", "contact_name"):
        if name in out and isinstance(out[name], str):
            out[name] = clean_name(out[name])
    if "contact_phone" in out:
        out["contact_phone"] = clean_phone(out["contact_phone"], field="contact_phone")
    for name in ("expected_close_date", "delivery_completed_on"):
        if name in out:
            check_date(out[name], field=name)
    if "customer_credit_code" in out:
        out["customer_credit_code"] = (out["customer_credit_code"] or "").strip().upper()
    if "amount" in out and out["amount"] not in (None, ""):
        try:
            out["amount"] = Decimal(str(out["amount"])).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError) as exc:
            raise DomainError(_("Enter an amount in CNY."), field="amount") from exc
    elif "amount" in out:
        out["amount"] = None
    if "products" in out:
        out["products"] = sorted(set(out["products"] or []))
    return out


def _validate(obj, names) -> None:
    """Model-level validation of the given fields, as a DomainError on the first field."""
    names = set(names)
    exclude = [f.name for f in obj._meta.fields if f.name not in names]
    try:
        obj.clean_fields(exclude=exclude)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field=field) from exc


def _apply(obj, changes: dict) -> list[str]:
    """Set the changed values; returns the names that really changed."""
    changed = []
    for name, value in changes.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    if "customer_name" in changed:
        obj.customer_key = dup.normalize_customer_name(obj.customer_name)
        changed.append("customer_key")
    return changed


def _jsonable(value):
    if isinstance(value, Decimal | date):
        return str(value)
    return value
