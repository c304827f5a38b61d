"""Brute force: the portal login, the admin login, password reset and API tokens."""

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from tests.helpers import api_key

pytestmark = pytest.mark.django_db

RIGHT = "pw-Secret-123"


def fail(client, email, times, path="/login/", **extra):
    for _ in range(times):
        response = client.post(path, {"username": email, "password": "wrong"}, **extra)
    return response


def test_ten_wrong_passwords_lock_the_account_and_the_right_one_is_refused(bd):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert fail(client, bd.email, 9).status_code == 200
    locked = fail(client, "BD@vendor.test ", 1)  # same account however it is typed
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    assert locked["Retry-After"] == str(15 * 60)

    # From another network too: the account is locked, not only the address.
    other = Client(HTTP_ACCEPT_LANGUAGE="zh-hans", REMOTE_ADDR="10.9.8.7")
    response = other.post("/login/", {"username": bd.email, "password": RIGHT})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in other.session


def test_the_lock_ends_after_the_cool_off(bd, time_machine):
    time_machine.move_to("2026-06-01 10:00:00+08:00")
    fail(Client(), bd.email, 10)
    client = Client()
    assert client.post("/login/", {"username": bd.email, "password": RIGHT}).status_code == 429
    time_machine.move_to("2026-06-01 10:16:00+08:00")
    assert client.post("/login/", {"username": bd.email, "password": RIGHT}).status_code == 302


def test_an_admin_unlocks_the_account_in_admin_and_by_command(bd, admin_user, login):
    fail(Client(), bd.email, 10)
    assert AccessAttempt.objects.filter(username=bd.email).exists()
    admin = login(admin_user)
    listing = admin.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and bd.email in listing.content.decode()
    attempt = AccessAttempt.objects.get(username=bd.email)
    response = admin.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert Client().post("/login/", {"username": bd.email, "password": RIGHT}).status_code == 302

    fail(Client(), bd.email, 10)
    call_command("axes_reset_username", bd.email)
    assert Client().post("/login/", {"username": bd.email, "password": RIGHT}).status_code == 302


def test_an_address_trying_many_accounts_is_locked(owner, teammate):
    attacker = Client(REMOTE_ADDR="203.0.113.5", HTTP_ACCEPT_LANGUAGE="en")
    for n in range(10):
        attacker.post("/login/", {"username": f"guess{n}@huayun.test", "password": "x"})
    response = attacker.post("/login/", {"username": owner.email, "password": RIGHT})
    assert response.status_code == 429
    # The same account from another address signs in.
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert (
        elsewhere.post("/login/", {"username": owner.email, "password": RIGHT}).status_code == 302
    )


def test_admin_login_is_locked_too_with_the_message(admin_user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    fail(client, admin_user.email, 10, path="/admin/login/")
    response = client.post(
        "/admin/login/?next=/admin/", {"username": admin_user.email, "password": RIGHT}
    )
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_password_reset_is_limited_per_email_and_per_address(owner):
    cache.clear()
    client = Client(REMOTE_ADDR="192.0.2.10", HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(5):
        response = client.post("/password-reset/", {"email": owner.email})
        assert response.status_code == 302  # the same answer every time
    assert len(mail.outbox) == 3
    for n in range(5):
        client.post("/password-reset/", {"email": f"nobody{n}@x.test"})
    response = client.post("/password-reset/", {"email": "again@x.test"})
    assert response.status_code == 429 and response["Retry-After"] == "3600"
    assert "Too many reset requests" in response.content.decode()


@time_machine.travel("2026-03-02 10:00:30Z", tick=False)  # one fixed window throughout
def test_api_answers_429_with_retry_after_over_the_rate(owner, settings):
    cache.clear()
    settings.API_THROTTLE_RATES = {"anon": "3/min", "user": "5/min"}
    api = APIClient(REMOTE_ADDR="192.0.2.20")
    api.force_authenticate(owner)
    codes = [api.get("/api/v1/me/").status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
    response = api.get("/api/v1/me/")
    assert 0 < int(response["Retry-After"]) <= 60

    # Anonymous callers are counted per address on the endpoints open to them (an invitation
    # link's status: guessing links is what this slows down).
    anonymous = APIClient(REMOTE_ADDR="192.0.2.21")
    codes = [anonymous.get(f"/api/v1/customers/invite/guess-{n}/").status_code for n in range(4)]
    assert codes == [404, 404, 404, 429]


def test_guessing_api_tokens_is_stopped(owner, settings):
    cache.clear()
    settings.API_TOKEN_FAILURE_LIMIT = 5
    key = api_key(owner)
    guesser = APIClient(REMOTE_ADDR="192.0.2.30")
    for n in range(5):
        guesser.credentials(HTTP_AUTHORIZATION=f"Token {n:040d}")
        assert guesser.get("/api/v1/me/").status_code in (401, 403)
    guesser.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = guesser.get("/api/v1/me/")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    # The owner's own address is not affected.
    owner_api = APIClient(REMOTE_ADDR="192.0.2.31")
    owner_api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert owner_api.get("/api/v1/me/").status_code == 200
