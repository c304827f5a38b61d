"""Resources: renewals, auto-renewal and expiry."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.accounts.access import require
from partner_center.accounts.models import User
from partner_center.accounts.permissions import Role
from partner_center.audit.services import record_event
from partner_center.audit.verbs import Verb
from partner_center.errors import DomainError, NotAllowed
from partner_center.notifications.messages import as_message, msg
from partner_center.notifications.recipients import partner_admins
from partner_center.notifications.services import notify

from ..models import (
    ZERO,
    Account,
    Association,
    Attribution,
    BillingModel,
    Customer,
    LedgerEntry,
    Order,
    OrderLine,
    Resource,
    Voucher,
    billing_period_of,
)
from ..permissions import (
    MOVE_MONEY,
    RENEW_OWN_RESOURCES,
    SWITCH_AUTO_RENEW,
)
from ._common import AUTO_RENEW_LEAD, MAX_RENEWAL_PERIODS, add_periods
from .accounts import AUTO_RENEW, _spend, _spend_voucher


@transaction.atomic
def resource_renew(
    *,
    actor: User | None,
    resource: Resource,
    periods: int = 1,
    voucher: Voucher | None = None,
    source: str = Order.Source.PORTAL,
    order_no: str | None = None,
    now: datetime | None = None,
) -> Order:
    """Renew a yearly/monthly resource for `periods` months or years, paid from the
    customer's hosted account (a voucher first, if one is given). Refused with the reason
    when the account cannot pay. The one renewal rule for every renewer: the partner (its
    users who may move money), the customer itself (its own resources only) and the
    auto-renew sweep (`actor` None) differ only in who acts."""
    if actor is not None:  # None: the auto-renew sweep
        _check_renewer(actor, resource)
    now = now or timezone.now()
    resource = Resource.objects.select_for_update().select_related("product").get(pk=resource.pk)
    try:
        periods = int(periods)
    except (TypeError, ValueError):
        periods = 0
    if not 1 <= periods <= MAX_RENEWAL_PERIODS:
        raise DomainError(_("Renew for 1 to 36 periods."), field="periods")
    if resource.status == Resource.Status.UNSUBSCRIBED:
        raise DomainError(_("This resource was unsubscribed; it cannot be renewed."))
    association = (
        Association.objects.select_related("partner").filter(pk=resource.association_id).first()
    )
    if association is None or not association.is_active:
        raise DomainError(_("The customer is not associated with a partner any more."))
    if not association.hosted:
        raise DomainError(
            _(
                "This customer pays from its own main account (referral model); it renews on "
                "the vendor's site."
            )
        )
    account = Account.objects.get(association=association)
    amount = resource.renewal_price * periods
    voucher_amount = ZERO
    if voucher is not None:
        if (
            voucher.customer_id != resource.customer_id
            or voucher.partner_id != association.partner_id
        ):
            raise DomainError(_("This voucher belongs to another customer."), field="voucher")
        voucher_amount = min(Voucher.objects.get(pk=voucher.pk).account.balance, amount)
    order = Order.objects.create(
        order_no=order_no or f"PCR{now:%Y%m%d%H%M%S}{secrets.token_hex(3).upper()}",
        order_type=Order.Type.RENEWAL,
        customer_id=resource.customer_id,
        partner=association.partner,
        distributor_id=association.partner.parent_distributor_id,
        association=association,
        attributed_to=Attribution.HOSTED_SUB_ACCOUNT,
        account=account,
        product=resource.product,
        amount=amount,
        voucher_amount=voucher_amount,
        voucher=voucher if voucher_amount > 0 else None,
        formed_at=now,
        billing_period=billing_period_of(now),
        source=source,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    OrderLine.objects.create(order=order, resource=resource, amount=amount, periods=periods)
    label = AUTO_RENEW if source == Order.Source.AUTO_RENEW else ""
    if voucher_amount > 0:
        _spend_voucher(
            actor=actor,
            voucher=voucher,
            amount=voucher_amount,
            order=order,
            now=now,
            actor_label=label,
        )
    if amount - voucher_amount > 0:
        _spend(
            actor=actor,
            account=account,
            amount=amount - voucher_amount,
            entry_type=LedgerEntry.Type.RENEWAL,
            order=order,
            reason=_("Renewal of %(name)s") % {"name": resource.name},
            now=now,
            actor_label=label,
        )
    before = resource.expires_at
    resource.expires_at = add_periods(max(resource.expires_at, now), resource.period_unit, periods)
    resource.status = Resource.Status.ACTIVE
    resource.last_auto_renew_error = ""
    resource.save(update_fields=["expires_at", "status", "last_auto_renew_error"])
    record_event(
        actor=actor,
        subject=resource,
        verb=Verb.RESOURCE_RENEWED,
        reason=order.order_no,
        data={
            "periods": periods,
            "from": before.isoformat(),
            "to": resource.expires_at.isoformat(),
            "amount": str(amount),
            "auto": source == Order.Source.AUTO_RENEW,
        },
        actor_label=AUTO_RENEW if actor is None else "",
    )
    if actor is not None:
        _tell_partner_customer_renewed(actor, resource, order)
    return order


def _own_resource(actor: User, resource: Resource) -> bool:
    return Customer.objects.filter(pk=resource.customer_id, user=actor).exists()


def _check_renewer(actor: User, resource: Resource) -> None:
    """Who may renew: a customer its own resources; a partner user who may move money its
    customers' resources."""
    if actor.role == Role.CUSTOMER:
        require(actor, RENEW_OWN_RESOURCES)
        if not _own_resource(actor, resource):
            raise NotAllowed
    else:
        require(actor, MOVE_MONEY, partner_id=resource.partner_id)


