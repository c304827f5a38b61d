"""Builders for incentive tests: customers and orders of a partner (orders are credited to
the partner's performance as they are recorded), distributors with resellers, program
periods."""

import itertools
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from customers.models import Attribution, Customer, Order, Product, billing_period_of
from incentives.models import ProgramPeriod
from incentives.periods import SHANGHAI
from partner_center.accounts.permissions import PartnerType, Role
from tests.factories import PartnerFactory, UserFactory, partner_user

_seq = itertools.count(1)


def make_customer(name: str = "", **extra) -> Customer:
    n = next(_seq)
    user = UserFactory(role=Role.CUSTOMER, email=f"inc-cust{n}@client.test")
    return Customer.objects.create(
        user=user,
        name=name or f"激励客户{n}有限公司",
        account_name=extra.pop("account_name", f"inc{n:05d}"),
        **extra,
    )


def product(code: str = "ecs", name: str = "") -> Product:
    found, _created = Product.objects.get_or_create(
        code=code, defaults={"name": name or code.upper()}
    )
    return found


def shanghai(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def make_order(
    partner,
    customer: Customer | None = None,
    *,
    amount="100.00",
    formed_at: datetime | None = None,
    order_type: str = Order.Type.NEW,
    product_code: str = "ecs",
    voucher_amount="0.00",
    distributor=None,
) -> Order:
    formed_at = formed_at or shanghai(2026, 3, 15, 10, 0)
    customer = customer or make_customer()
    n = next(_seq)
    return Order.objects.create(
        order_no=f"T{n:08d}",
        order_type=order_type,
        customer=customer,
        partner=partner,
        distributor=distributor
        if distributor is not None
        else getattr(partner, "parent_distributor", None),
        attributed_to=Attribution.MAIN_ACCOUNT,
        product=product(product_code),
        amount=Decimal(amount),
        voucher_amount=Decimal(voucher_amount),
        formed_at=formed_at,
        billing_period=billing_period_of(formed_at),
    )


def make_program(**overrides) -> ProgramPeriod:
    values = {
        "name": "2026 年度",
        "starts_on": date(2026, 1, 1),
        "ends_on": date(2026, 12, 31),
        "opportunity_rate": Decimal("5.00"),
        "opportunity_cap": None,
        "performance_rate": Decimal("2.00"),
        "performance_threshold": Decimal("1000.00"),
        "monthly_target": Decimal("10000.00"),
        "tax_rate": Decimal("6.00"),
        "rules_zh": "规则",
        "rules_en": "Rules",
    }
    values.update(overrides)
    return ProgramPeriod.objects.create(**values)


def linked_orders(opportunity, partner, *amounts, product_code="ecs", formed_at=None):
    """Orders of the partner for a customer named as the opportunity's (so they count for it),
    one per amount."""
    customer = make_customer(name=opportunity.customer_name)
    for amount in amounts:
        make_order(
            partner,
            customer,
            amount=amount,
            product_code=product_code,
            formed_at=formed_at or shanghai(2026, 3, 5, 10),
        )


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def program(db):
    return make_program()


@pytest.fixture
def other_reseller_admin(other_reseller):
    return partner_user(other_reseller, Role.PARTNER_ADMIN, email="admin@resb.test")


@pytest.fixture
def other_distributor(db):
    return PartnerFactory(name="另一总经销有限公司", types=[PartnerType.DISTRIBUTOR])


@pytest.fixture
def other_distributor_admin(other_distributor):
    return partner_user(other_distributor, Role.PARTNER_ADMIN, email="admin@dist2.test")


@pytest.fixture
def in_march():
    """The clock stands at 20 March 2026, 10:00 in Shanghai."""
    with time_machine.travel(shanghai(2026, 3, 20, 10), tick=False):
        yield


@pytest.fixture
def opportunity(owner, bd, program):
    """Verified on 1 March, delivered on 10 March."""
    from tests.opportunities.conftest import make_po

    with time_machine.travel(shanghai(2026, 3, 1, 9), tick=False):
        po = make_po(owner, state="verified", bd=bd)
    return deliver(po, owner, bd, delivered_on=date(2026, 3, 10))


def deliver(po, owner, bd, *, delivered_on=None, core_label=True):
    """Record the completed delivery (a progress update) and, by default, BD's core label."""
    from django.utils import timezone

    from opportunities import services as opportunity_services

    delivered_on = delivered_on or timezone.localdate() - timedelta(days=3)
    po = opportunity_services.opportunity_update_progress(
        actor=owner,
        opportunity=po,
        changes={"stage": "won", "delivery_completed_on": delivered_on},
    )
    if core_label:
        po = opportunity_services.opportunity_set_core_label(
            actor=bd, opportunity=po, core_label=True
        )
    return po


def delivered_opportunity(owner, bd, *, delivered_on=None, core_label=True, **overrides):
    """A verified PO of the owner's partner with its delivery completed (through the
    opportunities services) and, by default, BD's core label."""
    from tests.opportunities.conftest import make_po

    po = make_po(owner, state="verified", bd=bd, **overrides)
    return deliver(po, owner, bd, delivered_on=delivered_on, core_label=core_label)
