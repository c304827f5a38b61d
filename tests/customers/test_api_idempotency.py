"""Idempotent API writes (partner_center/idempotency): a retried fund with the same
Idempotency-Key moves money once — sequentially and concurrently, against the real
database — replays the original body, refuses a reused key (422), forgets after 24 hours,
and keys belong to one user."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from customers import services
from customers.models import Account, LedgerEntry
from partner_center.accounts.permissions import Role
from partner_center.idempotency import tasks
from partner_center.idempotency.models import StoredResponse
from tests.factories import partner_user
from tests.helpers import api_client, race_behind_a_held_service

pytestmark = pytest.mark.django_db


def _fund(client, association, key, amount="100.00"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(
        f"/api/v1/customers/associations/{association.pk}/fund/",
        {"amount": amount, "confirm": True},
        format="json",
        **headers,
    )


def _balance(account) -> Decimal:
    return Account.objects.get(pk=account.pk).balance


def test_a_retried_fund_moves_money_once_and_replays_the_first_body(owner, association, account):
    client = api_client(owner)
    entries = LedgerEntry.objects.count()
    first = _fund(client, association, "fund-0001")
    assert first.status_code == 200 and "Idempotent-Replayed" not in first
    assert _balance(account) == Decimal("1100.00")
    # The object changes after the first answer; the retry still gets the first body.
    services.account_fund(actor=owner, account=account, amount=Decimal("5.00"))
    again = _fund(client, association, "fund-0001")
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert _balance(account) == Decimal("1105.00")
    assert LedgerEntry.objects.count() == entries + 2  # the first fund and the 5.00, no more
    # JSON key order and spacing do not make it another request.
    reordered = client.post(
        f"/api/v1/customers/associations/{association.pk}/fund/",
        data='{ "confirm" : true, "amount" : "100.00" }',
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="fund-0001",
    )
    assert reordered.status_code == 200 and reordered["Idempotent-Replayed"] == "true"


def test_without_a_key_each_call_runs(owner, association, account):
    client = api_client(owner)
    _fund(client, association, None)
    _fund(client, association, None)
    assert _balance(account) == Decimal("1200.00")
    assert not StoredResponse.objects.exists()


def test_the_same_key_for_another_request_is_422(owner, association, account):
    client = api_client(owner)
    assert _fund(client, association, "k-1").status_code == 200
    other_body = _fund(client, association, "k-1", amount="7.00")
    assert other_body.status_code == 422
    assert other_body.json()["code"] == "idempotency_key_reused"
    assert set(other_body.json()) == {"code", "message", "fields"}
    other_path = client.post(
        f"/api/v1/customers/associations/{association.pk}/reclaim/",
        {"amount": "100.00", "confirm": True},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert other_path.status_code == 422
    assert _balance(account) == Decimal("1100.00")


def _ran_anew(response, account, balance: str) -> None:
    """The request ran (no replay) and the account holds `balance` after it."""
    assert response.status_code == 200 and "Idempotent-Replayed" not in response
    assert _balance(account) == Decimal(balance)


def test_a_refused_request_is_not_stored_so_the_corrected_retry_runs(owner, association, account):
    client = api_client(owner)
    bad = _fund(client, association, "k-2", amount="-1")
    assert bad.status_code == 400
    good = _fund(client, association, "k-2")
    _ran_anew(good, account, "1100.00")


def _funded_at_a_frozen_now(owner, association, key):
    """The owner's client after one fund with `key`, and the instant it was sent."""
    client, start = api_client(owner), timezone.now()
    with time_machine.travel(start, tick=False):
        _fund(client, association, key)
    return client, start


def test_a_key_is_remembered_for_24_hours_then_swept(owner, association, account):
    client, start = _funded_at_a_frozen_now(owner, association, "day-key")
    with time_machine.travel(start + timedelta(hours=23, minutes=59), tick=False):
        assert _fund(client, association, "day-key")["Idempotent-Replayed"] == "true"
        assert tasks.sweep() == 0
    assert _balance(account) == Decimal("1100.00")
    with time_machine.travel(start + timedelta(hours=24, minutes=1), tick=False):
        assert tasks.sweep() == 1
        later = _fund(client, association, "day-key")
    _ran_anew(later, account, "1200.00")


def test_an_expired_row_not_yet_swept_is_not_replayed(owner, association, account):
    client, start = _funded_at_a_frozen_now(owner, association, "late")
    with time_machine.travel(start + timedelta(hours=25), tick=False):
        assert "Idempotent-Replayed" not in _fund(client, association, "late")
    assert _balance(account) == Decimal("1200.00")
    assert StoredResponse.objects.count() == 1


def test_keys_are_per_user(owner, association, account, partner):
    colleague = partner_user(partner, Role.PARTNER_ADMIN, email="co@p.test", can_move_money=True)
    _fund(api_client(owner), association, "shared-key")
    theirs = _fund(api_client(colleague), association, "shared-key")
    _ran_anew(theirs, account, "1200.00")


def test_an_outsider_reusing_a_key_gets_their_own_answer(owner, outsider, association, account):
    _fund(api_client(owner), association, "k-out")
    response = _fund(api_client(outsider), association, "k-out")
    assert response.status_code == 404 and "Idempotent-Replayed" not in response
    assert _balance(account) == Decimal("1100.00")


def test_a_malformed_key_is_400(owner, association, account):
    response = _fund(api_client(owner), association, "x" * 256)
    assert response.status_code == 400 and response.json()["code"] == "invalid_idempotency_key"
    assert _balance(account) == Decimal("1000.00")


def test_key_callers_are_scoped_by_their_user(owner, association, account):
    from tests.helpers import api_key

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key(owner)}")
    assert _fund(client, association, "tok").status_code == 200
    replay = _fund(client, association, "tok")
    assert replay["Idempotent-Replayed"] == "true"
    assert StoredResponse.objects.get().user == owner
    assert _balance(account) == Decimal("1100.00")


def test_the_sweep_is_scheduled(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["idempotency-sweep"]
    assert entry["task"] == "partner_center.idempotency.tasks.sweep"


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_wait_for_the_first_and_replay(owner, association, account):
    """Two threads send the same fund with the same key at once: the second waits on the
    first's lock (seen in pg_locks), then replays its answer; money moves once."""
    if connection.vendor != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's")
    responses = []

    def send():
        responses.append(_fund(api_client(owner), association, "race-key"))

    seen_waiting, calls = race_behind_a_held_service(services, "account_fund", [send, send])
    assert seen_waiting and len(calls) == 1
    assert sorted(r.status_code for r in responses) == [200, 200]
    assert [r.get("Idempotent-Replayed") for r in responses].count("true") == 1
    assert responses[0].content == responses[1].content
    assert _balance(account) == Decimal("1100.00")
