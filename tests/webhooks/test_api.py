"""The webhooks API (endpoints, deliveries) and the events feed: scoped to the partner,
outsiders see nothing, the feed's cursor."""

from __future__ import annotations

import pytest

from partner_center.webhooks import events, services
from partner_center.webhooks.models import PartnerEvent, WebhookDelivery, WebhookEndpoint
from tests.opportunities.conftest import make_ho, make_po

pytestmark = pytest.mark.django_db
URL = "/api/v1/webhooks/endpoints/"


def test_create_shows_the_secret_once_and_rotate_replaces_it(owner, api_client, receiver):
    api = api_client(owner)
    response = api.post(
        URL,
        {"url": receiver.url, "event_types": ["po.state_changed"], "description": "CRM"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    secret = body["secret"]
    assert secret.startswith("whsec_") and body["event_types"] == ["po.state_changed"]
    detail = api.get(f"{URL}{body['id']}/").json()
    assert "secret" not in detail and detail["secret_hint"] == secret[:10] + "…"
    rotated = api.post(f"{URL}{body['id']}/rotate-secret/").json()
    assert rotated["secret"] != secret
    assert WebhookEndpoint.objects.get(pk=body["id"]).secret == rotated["secret"]
    changed = api.patch(f"{URL}{body['id']}/", {"is_active": False}, format="json")
    assert changed.status_code == 200 and changed.json()["is_active"] is False
    assert api.delete(f"{URL}{body['id']}/").status_code == 204
    assert not WebhookEndpoint.objects.exists()


def test_unknown_event_types_and_too_many_endpoints_are_refused(owner, api_client, receiver):
    api = api_client(owner)
    response = api.post(URL, {"url": receiver.url, "event_types": ["po.eaten"]}, format="json")
    assert response.status_code == 400 and "event_types" in response.json()["fields"]
    for _ in range(services.MAX_ENDPOINTS_PER_PARTNER):
        assert api.post(URL, {"url": receiver.url}, format="json").status_code == 201
    response = api.post(URL, {"url": receiver.url}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "too_many_endpoints"


def test_members_may_not_manage_endpoints(teammate, api_client, receiver):
    api = api_client(teammate)
    assert api.get(URL).status_code == 403
    assert api.post(URL, {"url": receiver.url}, format="json").status_code == 403


def test_outsiders_see_no_endpoints_deliveries_or_events(
    owner, outsider, api_client, receiver, endpoint_of
):
    endpoint, _secret = endpoint_of(owner, receiver.url)
    event = events.publish("comment.added", owner.partner_id, {"comment": {"id": 1}})
    delivery = WebhookDelivery.objects.get(event=event)
    api = api_client(outsider)
    assert api.get(URL).json()["results"] == []
    for method in ("get", "patch", "delete"):
        assert getattr(api, method)(f"{URL}{endpoint.pk}/").status_code == 404
    assert api.post(f"{URL}{endpoint.pk}/rotate-secret/").status_code == 404
    deliveries = "/api/v1/webhooks/deliveries/"
    assert api.get(deliveries).json()["results"] == []
    assert api.get(f"{deliveries}{delivery.pk}/").status_code == 404
    assert api.post(f"{deliveries}{delivery.pk}/redeliver/").status_code == 404
    assert api.get("/api/v1/events/").json()["results"] == []
    endpoint.refresh_from_db()
    assert endpoint.is_active and WebhookDelivery.objects.count() == 1


def test_deliveries_api_lists_attempts_and_redelivers(owner, api_client, receiver, endpoint_of):
    endpoint, _secret = endpoint_of(owner, receiver.url)
    event = events.publish("comment.added", owner.partner_id, {})
    delivery = WebhookDelivery.objects.get(event=event)
    services.deliver(delivery_id=delivery.pk)
    api = api_client(owner)
    listed = api.get("/api/v1/webhooks/deliveries/", {"endpoint": endpoint.pk}).json()
    assert [d["id"] for d in listed["results"]] == [delivery.pk]
    detail = api.get(f"/api/v1/webhooks/deliveries/{delivery.pk}/").json()
    assert detail["state"] == "delivered"
    assert detail["attempt_log"][0]["status_code"] == 200
    assert detail["attempt_log"][0]["latency_ms"] >= 0
    again = api.post(f"/api/v1/webhooks/deliveries/{delivery.pk}/redeliver/")
    assert again.status_code == 202 and again.json()["redelivery_of"] == delivery.pk


def test_events_feed_cursor(owner, teammate, outsider, bd, api_client):
    make_po(owner, state="submitted")  # created + submitted
    make_po(outsider)  # another partner's
    make_ho(bd, owner.partner)  # ho.shared
    mine = list(PartnerEvent.objects.filter(partner=owner.partner).order_by("id"))
    assert [e.type for e in mine] == ["po.state_changed", "po.state_changed", "ho.shared"]
    api = api_client(teammate)  # members read the feed too
    page = api.get("/api/v1/events/", {"limit": 2}).json()
    assert [e["id"] for e in page["results"]] == [mine[0].pk, mine[1].pk]
    assert page["has_more"] is True and page["next_after"] == mine[1].pk
    assert page["results"][0] == events.envelope(mine[0])  # the webhook's body
    page = api.get("/api/v1/events/", {"after": page["next_after"], "limit": 2}).json()
    assert [e["id"] for e in page["results"]] == [mine[2].pk]
    assert page["has_more"] is False and page["next_after"] == mine[2].pk
    assert page["results"][0]["data"]["object"]["kind"] == "ho"
    empty = api.get("/api/v1/events/", {"after": page["next_after"]}).json()
    assert empty == {"results": [], "next_after": mine[2].pk, "has_more": False}
    data = [e["data"] for e in api.get("/api/v1/events/").json()["results"]]
    assert all(d["object"]["id"] in {e.payload["object"]["id"] for e in mine} for d in data)
    # Staff see every partner's, or one partner's.
    staff = api_client(bd)
    all_types = [
        e["partner_id"] for e in staff.get("/api/v1/events/", {"limit": 200}).json()["results"]
    ]
    assert outsider.partner_id in all_types and owner.partner_id in all_types
    one = staff.get("/api/v1/events/", {"partner": outsider.partner_id}).json()["results"]
    assert {e["partner_id"] for e in one} == {outsider.partner_id}


@pytest.mark.parametrize(
    "params", [{"after": "x"}, {"after": -1}, {"limit": 0}, {"limit": 201}, {"limit": "a"}]
)
def test_events_feed_refuses_bad_parameters(owner, api_client, params):
    response = api_client(owner).get("/api/v1/events/", params)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == list(params)


def test_events_feed_needs_authentication(client):
    assert client.get("/api/v1/events/").status_code in (401, 403)


def test_ho_lifecycle_events_map_to_types(owner, bd):
    from opportunities import services as opp

    ho = make_ho(bd, owner.partner)
    opp.ho_decline(actor=owner, ho=ho, reason="not_our_field")
    types = list(PartnerEvent.objects.filter(partner=owner.partner).values_list("type", flat=True))
    assert types == ["ho.shared", "ho.reclaimed"]
    reclaimed = PartnerEvent.objects.get(type="ho.reclaimed")
    assert reclaimed.payload["object"] == {
        "kind": "ho",
        "id": ho.pk,
        "state": "declined",
        "previous_state": "pending",
    }
    assert reclaimed.payload["action"] == "declined"