def _tell_partner_customer_renewed(actor: User, resource: Resource, order: Order) -> None:
    if actor.role == Role.CUSTOMER and resource.partner_id:
        notify(
            recipients=list(partner_admins(resource.partner_id)),
            kind="customers.customer_renewed",
            title=msg(
                "%(customer)s renewed %(resource)s",
                customer=resource.customer.name,
                resource=resource.name,
            ),
            body=msg(
                "Order %(no)s, %(amount)s paid from the hosted account.",
                no=order.order_no,
                amount=order.amount,
            ),
            link=reverse("customers:order_detail", args=[order.pk]),
        )


@transaction.atomic
def resource_set_auto_renew(*, actor: User, resource: Resource, enabled: bool) -> Resource:
    """Set or cancel auto-renew. The portal renews only resources paid from a hosted
    account; a referral-model customer sets it on the vendor's site."""
    require(actor, SWITCH_AUTO_RENEW, partner_id=resource.partner_id)
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if actor.role == Role.CUSTOMER and not _own_resource(actor, resource):
        raise NotAllowed  # a customer switches only its own resources
    if resource.status == Resource.Status.UNSUBSCRIBED:
        raise DomainError(_("This resource was unsubscribed."))
    association = Association.objects.filter(pk=resource.association_id).first()
    if enabled and (association is None or not association.is_active or not association.hosted):
        raise DomainError(
            _(
                "Auto-renew in the portal pays from the partner-hosted account; this "
                "resource is paid from the customer's own main account."
            )
        )
    if resource.auto_renew == enabled:
        return resource
    resource.auto_renew = enabled
    resource.last_auto_renew_error = ""
    resource.save(update_fields=["auto_renew", "last_auto_renew_error"])
    record_event(
        actor=actor,
        subject=resource,
        verb=Verb.RESOURCE_AUTO_RENEW_ON if enabled else "resource.auto_renew_off",
    )
    return resource


def auto_renew_order_no(resource: Resource) -> str:
    """One number per resource and expiry: a second run cannot renew the same period twice."""
    return f"AR-{resource.pk}-{resource.expires_at:%Y%m%d%H%M%S}"


@dataclass
class AutoRenewResult:
    renewed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def auto_renew_due(*, now: datetime | None = None) -> AutoRenewResult:
    """Renew, one period each, the resources with auto-renew on that expire within
    AUTO_RENEW_LEAD. Safe to run late or twice: a renewed resource is no longer due, and each
    renewal's order number is fixed by the resource and its old expiry."""
    now = now or timezone.now()
    result = AutoRenewResult()
    due = Resource.objects.filter(
        auto_renew=True,
        status=Resource.Status.ACTIVE,
        expires_at__lte=now + AUTO_RENEW_LEAD,
        association__state=Association.State.ACTIVE,
        association__billing_model=BillingModel.RESELLER,
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            resource = Resource.objects.select_for_update().get(pk=pk)
            if not (
                resource.auto_renew
                and resource.status == Resource.Status.ACTIVE
                and resource.expires_at <= now + AUTO_RENEW_LEAD
            ):
                continue
            order_no = auto_renew_order_no(resource)
            if Order.objects.filter(order_no=order_no).exists():
                continue
            try:
                with transaction.atomic():
                    resource_renew(
                        actor=None,
                        resource=resource,
                        periods=1,
                        source=Order.Source.AUTO_RENEW,
                        order_no=order_no,
                        now=now,
                    )
                result.renewed.append(resource.resource_id)
            except DomainError as exc:
                message = str(exc.message)
                result.failed[resource.resource_id] = message
                first_failure = resource.last_auto_renew_error != message
                Resource.objects.filter(pk=pk).update(last_auto_renew_error=message[:300])
                if first_failure:
                    record_event(
                        actor=None,
                        subject=resource,
                        verb=Verb.RESOURCE_AUTO_RENEW_FAILED,
                        reason=message,
                        actor_label=AUTO_RENEW,
                    )
                    if resource.partner_id:
                        notify(
                            recipients=list(partner_admins(resource.partner_id)),
                            kind="customers.auto_renew_failed",
                            title=msg("Auto-renewal of %(name)s failed", name=resource.name),
                            body=as_message(exc.message) or message,
                            link=reverse("customers:resources") + "?expiring=1",
                        )
    return result


def resources_mark_expired(*, now: datetime | None = None) -> int:
    """Set-based: active resources past their expiry become expired. Idempotent."""
    now = now or timezone.now()
    return Resource.objects.filter(status=Resource.Status.ACTIVE, expires_at__lte=now).update(
        status=Resource.Status.EXPIRED
    )
