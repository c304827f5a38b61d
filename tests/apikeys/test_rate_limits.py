"""Rate limits per API key and per user: X-RateLimit-* headers on every throttled API
response, 429 with Retry-After and the error body over the limit."""

import pytest
import time_machine
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.helpers import api_key

pytestmark = pytest.mark.django_db

WINDOW = "2026-03-02 10:00:10Z"  # time stands still: one fixed window throughout


def bearer(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@time_machine.travel(WINDOW, tick=False)
def test_every_response_carries_the_headers_and_the_key_limit_answers_429(owner, settings):
    cache.clear()
    settings.API_THROTTLE_RATES = {"anon": "100/min", "user": "100/min", "key": "3/min"}
    client = bearer(api_key(owner))
    seen = []
    for _ in range(3):
        response = client.get("/api/v1/me/")
        assert response.status_code == 200
        seen.append(response["X-RateLimit-Remaining"])
        assert response["X-RateLimit-Limit"] == "3"
        assert int(response["X-RateLimit-Reset"]) == 1772445660  # 10:01:00 UTC
    assert seen == ["2", "1", "0"]
    refused = client.get("/api/v1/me/")
    assert refused.status_code == 429 and refused["Retry-After"] == "50"
    assert refused.json()["code"] == "rate_limited" and refused.json()["fields"] == {}
    assert refused["X-RateLimit-Remaining"] == "0"
    # Another key of the same user has its own budget.
    assert bearer(api_key(owner)).get("/api/v1/me/").status_code == 200


@time_machine.travel(WINDOW, tick=False)
def test_the_user_limit_counts_every_key_and_the_session(owner, settings):
    cache.clear()
    settings.API_THROTTLE_RATES = {"anon": "100/min", "user": "4/min", "key": "100/min"}
    session = APIClient()
    session.force_login(owner)
    assert session.get("/api/v1/me/")["X-RateLimit-Limit"] == "4"
    for _ in range(3):
        assert bearer(api_key(owner)).get("/api/v1/me/").status_code == 200
    assert session.get("/api/v1/me/").status_code == 429


@time_machine.travel(WINDOW, tick=False)
def test_anonymous_calls_carry_the_headers(db, settings):
    cache.clear()
    settings.API_THROTTLE_RATES = {"anon": "7/min", "user": "100/min", "key": "100/min"}
    response = APIClient().get("/api/v1/customers/invite/nothing/")
    assert response["X-RateLimit-Limit"] == "7" and response["X-RateLimit-Remaining"] == "6"


def test_the_window_resets(owner, settings):
    cache.clear()
    settings.API_THROTTLE_RATES = {"anon": "100/min", "user": "1/min", "key": "100/min"}
    client = bearer(api_key(owner))
    with time_machine.travel("2026-03-02 10:00:10Z", tick=False):
        assert client.get("/api/v1/me/").status_code == 200
        assert client.get("/api/v1/me/").status_code == 429
    with time_machine.travel("2026-03-02 10:01:01Z", tick=False):
        assert client.get("/api/v1/me/").status_code == 200
