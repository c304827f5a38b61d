"""The SSRF guard: only https URLs whose host resolves to public addresses, checked when an
endpoint is saved and again before each delivery (DNS rebinding)."""

from __future__ import annotations

import ipaddress
import socket

import pytest

from partner_center.errors import DomainError
from partner_center.webhooks import addresses, events, services
from partner_center.webhooks.models import WebhookDelivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False


@pytest.fixture
def fake_dns(monkeypatch):
    """fake_dns({"host": "address"}): getaddrinfo answers these (others: not found)."""
    table: dict[str, str] = {}

    def getaddrinfo(host, port, *args, **kwargs):
        if host in table:
            ip = ipaddress.ip_address(table[host])
            family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
            return [(family, socket.SOCK_STREAM, 6, "", (str(ip), port))]
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            raise socket.gaierror(socket.EAI_NONAME, "not found") from None
        family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (str(ip), port))]

    monkeypatch.setattr(addresses.socket, "getaddrinfo", getaddrinfo)
    return table


@pytest.mark.usefixtures("production")
@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://172.16.0.5/hook",
        "https://192.168.1.1/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://100.64.0.1/hook",
        "https://224.0.0.1/hook",
        "https://0.0.0.0/hook",
        "https://[::1]/hook",
        "https://[fe80::1]/hook",
        "https://[fc00::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "https://internal.example.com/hook",  # resolves to a private address
        "https://metadata.example.com/hook",  # resolves to the metadata address
    ],
)
def test_private_addresses_are_refused_with_a_field_error(owner, fake_dns, url, api_client):
    fake_dns.update({"internal.example.com": "10.0.0.8", "metadata.example.com": "169.254.169.254"})
    with pytest.raises(DomainError) as refused:
        services.endpoint_create(actor=owner, partner=owner.partner, url=url)
    assert refused.value.field == "url" and refused.value.code == "url_not_public"
    response = api_client(owner).post("/api/v1/webhooks/endpoints/", {"url": url}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "url_not_public"
    assert "url" in response.json()["fields"]


@pytest.mark.usefixtures("production")
def test_http_is_refused_and_https_on_a_public_address_accepted(owner, fake_dns):
    fake_dns["crm.example.com"] = "8.8.8.8"
    with pytest.raises(DomainError) as refused:
        services.endpoint_create(actor=owner, partner=owner.partner, url="http://crm.example.com/")
    assert refused.value.code == "url_not_https" and refused.value.field == "url"
    endpoint, secret = services.endpoint_create(
        actor=owner, partner=owner.partner, url="https://crm.example.com/hooks"
    )
    assert endpoint.pk and secret.startswith("whsec_")


@pytest.mark.usefixtures("production")
def test_unresolvable_hosts_and_credentials_in_urls_are_refused(owner, fake_dns):
    with pytest.raises(DomainError) as refused:
        services.endpoint_create(actor=owner, partner=owner.partner, url="https://nowhere.invalid/")
    assert refused.value.code == "url_unresolvable"
    fake_dns["crm.example.com"] = "8.8.8.8"
    with pytest.raises(DomainError) as refused:
        services.endpoint_create(
            actor=owner, partner=owner.partner, url="https://user:pw@crm.example.com/"
        )
    assert refused.value.code == "url_userinfo"


def test_a_host_rebound_to_a_private_address_is_refused_at_delivery(owner, fake_dns, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    fake_dns["crm.example.com"] = "8.8.8.8"
    endpoint, _secret = services.endpoint_create(
        actor=owner, partner=owner.partner, url="https://crm.example.com/hooks"
    )
    fake_dns["crm.example.com"] = "127.0.0.1"  # DNS rebinding
    event = events.publish("comment.added", owner.partner_id, {})
    delivery = WebhookDelivery.objects.get(event=event)
    services.deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.State.FAILED
    assert "127.0.0.1" in delivery.last_error and delivery.last_status_code is None


def test_the_relaxed_setting_allows_local_http(owner, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    endpoint, _secret = services.endpoint_create(
        actor=owner, partner=owner.partner, url="http://127.0.0.1:9/hook"
    )
    assert endpoint.pk


@pytest.mark.parametrize(
    "address,public",
    [
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("100.64.1.1", False),
        ("169.254.169.254", False),
        ("224.0.0.251", False),
        ("240.0.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("ff02::1", False),
        ("::ffff:192.168.0.1", False),
        ("2002:0a00:0001::1", False),  # 6to4 of 10.0.0.1
        ("64:ff9b::a00:1", False),  # NAT64 of 10.0.0.1
    ],
)
def test_is_public(address, public):
    assert addresses.is_public(ipaddress.ip_address(address)) is public
