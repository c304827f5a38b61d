"""Operation limits and the second admin's approval of money operations."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.accounts.models import User
from partner_center.accounts.permissions import Role
from partner_center.errors import DomainError, NotAllowed
from partner_center.money import cny
from partner_center.notifications.messages import label, msg
from partner_center.notifications.recipients import partner_admins
from partner_center.notifications.services import notify

from ..models import (
    DEFAULT_OPERATION_LIMIT,
    MoneyLimit,
    MoneyRequest,
)
from ..transitions import MONEY_REQUEST


def operation_limit(partner_id: int | None) -> Decimal:
    """The most one money operation of the partner moves without a second admin [our rule]."""
    limit = (
        MoneyLimit.objects.filter(partner_id=partner_id)
        .values_list("per_operation", flat=True)
        .first()
    )
    return DEFAULT_OPERATION_LIMIT if limit is None else limit


def needs_approval(partner_id: int | None, amount) -> bool:
    """Whether `amount` is above the partner's limit (the confirmation step says so)."""
    return Decimal(str(amount)) > operation_limit(partner_id)


def _needs_approval(partner_id, amount: Decimal, approval: MoneyRequest | None) -> bool:
    if approval is not None:
        # Only the approval service passes the request, after checking it under a lock.
        if approval.state != MoneyRequest.State.PENDING or approval.amount != amount:
            raise ValueError("approval does not match the operation")
        return False
    return needs_approval(partner_id, amount)


def second_admins(partner_id: int, requester) -> list[User]:
    return list(partner_admins(partner_id).exclude(pk=getattr(requester, "pk", None)))


def _ask_approval(*, actor: User, partner_id: int, operation: str, amount: Decimal, **fields):
    """Record the operation as pending and ask the partner's other admins."""
    approvers = second_admins(partner_id, actor)
    limit = operation_limit(partner_id)
    if not approvers:
        raise DomainError(
            _(
                "%(amount)s is above your limit of %(limit)s per operation, and no other "
                "partner admin can approve it. Split it or ask the vendor to change the limit."
            )
            % {"amount": cny(amount), "limit": cny(limit)},
            field="face_value" if operation == MoneyRequest.Operation.VOUCHER_ISSUE else "amount",
            code="over_limit",
        )
    request = MoneyRequest.objects.create(
        partner_id=partner_id,
        operation=operation,
        amount=amount,
        requested_by=actor,
        reason=str(fields.pop("reason", "") or "")[:300],
        **fields,
    )
    MONEY_REQUEST.record_created(
        request,
        "request",
        actor=actor,
        data={"amount": str(amount), "limit": str(limit), "operation": operation},
    )
    notify(
        recipients=approvers,
        kind="customers.money_request",
        title=msg(
            "%(who)s asks you to approve: %(what)s, %(amount)s",
            who=actor.get_full_name() or actor.email,
            what=label(request, "operation"),
            amount=cny(amount),
        ),
        link=reverse("customers:money_requests"),
    )
    return request


def _carry_out(request: MoneyRequest):
    """Run the operation a request stands for, as the one who asked for it."""
    from .accounts import account_fund, account_reclaim
    from .resellers import (
        reseller_fund,
        reseller_grant_quota,
        reseller_reclaim,
        reseller_reduce_quota,
    )
    from .vouchers import voucher_issue

    common = {"actor": request.requested_by, "amount": request.amount, "approval": request}
    op = MoneyRequest.Operation
    if request.operation == op.FUND:
        return account_fund(account=request.account, reason=request.reason, **common)
    if request.operation == op.RECLAIM:
        return account_reclaim(account=request.account, reason=request.reason, **common)
    reseller_services = {
        op.RESELLER_FUND: reseller_fund,
        op.RESELLER_RECLAIM: reseller_reclaim,
        op.GRANT_QUOTA: reseller_grant_quota,
        op.REDUCE_QUOTA: reseller_reduce_quota,
    }
    operation = op(request.operation)
    if operation in reseller_services:
        return reseller_services[operation](
            reseller=request.reseller, reason=request.reason, **common
        )
    return voucher_issue(
        actor=request.requested_by,
        association=request.association,
        face_value=request.amount,
        valid_until=request.valid_until,
        approval=request,
    )


def _check_decider(actor: User | None, request: MoneyRequest) -> None:

    if getattr(actor, "role", None) != Role.PARTNER_ADMIN or actor.partner_id != request.partner_id:
        raise NotAllowed
    if actor.pk == request.requested_by_id:
        raise DomainError(
            _("A second admin decides: you cannot approve or refuse your own request."),
            code="own_request",
        )


@transaction.atomic
def money_request_approve(*, actor: User, request: MoneyRequest) -> MoneyRequest:
    """A second partner admin approves: the money moves now, through the same service (its
    balance checks apply now; if they refuse, the request stays pending)."""
    request = MoneyRequest.objects.select_for_update().get(pk=request.pk)
    _check_decider(actor, request)
    MONEY_REQUEST.check(request, "approve")
    result = _carry_out(request)
    transfer = getattr(result, "transfer", None)
    now = timezone.now()
    MONEY_REQUEST.apply(
        request,
        "approve",
        actor=actor,
        locked=True,
        changes={"decided_by": actor, "decided_at": now, "ledger_transfer": transfer},
        data={"amount": str(request.amount)},
    )
    _tell_requester(
        request, msg("Approved and done: %(what)s, %(amount)s", **_what_and_amount(request))
    )
    return request


def _what_and_amount(request: MoneyRequest) -> dict:
    return {"what": label(request, "operation"), "amount": cny(request.amount)}


def _tell_requester(request: MoneyRequest, title, body="") -> None:
    """Tell the admin who asked how the second admin decided."""
    notify(
        recipients=[request.requested_by],
        kind="customers.money_request",
        title=title,
        body=body,
        link=reverse("customers:money_requests"),
    )


@transaction.atomic
def money_request_refuse(*, actor: User, request: MoneyRequest, note: str = "") -> MoneyRequest:
    """A second partner admin refuses: nothing moves."""
    request = MoneyRequest.objects.select_for_update().get(pk=request.pk)
    _check_decider(actor, request)
    MONEY_REQUEST.apply(
        request,
        "refuse",
        actor=actor,
        locked=True,
        reason=note[:300],
        changes={"decided_by": actor, "decided_at": timezone.now(), "decision_note": note[:300]},
    )
    _tell_requester(
        request, msg("Refused: %(what)s, %(amount)s", **_what_and_amount(request)), body=note
    )
    return request


@transaction.atomic
def money_request_cancel(*, actor: User | None, request: MoneyRequest) -> MoneyRequest:
    """The requester withdraws a pending request: nothing moves."""

    request = MoneyRequest.objects.select_for_update().get(pk=request.pk)
    if actor.pk != request.requested_by_id:
        raise NotAllowed
    MONEY_REQUEST.apply(
        request,
        "cancel",
        actor=actor,
        locked=True,
        changes={"decided_by": actor, "decided_at": timezone.now()},
    )
    return request
