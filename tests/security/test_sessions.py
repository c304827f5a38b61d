"""Sessions: idle expiry per kind of user, the absolute lifetime, the list of sessions and
signing out elsewhere or everywhere."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from partner_center.security.models import UserSession

pytestmark = pytest.mark.django_db
RIGHT = "pw-Secret-123"


@pytest.fixture
def timeouts(settings):
    settings.SESSION_IDLE_TIMEOUT_STAFF = timedelta(minutes=30)
    settings.SESSION_IDLE_TIMEOUT_PARTNER = timedelta(hours=8)
    settings.SESSION_ABSOLUTE_LIFETIME = timedelta(days=7)
    return settings


def sign_in(user, **extra) -> Client:
    client = Client(**extra)
    assert client.post("/login/", {"username": user.email, "password": RIGHT}).status_code == 302
    return client


def test_staff_session_ends_after_thirty_idle_minutes(bd, timeouts, time_machine):
    time_machine.move_to("2026-05-04 09:00:00+08:00")
    client = sign_in(bd, HTTP_ACCEPT_LANGUAGE="en")
    time_machine.move_to("2026-05-04 09:29:00+08:00")
    assert client.get("/").status_code == 200  # activity moves the clock on
    time_machine.move_to("2026-05-04 09:58:00+08:00")
    assert client.get("/").status_code == 200
    time_machine.move_to("2026-05-04 10:29:00+08:00")
    response = client.get("/opportunities/")
    assert response.status_code == 302 and response.url.startswith("/login/?next=/opportunities/")
    page = client.get(response.url).content.decode()
    assert "signed out after a time without activity" in page
    assert UserSession.objects.get(user=bd).ended_at is not None


def test_partner_session_lasts_eight_idle_hours(owner, timeouts, time_machine):
    time_machine.move_to("2026-05-04 09:00:00+08:00")
    client = sign_in(owner)
    time_machine.move_to("2026-05-04 16:30:00+08:00")
    assert client.get("/").status_code == 200
    time_machine.move_to("2026-05-05 00:31:00+08:00")
    assert client.get("/").status_code == 302


def test_absolute_lifetime_ends_a_busy_session(owner, timeouts, time_machine):
    timeouts.SESSION_IDLE_TIMEOUT_PARTNER = timedelta(days=2)
    time_machine.move_to("2026-05-04 09:00:00+08:00")
    client = sign_in(owner)
    for day in range(1, 7):
        time_machine.move_to(f"2026-05-{4 + day:02d} 09:00:00+08:00")
        assert client.get("/").status_code == 200
    time_machine.move_to("2026-05-11 09:01:00+08:00")
    assert client.get("/").status_code == 302


def test_the_session_list_and_sign_out_everywhere_else(owner, timeouts):
    laptop = sign_in(owner, HTTP_USER_AGENT="Laptop browser", REMOTE_ADDR="192.0.2.1")
    phone = sign_in(owner, HTTP_USER_AGENT="Phone browser", REMOTE_ADDR="192.0.2.2")
    page = laptop.get("/security/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Laptop browser" in page and "Phone browser" in page and "192.0.2.2" in page
    assert page.count('data-current="1"') == 1

    laptop.post("/security/sessions/sign-out-others/")
    assert laptop.get("/").status_code == 200  # this one stays
    assert phone.get("/").status_code == 302  # the other one is out
    page = laptop.get("/security/").content.decode()
    assert "Phone browser" not in page and "Laptop browser" in page
    assert UserSession.objects.filter(user=owner, ended_at=None).count() == 1


def test_sign_out_everywhere(owner, timeouts):
    laptop = sign_in(owner)
    phone = sign_in(owner)
    response = laptop.post("/security/sessions/sign-out-everywhere/")
    assert response.status_code == 302 and response.url == "/login/"
    assert laptop.get("/").status_code == 302
    assert phone.get("/").status_code == 302
    assert not UserSession.objects.filter(user=owner, ended_at=None).exists()
    sign_in(owner)  # and signing in again works


def test_last_seen_is_written_at_most_once_a_minute(
    owner, timeouts, time_machine, django_assert_num_queries
):
    time_machine.move_to("2026-05-04 09:00:00+08:00")
    client = sign_in(owner)
    row = UserSession.objects.get(user=owner)
    time_machine.move_to("2026-05-04 09:00:30+08:00")
    client.get("/security/")
    row.refresh_from_db()
    assert row.last_seen_at == row.created_at
    time_machine.move_to("2026-05-04 09:02:00+08:00")
    client.get("/security/")
    row.refresh_from_db()
    assert row.last_seen_at > row.created_at
    assert timezone.now() - row.last_seen_at < timedelta(seconds=5)


def test_an_admin_signs_a_user_out_everywhere(owner, admin_user, login, timeouts):
    victim = sign_in(owner)
    admin = login(admin_user)
    row = UserSession.objects.get(user=owner)
    admin.post(
        "/admin/security/usersession/",
        {"action": "sign_out_users", "_selected_action": [row.pk]},
    )
    assert victim.get("/").status_code == 302


def test_sessions_page_shows_only_own_sessions(owner, outsider, timeouts):
    sign_in(outsider, HTTP_USER_AGENT="Outsider browser")
    page = sign_in(owner).get("/security/").content.decode()
    assert "Outsider browser" not in page
