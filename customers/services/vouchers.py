"""Vouchers: issuing, returning and revoking."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.accounts.access import require
from partner_center.accounts.models import User
from partner_center.audit.services import record_event
from partner_center.audit.verbs import Verb
from partner_center.errors import DomainError
from partner_center.money import cny
from partner_center.notifications.messages import msg
from partner_center.notifications.services import notify
from partner_center.validators import check_date

from .. import ledger
from ..models import (
    Account,
    Association,
    LedgerEntry,
    MoneyRequest,
    Voucher,
)
from ..permissions import (
    ISSUE_VOUCHERS,
    REVOKE_VOUCHERS,
)
from ._common import _reseller_account
from .money_requests import _ask_approval, _needs_approval


def _new_voucher_code() -> str:
    while True:
        code = "V" + secrets.token_hex(6).upper()
        if not Voucher.objects.filter(code=code).exists():
            return code


@transaction.atomic
def voucher_issue(
    *,
    actor: User,
    association: Association,
    face_value,
    valid_until: datetime,
    now: datetime | None = None,
    approval: MoneyRequest | None = None,
) -> Voucher | MoneyRequest:
    """A reseller issues a voucher to one of its customers from its voucher quota (above the
    partner's limit: a request a second admin approves)."""
    require(actor, ISSUE_VOUCHERS)
    now = now or timezone.now()
    if association.partner_id != actor.partner_id or not association.is_active:
        raise DomainError(_("Choose one of your associated customers."), field="customer")
    check_date(valid_until, field="valid_until")
    if valid_until <= now:
        raise DomainError(_("The voucher must be valid in the future."), field="valid_until")
    amount = ledger.to_money(face_value, field="face_value")
    if _needs_approval(association.partner_id, amount, approval):
        return _ask_approval(
            actor=actor,
            partner_id=association.partner_id,
            operation=MoneyRequest.Operation.VOUCHER_ISSUE,
            amount=amount,
            association=association,
            reason="",
            valid_until=valid_until,
        )
    quota = Account.objects.filter(
        partner_id=actor.partner_id, kind=Account.Kind.VOUCHER_QUOTA
    ).first()
    if quota is None:
        raise DomainError(
            _("Your distributor has not granted you voucher quota yet."), field="face_value"
        )
    account = Account.objects.create(kind=Account.Kind.VOUCHER, partner_id=actor.partner_id)
    voucher = Voucher.objects.create(
        code=_new_voucher_code(),
        partner_id=actor.partner_id,
        customer_id=association.customer_id,
        association=association,
        account=account,
        face_value=amount,
        valid_until=valid_until,
        issued_by=actor,
        issued_at=now,
    )
    ledger.move(
        actor=actor,
        entry_type=LedgerEntry.Type.VOUCHER_ISSUE,
        amount=amount,
        source=quota,
        target=account,
        reason=_("Voucher %(code)s") % {"code": voucher.code},
        field="face_value",
    )
    record_event(
        actor=actor, subject=voucher, verb=Verb.VOUCHER_ISSUED, partner_id=actor.partner_id
    )
    customer_user = association.customer.user
    if customer_user is not None:
        notify(
            recipients=[customer_user],
            kind="customers.voucher",
            title=msg("You received a voucher of %(amount)s", amount=cny(amount)),
            link=reverse("customers:my_vouchers"),
        )
    return voucher


def _voucher_return(*, actor: User, voucher: Voucher, reason: str, now: datetime) -> None:
    remaining = Account.objects.get(pk=voucher.account_id).balance
    if remaining > 0:
        quota = _reseller_account(voucher.partner, Account.Kind.VOUCHER_QUOTA)
        ledger.move(
            actor=actor,
            entry_type=LedgerEntry.Type.VOUCHER_REVOKE,
            amount=remaining,
            source=voucher.account,
            target=quota,
            reason=reason,
        )
    Voucher.objects.filter(pk=voucher.pk).update(revoked_at=now)
    record_event(
        actor=actor,
        subject=voucher,
        verb=Verb.VOUCHER_REVOKED,
        reason=reason,
        partner_id=voucher.partner_id,
        data={"returned": str(remaining)},
    )


@transaction.atomic
def voucher_revoke(*, actor: User, voucher: Voucher, now: datetime | None = None) -> Voucher:
    """Withdraw a voucher; what is left on it goes back to the reseller's quota."""
    require(actor, REVOKE_VOUCHERS, partner_id=voucher.partner_id)
    now = now or timezone.now()
    voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
    if voucher.revoked_at is not None:
        raise DomainError(_("This voucher was revoked already."))
    _voucher_return(actor=actor, voucher=voucher, reason=_("Revoked by the partner"), now=now)
    voucher.refresh_from_db()
    return voucher
