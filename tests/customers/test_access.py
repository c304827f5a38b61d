"""Who sees what, and fixed query counts on every list page and list endpoint."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from customers import services
from customers.imports import import_payload
from customers.models import ImportRun
from partner_center.accounts.permissions import PartnerType
from tests.customers.conftest import associate, make_customer, make_resource, open_account
from tests.factories import PartnerFactory, partner_user
from tests.helpers import api_client

pytestmark = pytest.mark.django_db

PARTNER_PAGES = [
    "customers:list",
    "customers:invitations",
    "customers:resources",
    "customers:orders",
]


@pytest.mark.parametrize("name", PARTNER_PAGES)
def test_anonymous_goes_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url.startswith("/login/")


@pytest.mark.parametrize("name", PARTNER_PAGES + ["customers:resellers", "customers:funds"])
def test_customer_users_get_no_partner_pages(login, customer_user, name):
    assert login(customer_user).get(reverse(name)).status_code == 403


@pytest.mark.parametrize(
    "name", ["customers:me", "customers:my_vouchers", "customers:my_resources"]
)
def test_partner_users_get_no_customer_pages(login, owner, name):
    assert login(owner).get(reverse(name)).status_code == 403


def test_outsider_gets_404_on_every_customer_page(login, outsider, association, account):
    client = login(outsider)
    for name in ("detail", "unbind", "fund", "reclaim", "budget"):
        assert client.get(reverse(f"customers:{name}", args=[association.pk])).status_code == 404, (
            name
        )
    for tab in ("account", "consumption", "recommendations"):
        url = reverse("customers:detail", args=[association.pk]) + f"?tab={tab}"
        assert client.get(url).status_code == 404
    page = client.get(reverse("customers:list")).content.decode()
    assert association.customer.account_name not in page


def test_outsider_gets_404_on_orders(login, owner, outsider, association, account):
    from customers.models import Order

    services.resource_renew(actor=owner, resource=_resource(association, "r"))
    order = Order.objects.get()
    assert (
        login(outsider).get(reverse("customers:order_detail", args=[order.pk])).status_code == 404
    )
    assert order.order_no not in login(outsider).get(reverse("customers:orders")).content.decode()
    assert login(owner).get(reverse("customers:order_detail", args=[order.pk])).status_code == 200


def test_bd_sees_customers_but_moves_no_money(login, bd, association, account):
    client = login(bd)
    assert client.get(reverse("customers:list")).status_code == 200
    assert client.get(reverse("customers:detail", args=[association.pk])).status_code == 200
    assert (
        client.post(reverse("customers:fund", args=[association.pk]), {"amount": "1"}).status_code
        == 403
    )


def test_menus_follow_partner_types(owner, distributor_admin, reseller_admin, customer_user):
    from partner_center.menus import menu_for

    def names(user):
        return {
            e["url_name"]
            for s in menu_for(user)
            for e in s["entries"]
            if e["url_name"].startswith("customers:")
        }

    assert {"customers:list", "customers:invitations"} <= names(owner)
    assert "customers:resellers" not in names(owner) and "customers:funds" not in names(owner)
    assert "customers:resellers" in names(distributor_admin)
    assert {"customers:funds", "customers:vouchers"} <= names(reseller_admin)
    assert names(customer_user) == {
        "customers:me",
        "customers:my_resources",
        "customers:my_vouchers",
    }
    learning = partner_user(PartnerFactory(types=[PartnerType.LEARNING]))
    assert not {n for n in names(learning) if n.startswith("customers:")}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/customers/associations/",
        "/api/v1/customers/invitations/",
        "/api/v1/customers/resources/",
        "/api/v1/customers/orders/",
        "/api/v1/customers/consumption/",
        "/api/v1/customers/vouchers/",
        "/api/v1/customers/resellers/",
        "/api/v1/customers/me/",
        "/api/v1/customers/me/vouchers/",
    ],
)
def test_api_refuses_anonymous(url):
    assert APIClient().get(url).status_code in (401, 403)


def test_api_associations_are_scoped(owner, outsider, association):
    api = api_client(outsider)
    assert api.get("/api/v1/customers/associations/").json()["results"] == []
    assert api.get(f"/api/v1/customers/associations/{association.pk}/").status_code == 404
    assert (
        api.get(f"/api/v1/customers/associations/{association.pk}/consumption-summary/").status_code
        == 404
    )
    api.force_authenticate(owner)
    assert [a["id"] for a in api.get("/api/v1/customers/associations/").json()["results"]] == [
        association.pk
    ]


# ---------------------------------------------------------------- query counts


def _resource(association, rid):
    return make_resource(association, rid, "1.00", timedelta(days=5), name=rid, product="ECS")


def _count(get, *args) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = get(*args)
    assert response.status_code == 200
    return len(ctx.captured_queries)


class Rows:
    """Adds rows of every list for one partner (and its customers), `n` at a time."""

    def __init__(self, owner, reseller_admin, distributor_admin, reseller):
        self.owner, self.reseller_admin = owner, reseller_admin
        self.distributor_admin, self.reseller = distributor_admin, reseller
        self.made = 0
        services.agreement_ensure_published()
        services.reseller_fund(actor=distributor_admin, reseller=reseller, amount="100000")
        services.reseller_grant_quota(actor=distributor_admin, reseller=reseller, amount="100000")
        self.star = make_customer()
        self.star_assoc = associate(reseller_admin, self.star)
        open_account(self.star_assoc, reseller_admin, amount="50000")

    def add(self, n):
        for _ in range(n):
            self.made += 1
            i = self.made
            association = associate(self.owner, make_customer())
            open_account(association, self.owner, amount="1000")
            services.invitation_create(actor=self.owner, billing_model="referral")
            _resource(association, f"res-{i}")
            _resource(self.star_assoc, f"star-res-{i}")
            services.voucher_issue(
                actor=self.reseller_admin,
                association=self.star_assoc,
                face_value="1",
                valid_until=timezone.now() + timedelta(days=3),
            )
            reseller = PartnerFactory(
                types=[PartnerType.RESELLER], parent_distributor=self.reseller.parent_distributor
            )
            services.reseller_fund(actor=self.distributor_admin, reseller=reseller, amount="10")
            now = timezone.now()
            import_payload(
                actor=None,
                source=ImportRun.Source.API,
                payload={
                    "orders": [
                        {
                            "order_no": f"Q{i}",
                            "customer_account": association.customer.account_name,
                            "type": "new",
                            "product": "ecs",
                            "amount": "1.00",
                            "formed_at": now.isoformat(),
                            "lines": [
                                {
                                    "resource_id": f"qres-{i}",
                                    "amount": "1.00",
                                    "expires_at": (now + timedelta(days=30)).isoformat(),
                                }
                            ],
                        }
                    ],
                    "consumption": [
                        {
                            "record_no": f"QC{i}",
                            "customer_account": association.customer.account_name,
                            "product": "obs",
                            "amount": "2.00",
                            "consumed_at": now.isoformat(),
                        }
                    ],
                },
            )


@pytest.fixture
def rows(owner, reseller_admin, distributor_admin, reseller):
    return Rows(owner, reseller_admin, distributor_admin, reseller)


def _who(rows, key):
    return {
        "owner": rows.owner,
        "reseller": rows.reseller_admin,
        "distributor": rows.distributor_admin,
        "customer": rows.star.user,
    }[key]


PAGES = [
    ("owner", "customers:list", {}),
    ("owner", "customers:list", {"q": "客户", "sort": "-balance"}),
    ("owner", "customers:invitations", {}),
    ("owner", "customers:resources", {"expiring": "true"}),
    ("owner", "customers:orders", {}),
    ("distributor", "customers:resellers", {}),
    ("reseller", "customers:vouchers", {}),
    ("reseller", "customers:funds", {}),
    ("customer", "customers:my_vouchers", {}),
    ("customer", "customers:my_resources", {}),
]


API = [
    ("owner", "/api/v1/customers/associations/"),
    ("owner", "/api/v1/customers/invitations/"),
    ("owner", "/api/v1/customers/resources/"),
    ("owner", "/api/v1/customers/orders/"),
    ("owner", "/api/v1/customers/consumption/"),
    ("distributor", "/api/v1/customers/resellers/"),
    ("reseller", "/api/v1/customers/vouchers/"),
    ("customer", "/api/v1/customers/me/vouchers/"),
    ("customer", "/api/v1/customers/me/resources/"),
]


def _measure(rows, login) -> dict:
    """Queries of every list page and endpoint, each with a freshly loaded user (nothing
    cached from an earlier request)."""
    from partner_center.accounts.models import User

    counts = {}
    for who, name, params in PAGES:
        client = login(User.objects.get(pk=_who(rows, who).pk))
        counts[(name, tuple(params))] = _count(client.get, reverse(name), params)
    for who, url in API:
        api = APIClient()
        api.force_authenticate(User.objects.get(pk=_who(rows, who).pk))
        counts[url] = _count(api.get, url)
    return counts


def test_list_pages_and_endpoints_have_a_fixed_query_count(login, rows):
    rows.add(1)
    one = _measure(rows, login)
    rows.add(49)
    fifty = _measure(rows, login)
    assert one == fifty
    assert max(one.values()) <= 12, one
