"""Helpers for opportunity tests: valid PO data, POs and HOs brought to a given state
through the services (never by saving state fields)."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from opportunities import services
from opportunities.models import Opportunity
from tests.helpers import api_client

SH = ZoneInfo("Asia/Shanghai")
CONSENT = services.Consent(confirmed=True, method="email", note="客户邮件同意 2026-03-01")

# A valid PO as the API takes it.
PO_API_BODY = {
    "customer_name": "江南智造装备股份有限公司",
    "contact_name": "周建国",
    "contact_phone": "13912345678",
    "project_name": "MES 系统上云",
    "products": ["ecs", "rds"],
    "amount": "680000.00",
    "expected_close_date": "2026-12-31",
}
# The same PO as the page's form takes it.
PO_PAGE_BODY = {
    **PO_API_BODY,
    "customer_industry": "manufacturing",
    "customer_region": "east",
    "amount": "680000",
}


def sh(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


def po_data(**overrides) -> dict:
    data = {
        "customer_name": "江南智造装备股份有限公司",
        "customer_credit_code": "",
        "customer_industry": "manufacturing",
        "customer_region": "east",
        "contact_name": "周建国",
        "contact_phone": "13912345678",
        "project_name": "MES 系统上云",
        "products": ["ecs", "rds"],
        "amount": Decimal("680000.00"),
        "expected_close_date": date(2026, 12, 31),
        "description": "",
    }
    data.update(overrides)
    return data


def make_po(user, *, state="draft", bd=None, external_ref="", **overrides) -> Opportunity:
    """A PO of the user's partner, walked to `state` through the services."""
    po = services.po_create(
        actor=user, partner=user.partner, data=po_data(**overrides), external_ref=external_ref
    )
    if state == "draft":
        return po
    po = services.po_submit(actor=user, po=po, consent=CONSENT)
    if state == "submitted":
        return po
    if state == "returned":
        return services.po_return_for_changes(
            actor=bd, po=po, fields=["contact_phone"], comment="请核对电话"
        )
    po = services.po_start_verification(actor=bd, po=po)
    if state == "under_verification":
        return po
    if state == "verified":
        return services.po_verify(
            actor=bd, po=po, account_manager="刘经理", confirmed_on=timezone.localdate()
        )
    if state == "rejected":
        return services.po_reject(actor=bd, po=po, reason="no_real_demand")
    raise ValueError(state)


def lead_data(**overrides) -> dict:
    data = po_data(customer_name="海川新能源科技有限公司", project_name="储能云平台")
    data.update(overrides)
    return data


_crm = iter(range(1, 10**6))


def make_lead(bd, *, crm_created_at=None, **overrides):
    return services.lead_create(
        actor=bd,
        crm_id=f"CRM-{next(_crm):05d}",
        crm_created_at=crm_created_at or timezone.now() - timedelta(days=3),
        data=lead_data(**overrides),
    )


def make_ho(bd, partner, *, state="pending", user=None, **overrides) -> Opportunity:
    lead = make_lead(bd, **overrides)
    ho = services.ho_share(actor=bd, lead=lead, partner=partner)
    if state == "pending":
        return ho
    if state == "accepted":
        return services.ho_accept(actor=user, ho=ho)
    if state == "declined":
        return services.ho_decline(actor=user, ho=ho, reason="客户在外地")
    raise ValueError(state)


@pytest.fixture
def po_of(owner, bd):
    """po_of(state, **overrides) -> a PO of the persona partner in that state."""

    def make(state="draft", **overrides):
        return make_po(owner, state=state, bd=bd, **overrides)

    return make


@pytest.fixture
def api():
    """api(user) -> an API client signed in as that user."""
    return api_client
