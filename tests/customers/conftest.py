"""Builders for customer tests: customers, associations made through the real invitation
flow, funded accounts, distributors with resellers."""

import itertools
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from customers import services
from customers.models import SHANGHAI, Account, Association, BillingModel, Customer, Resource
from partner_center.accounts.permissions import Role
from tests.factories import UserFactory, partner_user

_seq = itertools.count(1)


def at(day, hour=12, month=3) -> datetime:
    """A moment in 2026 in Shanghai time (March unless said)."""
    return datetime(2026, month, day, hour, 0, tzinfo=SHANGHAI)


def usage(customer, no, when, amount):
    """A new consumption record reported by the vendor's site."""
    record, created = services.consumption_record(
        actor=None,
        data=services.ConsumptionData(
            record_no=no,
            customer_account=customer.account_name,
            product_code="ecs",
            amount=Decimal(amount),
            consumed_at=when,
        ),
    )
    assert created
    return record


def make_resource(
    association,
    rid="ecs-001",
    price="300.00",
    expires_in=timedelta(days=10),
    *,
    name=None,
    product="弹性云服务器 ECS",
    started_at=None,
    expires_at=None,
    **kw,
) -> Resource:
    """A yearly/monthly ECS resource of the association's customer: started 20 days ago,
    expiring in `expires_in`, renewing for `price` (each may be given otherwise)."""
    now = timezone.now()
    return Resource.objects.create(
        resource_id=rid,
        name=f"服务器 {rid}" if name is None else name,
        customer=association.customer,
        partner=association.partner,
        association=association,
        product=services._product("ecs", product),
        renewal_price=Decimal(price),
        started_at=now - timedelta(days=20) if started_at is None else started_at,
        expires_at=now + expires_in if expires_at is None else expires_at,
        **kw,
    )


def make_customer(name: str = "", email: str = "", **extra) -> Customer:
    n = next(_seq)
    user = UserFactory(role=Role.CUSTOMER, email=email or f"cust{n}@client.test")
    return Customer.objects.create(
        user=user,
        name=name or f"客户{n}有限公司",
        account_name=extra.pop("account_name", f"acct{n:05d}"),
        contact_email=user.email,
        **extra,
    )


def associate(
    inviter,
    customer: Customer,
    billing_model: str = BillingModel.RESELLER,
    at: datetime | None = None,
) -> Association:
    invitation = services.invitation_create(actor=inviter, billing_model=billing_model, now=at)
    latest = services.agreement_ensure_published()
    return services.invitation_accept(
        actor=customer.user, token=invitation.token, agreement_version_id=latest.pk, now=at
    )


def open_account(association: Association, actor, amount="0", budget="100000") -> Account:
    account = Account.objects.get(association=association)
    services.account_set_budget(actor=actor, account=account, monthly_budget=Decimal(budget))
    if Decimal(amount) > 0:
        services.account_fund(actor=actor, account=account, amount=Decimal(amount))
    account.refresh_from_db()
    return account


@pytest.fixture(autouse=True)
def _english():
    """Service messages in English, so tests can match them (pages pick their language
    from the request)."""
    with translation.override("en"):
        yield


@pytest.fixture
def agreement(db):
    return services.agreement_ensure_published()


@pytest.fixture
def customer(db):
    return make_customer(name="星辰数据有限公司", email="star@client.test", account_name="star001")


@pytest.fixture
def association(owner, customer, agreement):
    return associate(owner, customer)


@pytest.fixture
def account(association, owner):
    return open_account(association, owner, amount="1000.00")


@pytest.fixture
def distributor_admin(distributor):
    return partner_user(
        distributor, Role.PARTNER_ADMIN, email="admin@dist.test", can_move_money=True
    )


@pytest.fixture
def reseller_admin(reseller):
    return partner_user(reseller, Role.PARTNER_ADMIN, email="admin@resa.test", can_move_money=True)


@pytest.fixture
def other_reseller_admin(other_reseller):
    return partner_user(
        other_reseller, Role.PARTNER_ADMIN, email="admin@resb.test", can_move_money=True
    )


def post_and_confirm(client, url, data, **extra):
    """Post a money form, then confirm it on the confirmation step (as a user would)."""
    step1 = client.post(url, data, **extra)
    assert step1.status_code == 200, step1.status_code
    assert "token" in step1.context, "no confirmation step"
    confirm = {"confirm_token": step1.context["token"], **dict(step1.context["hidden"])}
    return client.post(url, confirm, **extra)
