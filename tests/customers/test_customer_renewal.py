"""The customer renews its own yearly/monthly resources from My resources (page and API),
paid from its hosted account, under the same rules as the partner's renewal (one service)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from customers import services
from customers.models import BillingModel, LedgerEntry, Order
from partner_center.errors import DomainError, NotAllowed
from partner_center.notifications.models import Notification
from tests.customers.conftest import associate, make_customer, open_account
from tests.customers.test_resources import make_resource
from tests.helpers import api_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def resource(association, account):
    return make_resource(association, price="300.00")


def test_customer_renews_its_own_resource_paid_from_its_hosted_account(
    customer, resource, account, owner
):
    before = resource.expires_at
    order = services.resource_renew(actor=customer.user, resource=resource, periods=2)
    account.refresh_from_db()
    resource.refresh_from_db()
    assert account.balance == Decimal("400.00")
    assert order.created_by == customer.user and order.source == Order.Source.PORTAL
    assert order.partner == owner.partner
    assert resource.expires_at > before
    entry = LedgerEntry.objects.get(order=order)
    assert entry.actor == customer.user and entry.amount == Decimal("-600.00")
    # The partner hears about it.
    note = Notification.objects.get(recipient=owner, kind="customers.customer_renewed")
    assert note.title_in("en") == f"{customer.name} renewed {resource.name}"


def test_customer_renewal_follows_the_partners_rules(customer, resource, account, owner):
    with pytest.raises(DomainError, match="balance is too low"):
        services.resource_renew(actor=customer.user, resource=resource, periods=4)
    services.account_set_budget(actor=owner, account=account, monthly_budget="500")
    services.resource_renew(actor=customer.user, resource=resource)
    with pytest.raises(DomainError, match="monthly budget"):
        services.resource_renew(actor=customer.user, resource=resource)
    assert Order.objects.count() == 1


def test_a_customer_cannot_renew_another_customers_resource(owner, resource, agreement):
    stranger = make_customer()
    associate(owner, stranger)
    with pytest.raises(NotAllowed):
        services.resource_renew(actor=stranger.user, resource=resource)
    assert not Order.objects.exists()


def test_referral_customer_is_told_to_renew_on_the_vendors_site(owner, agreement):
    customer = make_customer()
    association = associate(owner, customer, BillingModel.REFERRAL)
    resource = make_resource(association, rid="ref-1")
    with pytest.raises(DomainError, match="vendor's site"):
        services.resource_renew(actor=customer.user, resource=resource)


def test_customer_page_renews(login, customer, resource, account):
    client = login(customer.user)
    listing = client.get(reverse("customers:my_resources"))
    assert reverse("customers:my_renew", args=[resource.pk]) in listing.content.decode()
    url = reverse("customers:my_renew", args=[resource.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'data-testid="renew-mine-note"' in page.content.decode()
    response = client.post(url, {"periods": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("customers:my_resources")
    account.refresh_from_db()
    assert account.balance == Decimal("700.00")


def test_customer_page_shows_insufficient_balance_next_to_the_form(login, customer, resource):
    response = login(customer.user).post(
        reverse("customers:my_renew", args=[resource.pk]), {"periods": "12"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors  # the reason, next to the form
    assert "¥3,600.00" in response.content.decode()
    assert not Order.objects.exists()


def test_outsiders_get_404_or_403(login, resource, owner, outsider, agreement):
    url = reverse("customers:my_renew", args=[resource.pk])
    stranger = make_customer()
    associate(owner, stranger)
    assert login(stranger.user).post(url, {"periods": "1"}).status_code == 404
    assert login(outsider).post(url, {"periods": "1"}).status_code == 403
    assert login(owner).get(url).status_code == 403  # partners renew on their own page
    assert not Order.objects.exists()


def test_customer_renews_through_the_api(customer, resource, account, agreement, owner):
    api = api_client(customer.user)
    url = f"/api/v1/customers/me/resources/{resource.pk}/renew/"
    response = api.post(url, {"periods": 1}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "300.00"
    too_much = api.post(url, {"periods": 12}, format="json")
    assert too_much.status_code == 400
    assert "¥3,600.00" in too_much.json()["message"]  # the balance is too low

    stranger = make_customer()
    open_account(associate(owner, stranger), owner)
    other = api_client(stranger.user)
    assert other.post(url, {"periods": 1}, format="json").status_code == 404
    partner_api = api_client(owner)
    assert partner_api.post(url, {"periods": 1}, format="json").status_code == 403
    assert Order.objects.count() == 1


def test_expiry_moves_by_the_same_rule_for_both_renewers(customer, owner, association, account):
    mine = make_resource(association, rid="a-1", expires_in=timedelta(days=5))
    theirs = make_resource(association, rid="a-2", expires_in=timedelta(days=5))
    services.resource_renew(actor=customer.user, resource=mine)
    services.resource_renew(actor=owner, resource=theirs)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert abs(mine.expires_at - theirs.expires_at) < timedelta(seconds=5)
