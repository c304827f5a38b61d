"""Landing-page cards of billed partners: the running bill so far, settled bills waiting for
their invoice; each partner sees only its own figures, in one query."""

import pytest
import time_machine
from django.urls import reverse

from billing import home
from billing.models import Bill
from billing.services import invoice_request
from partner_center.accounts.backends import users_with_partner
from partner_center.accounts.permissions import Role
from tests.billing.factories import make_bill
from tests.factories import partner_user
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

NOW = "2026-06-15 10:00 +0800"


def cards(client) -> dict:
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    return {card.title: card for card in response.context["cards"]}


@time_machine.travel(NOW, tick=False)
def test_the_running_bill_and_settled_bills_to_invoice(partner, owner, outsider, login):
    running = make_bill(partner, "2026-06", lines=5)
    make_bill(partner, "2026-04", lines=3, settled=True)
    make_bill(partner, "2026-05", lines=3, settled=True)
    make_bill(outsider.partner, "2026-03", lines=4, settled=True)
    mine = cards(login(owner))
    bill = mine["Bill 2026-06 so far"]
    assert bill.value == f"¥{running.amount_due:,.2f}" and "5 lines" in bill.hint
    assert bill.url == reverse("billing:bill_overview", args=["2026-06"])
    waiting = mine["Settled bills without an invoice"]
    assert waiting.value == "2"
    assert waiting.url == reverse("billing:bill_overview", args=["2026-04"])  # oldest first
    invoice_request(actor=owner, bill=Bill.objects.get(partner=partner, period="2026-04"))
    assert cards(login(owner))["Settled bills without an invoice"].value == "1"
    theirs = cards(login(outsider))
    assert theirs["Bill 2026-06 so far"].value == "¥0.00"
    assert theirs["Settled bills without an invoice"].value == "1"


@time_machine.travel(NOW, tick=False)
def test_members_without_the_money_grant_see_the_bill_but_not_the_invoice_card(
    partner, teammate, login
):
    make_bill(partner, "2026-05", lines=2, settled=True)
    mine = cards(login(teammate))
    assert "Bill 2026-06 so far" in mine
    assert "Settled bills without an invoice" not in mine


def test_tier2_resellers_and_vendor_staff_get_no_billing_cards(login, bd, resellers):
    reseller_admin = partner_user(resellers[0], Role.PARTNER_ADMIN, email="admin@qihang.test")
    for user in (bd, reseller_admin):
        assert not any(title.startswith("Bill ") for title in cards(login(user)))


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("bills", [0, 6])
def test_the_cards_cost_one_query_however_many_bills(partner, owner, bills):
    for month in range(1, bills + 1):
        make_bill(partner, f"2025-{month:02d}", lines=1, settled=True)
    owner = users_with_partner().get(pk=owner.pk)  # as a request loads the user
    assert count_queries(home.cards, owner) == 1
