"""Orders and consumption imported from the vendor's site."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.accounts.models import User
from partner_center.errors import DomainError

from .. import ledger
from ..models import (
    ZERO,
    Account,
    Attribution,
    ConsumptionRecord,
    Customer,
    LedgerEntry,
    Order,
    OrderLine,
    Product,
    Resource,
    Voucher,
    billing_period_of,
)
from ..new_customer import is_paid_vendor_order, relabel
from ._common import ORDER_ENTRY_TYPE, association_at
from .accounts import VENDOR_SITE, _spend, _spend_voucher


@dataclass
class LineData:
    resource_id: str
    amount: Decimal
    name: str = ""
    region: str = ""
    period_unit: str = Resource.PeriodUnit.MONTH
    periods: int = 1
    renewal_price: Decimal | None = None
    expires_at: datetime | None = None
    original_order_no: str = ""


@dataclass
class OrderData:
    order_no: str
    customer_account: str
    order_type: str
    product_code: str
    amount: Decimal
    formed_at: datetime
    lines: list[LineData]
    product_name: str = ""
    voucher_code: str = ""
    voucher_amount: Decimal = ZERO


@dataclass
class ConsumptionData:
    record_no: str
    customer_account: str
    product_code: str
    amount: Decimal
    consumed_at: datetime
    product_name: str = ""
    resource_id: str = ""
    order_no: str = ""
    voucher_code: str = ""
    voucher_amount: Decimal = ZERO


def _product(code: str, name: str) -> Product:
    product, created = Product.objects.get_or_create(code=code, defaults={"name": name or code})
    if not created and name and product.name != name:
        product.name = name
        product.save(update_fields=["name"])
    return product


def _attribution(customer: Customer, moment: datetime) -> dict:
    assoc = association_at(customer, moment)
    if assoc is None:
        return {
            "association": None,
            "partner": None,
            "distributor_id": None,
            "attributed_to": Attribution.MAIN_ACCOUNT,
            "account": None,
        }
    partner = assoc.partner
    return {
        "association": assoc,
        "partner": partner,
        "distributor_id": partner.parent_distributor_id,
        "attributed_to": Attribution.HOSTED_SUB_ACCOUNT
        if assoc.hosted
        else Attribution.MAIN_ACCOUNT,
        "account": Account.objects.filter(association=assoc).first() if assoc.hosted else None,
    }


def _voucher_for(customer: Customer, code: str, amount: Decimal) -> Voucher | None:
    if amount <= 0:
        return None
    if not code:
        raise DomainError(_("A voucher amount needs the voucher code."), field="voucher_code")
    voucher = Voucher.objects.filter(code=code, customer=customer).first()
    if voucher is None:
        raise DomainError(_("No such voucher for this customer."), field="voucher_code")
    return voucher


@transaction.atomic
def order_record(
    *, actor: User | None, data: OrderData, now: datetime | None = None
) -> tuple[Order, bool]:
    """Record an order from the vendor's site; returns (order, created). An order number
    recorded before is left alone (idempotent). A hosted customer's account pays for a new
    purchase, renewal or upgrade (a voucher first), and gets the refund of an unsubscribe or
    downgrade."""
    now = now or timezone.now()
    existing = Order.objects.filter(order_no=data.order_no).first()
    if existing is not None:
        return existing, False
    if data.order_type not in Order.Type.values:
        raise DomainError(_("Unknown order type."), field="type")
    if data.formed_at > now:
        raise DomainError(_("The order is formed in the future."), field="formed_at")
    customer = Customer.objects.filter(account_name=data.customer_account).first()
    if customer is None:
        raise DomainError(_("Unknown customer account."), field="customer_account")
    if not data.lines:
        raise DomainError(_("An order needs at least one resource line."), field="lines")
    amount = ledger.to_money(data.amount, allow_zero=True)
    voucher_amount = ledger.to_money(data.voucher_amount, field="voucher_amount", allow_zero=True)
    if sum((ledger.to_money(line.amount, allow_zero=True) for line in data.lines), ZERO) != amount:
        raise DomainError(_("The lines do not add up to the order amount."), field="lines")
    is_refund = data.order_type in Order.REFUND_TYPES
    if is_refund and voucher_amount > 0:
        raise DomainError(_("A refund carries no voucher amount."), field="voucher_amount")
    if voucher_amount > amount:
        raise DomainError(_("The voucher pays more than the order."), field="voucher_amount")
    voucher = _voucher_for(customer, data.voucher_code, voucher_amount)
    attribution = _attribution(customer, data.formed_at)
    product = _product(data.product_code, data.product_name)
    order = Order.objects.create(
        order_no=data.order_no,
        order_type=data.order_type,
        customer=customer,
        product=product,
        amount=amount,
        voucher_amount=voucher_amount,
        voucher=voucher,
        formed_at=data.formed_at,
        billing_period=billing_period_of(data.formed_at),
        source=Order.Source.VENDOR_SITE,
        **attribution,
    )
    for line in data.lines:
        _record_line(
            order=order, customer=customer, product=product, line=line, attribution=attribution
        )
    account = attribution["account"]
    if voucher is not None:
        _spend_voucher(
            actor=actor,
            voucher=voucher,
            amount=voucher_amount,
            order=order,
            now=data.formed_at,
            actor_label=VENDOR_SITE,
        )
    cash = amount - voucher_amount
    if account is not None and cash > 0:
        if is_refund:
            if account.closed_at is not None:
                raise DomainError(
                    _("The customer's hosted account was closed when it was unbound."),
                    field="customer_account",
                )
            ledger.move(
                actor=actor,
                entry_type=LedgerEntry.Type.REFUND,
                amount=cash,
                source=None,
                target=account,
                order=order,
                reason=_("Refund of order %(no)s") % {"no": order.order_no},
                actor_label=VENDOR_SITE,
            )
        else:
            _spend(
                actor=actor,
                account=account,
                amount=cash,
                entry_type=ORDER_ENTRY_TYPE[Order.Type(data.order_type)],
                order=order,
                reason=_("Order %(no)s") % {"no": order.order_no},
                now=now,
                actor_label=VENDOR_SITE,
            )
    if is_paid_vendor_order(order):
        relabel([customer.pk], now=now)  # the new-customer label [our rule R4.5]
    return order, True


def _record_line(
    *, order: Order, customer: Customer, product: Product, line: LineData, attribution
):
    resource = Resource.objects.select_for_update().filter(resource_id=line.resource_id).first()
    amount = ledger.to_money(line.amount, allow_zero=True)
    original = None
    if resource is not None and resource.customer_id != customer.pk:
        raise DomainError(
            _("Resource %(id)s belongs to another customer.") % {"id": line.resource_id},
            field="lines",
        )
    if order.order_type == Order.Type.NEW:
        if resource is not None:
            raise DomainError(
                _("Resource %(id)s exists already.") % {"id": line.resource_id}, field="lines"
            )
        if line.expires_at is None:
            raise DomainError(_("A new resource needs its expiry date."), field="lines")
        if line.period_unit not in Resource.PeriodUnit.values:
            raise DomainError(_("Unknown billing mode."), field="lines")
        association = attribution["association"]
        current = association if association is not None and association.is_active else None
        resource = Resource.objects.create(
            resource_id=line.resource_id,
            name=line.name or product.name,
            customer=customer,
            partner=current.partner if current else None,
            association=current,
            product=product,
            region=line.region,
            period_unit=line.period_unit,
            renewal_price=ledger.to_money(
                line.renewal_price if line.renewal_price is not None else amount, allow_zero=True
            ),
            started_at=order.formed_at,
            expires_at=line.expires_at,
            original_order=order,
        )
    else:
        if resource is None:
            raise DomainError(
                _("Unknown resource %(id)s.") % {"id": line.resource_id}, field="lines"
            )
        update = []
        if line.expires_at is not None and order.order_type in (
            Order.Type.RENEWAL,
            Order.Type.UPGRADE,
            Order.Type.DOWNGRADE,
        ):
            resource.expires_at = line.expires_at
            update.append("expires_at")
            if order.order_type == Order.Type.RENEWAL:
                resource.status = Resource.Status.ACTIVE
                update.append("status")
        if line.renewal_price is not None and order.order_type in (
            Order.Type.UPGRADE,
            Order.Type.DOWNGRADE,
        ):
            resource.renewal_price = ledger.to_money(line.renewal_price, allow_zero=True)
            update.append("renewal_price")
        if order.order_type == Order.Type.UNSUBSCRIBE:
            resource.status = Resource.Status.UNSUBSCRIBED
            resource.auto_renew = False
            update += ["status", "auto_renew"]
        if update:
            resource.save(update_fields=update)
        if order.order_type in Order.REFUND_TYPES:
            if line.original_order_no:
                original = Order.objects.filter(
                    order_no=line.original_order_no, customer=customer
                ).first()
                if original is None:
                    raise DomainError(
                        _("Unknown original order %(no)s.") % {"no": line.original_order_no},
                        field="lines",
                    )
            else:
                original = resource.original_order
    OrderLine.objects.create(
        order=order,
        resource=resource,
        amount=amount,
        periods=line.periods if order.order_type in (Order.Type.NEW, Order.Type.RENEWAL) else 0,
        original_order=original,
    )


@transaction.atomic
def consumption_record(
    *, actor: User | None, data: ConsumptionData, now: datetime | None = None
) -> tuple[ConsumptionRecord, bool]:
    """Record usage from the vendor's site; idempotent by record number. It is booked to the
    partner-hosted sub-account when the customer was associated in the reseller model at
    `consumed_at`, otherwise to the customer's own main account. Usage is settled in the
    partner's bill, not from the hosted account's balance [our rule]; a voucher it names pays
    its part."""
    now = now or timezone.now()
    existing = ConsumptionRecord.objects.filter(record_no=data.record_no).first()
    if existing is not None:
        return existing, False
    if data.consumed_at > now:
        raise DomainError(_("The consumption is in the future."), field="consumed_at")
    customer = Customer.objects.filter(account_name=data.customer_account).first()
    if customer is None:
        raise DomainError(_("Unknown customer account."), field="customer_account")
    amount = ledger.to_money(data.amount, allow_zero=True)
    voucher_amount = ledger.to_money(data.voucher_amount, field="voucher_amount", allow_zero=True)
    if voucher_amount > amount:
        raise DomainError(_("The voucher pays more than the consumption."), field="voucher_amount")
    voucher = _voucher_for(customer, data.voucher_code, voucher_amount)
    resource = None
    if data.resource_id:
        resource = Resource.objects.filter(resource_id=data.resource_id, customer=customer).first()
        if resource is None:
            raise DomainError(
                _("Unknown resource %(id)s.") % {"id": data.resource_id}, field="resource_id"
            )
    order = None
    if data.order_no:
        order = Order.objects.filter(order_no=data.order_no, customer=customer).first()
        if order is None:
            raise DomainError(_("Unknown order %(no)s.") % {"no": data.order_no}, field="order_no")
    record = ConsumptionRecord.objects.create(
        record_no=data.record_no,
        customer=customer,
        product=_product(data.product_code, data.product_name),
        amount=amount,
        voucher_amount=voucher_amount,
        consumed_at=data.consumed_at,
        billing_period=billing_period_of(data.consumed_at),
        resource=resource,
        order=order,
        **_attribution(customer, data.consumed_at),
    )
    if voucher is not None:
        _spend_voucher(
            actor=actor,
            voucher=voucher,
            amount=voucher_amount,
            now=data.consumed_at,
            reason=_("Consumption %(no)s") % {"no": record.record_no},
            field="voucher_code",
            actor_label=VENDOR_SITE,
        )
    return record, True
