"""Optimistic concurrency (partner_center/concurrency): every GET answers an ETag; a write
with a stale If-Match answers 412 precondition_failed and changes nothing."""

import pytest

from opportunities.models import Opportunity
from tests.helpers import api_client, race_behind_a_held_service

from .conftest import make_po

pytestmark = pytest.mark.django_db
PO = "/api/v1/opportunities/po/"


def test_detail_and_list_answer_an_etag_that_follows_the_object(owner):
    po = make_po(owner)
    client = api_client(owner)
    first = client.get(f"{PO}{po.pk}/")
    etag = first["ETag"]
    assert etag.startswith('"') and len(etag) == 34
    assert client.get(f"{PO}{po.pk}/")["ETag"] == etag  # stable while nothing changes
    assert client.get(PO)["ETag"]
    client.patch(f"{PO}{po.pk}/", {"project_name": "新名称"}, format="json")
    assert client.get(f"{PO}{po.pk}/")["ETag"] != etag


def test_two_blind_patches_with_the_same_etag_the_second_gets_412(owner, teammate):
    po = make_po(owner)
    etag = api_client(owner).get(f"{PO}{po.pk}/")["ETag"]
    first = api_client(owner).patch(
        f"{PO}{po.pk}/", {"project_name": "甲"}, format="json", HTTP_IF_MATCH=etag
    )
    assert first.status_code == 200
    assert first["ETag"] == api_client(owner).get(f"{PO}{po.pk}/")["ETag"] != etag  # the new one
    second = api_client(owner).patch(
        f"{PO}{po.pk}/", {"project_name": "乙"}, format="json", HTTP_IF_MATCH=etag
    )
    assert second.status_code == 412
    body = second.json()
    assert body["code"] == "precondition_failed" and set(body) == {"code", "message", "fields"}
    assert second["ETag"] == api_client(owner).get(f"{PO}{po.pk}/")["ETag"]
    assert Opportunity.objects.get(pk=po.pk).project_name == "甲"


def test_a_current_etag_or_star_or_none_proceeds(owner):
    po = make_po(owner)
    client = api_client(owner)
    etag = client.get(f"{PO}{po.pk}/")["ETag"]
    weak = client.patch(
        f"{PO}{po.pk}/", {"project_name": "一"}, format="json", HTTP_IF_MATCH=f"W/{etag}"
    )
    assert weak.status_code == 200
    star = client.patch(f"{PO}{po.pk}/", {"project_name": "二"}, format="json", HTTP_IF_MATCH="*")
    assert star.status_code == 200
    blind = client.patch(f"{PO}{po.pk}/", {"project_name": "三"}, format="json")
    assert blind.status_code == 200
    assert Opportunity.objects.get(pk=po.pk).project_name == "三"


def test_a_stale_etag_on_a_transition_is_412(owner):
    po = make_po(owner)
    client = api_client(owner)
    etag = client.get(f"{PO}{po.pk}/")["ETag"]
    client.patch(f"{PO}{po.pk}/", {"project_name": "改过"}, format="json")
    response = client.post(
        f"{PO}{po.pk}/submit/",
        {"consent_confirmed": True, "consent_method": "email", "consent_note": "邮件确认"},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 412
    assert Opportunity.objects.get(pk=po.pk).state == Opportunity.State.DRAFT


def test_if_match_on_a_create_or_another_partners_object(owner, outsider):
    po = make_po(owner)
    etag = api_client(owner).get(f"{PO}{po.pk}/")["ETag"]
    # An outsider cannot learn anything from If-Match: the write answers 404 as without it.
    hidden = api_client(outsider).patch(
        f"{PO}{po.pk}/", {"project_name": "x"}, format="json", HTTP_IF_MATCH='"stale"'
    )
    assert hidden.status_code == 404
    assert api_client(outsider).get(f"{PO}{po.pk}/").status_code == 404
    assert etag  # the owner's ETag is never shown to the outsider


def test_an_api_view_with_its_own_get_honours_if_match(owner):
    client = api_client(owner)
    url = "/api/v1/notifications/preferences/"
    etag = client.get(url)["ETag"]
    assert (
        client.put(url, {"email_enabled": False}, format="json", HTTP_IF_MATCH=etag).status_code
        == 200
    )
    stale = client.put(url, {"email_enabled": True}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert client.get(url).json()["email_enabled"] is False


def test_a_create_ignores_if_match(owner):
    from .conftest import po_data

    body = {k: str(v) if not isinstance(v, list) else v for k, v in po_data().items()}
    response = api_client(owner).post(PO, body, format="json", HTTP_IF_MATCH='"whatever"')
    assert response.status_code == 201


def test_a_retry_after_the_object_changed_replays_rather_than_412(owner):
    """Idempotency is checked before If-Match: the retry of a write that succeeded gets
    its answer again, though its If-Match is stale by now."""
    po = make_po(owner)
    client = api_client(owner)
    etag = client.get(f"{PO}{po.pk}/")["ETag"]
    headers = {"HTTP_IF_MATCH": etag, "HTTP_IDEMPOTENCY_KEY": "patch-1"}
    first = client.patch(f"{PO}{po.pk}/", {"project_name": "甲"}, format="json", **headers)
    again = client.patch(f"{PO}{po.pk}/", {"project_name": "甲"}, format="json", **headers)
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_patches_with_one_etag_one_wins_one_gets_412(owner):
    """The ETag check and the write happen under the object's lock: the second PATCH
    waits (seen in pg_locks), then finds the version changed."""
    from django.db import connection

    from opportunities import services

    if connection.vendor != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's")
    po = make_po(owner)
    etag = api_client(owner).get(f"{PO}{po.pk}/")["ETag"]
    statuses = []

    def patch(name):
        response = api_client(owner).patch(
            f"{PO}{po.pk}/", {"project_name": name}, format="json", HTTP_IF_MATCH=etag
        )
        statuses.append(response.status_code)

    seen_waiting, calls = race_behind_a_held_service(
        services, "po_edit", [lambda name=name: patch(name) for name in ("甲", "乙")]
    )
    assert seen_waiting and sorted(statuses) == [200, 412] and len(calls) == 1
