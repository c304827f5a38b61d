"""Two-factor sign-in: setup, the code step after the password, recovery codes, trusted
browsers, the staff requirement and the partner's own requirement."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from partner_center.security import mfa
from tests.helpers import api_key
from tests.security.conftest import totp_code

pytestmark = pytest.mark.django_db
RIGHT = "pw-Secret-123"


def sign_in(client, user):
    return client.post("/login/", {"username": user.email, "password": RIGHT})


@pytest.mark.parametrize("persona", ["bd", "specialist", "admin_user"])
def test_staff_without_a_second_factor_is_sent_to_set_it_up_before_any_page(
    request, mfa_on, login, persona
):
    user = request.getfixturevalue(persona)
    client = login(user)
    for path in ["/", "/opportunities/", "/admin/", "/security/", "/notifications/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith("/security/2fa/setup/"), path
    # Exempt: the setup page itself, static files, the language switch, signing out.
    assert client.get("/security/2fa/setup/").status_code == 200
    assert client.post("/i18n/setlang/", {"language": "en"}).status_code == 302
    api = client.get("/api/v1/me/")
    assert api.status_code == 403


def test_setup_confirms_with_a_code_and_shows_ten_recovery_codes_once(bd, mfa_on, login):
    client = login(bd)
    page = client.get("/security/2fa/setup/?next=/opportunities/", HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert '<svg class="pc-qr"' in body and 'data-testid="mfa-secret"' in body
    device = TOTPDevice.objects.get(user=bd, confirmed=False)
    wrong = client.post("/security/2fa/setup/", {"code": "000000"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "The code is not right" in wrong.content.decode()
    done = client.post(
        "/security/2fa/setup/", {"code": totp_code(device), "next": "/opportunities/"}
    )
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert StaticToken.objects.filter(device__user=bd).count() == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/opportunities/").status_code == 200  # this session is verified
    # Shown once: the overview only counts them.
    overview = client.get("/security/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert codes[0] not in overview and "10 recovery codes left" in overview
    chinese = client.get("/security/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "还剩 10 个恢复码" in chinese


def test_password_then_code_and_a_recovery_code_works_once(
    bd, mfa_on, with_authenticator, time_machine
):
    device = with_authenticator(bd)
    codes = mfa.recovery_codes_issue(user=bd)
    client = Client()
    response = sign_in(client, bd)
    assert response.status_code == 302
    response = client.get("/")
    assert response.url.startswith("/security/2fa/verify/")
    assert client.post("/security/2fa/verify/", {"code": "123456"}).status_code == 200
    assert client.get("/").status_code == 302  # still waiting
    time_machine.move_to(timezone.now() + timedelta(seconds=5))  # past django-otp's backoff
    response = client.post("/security/2fa/verify/", {"code": totp_code(device), "next": "/"})
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").status_code == 200

    other = Client()
    sign_in(other, bd)
    assert other.post("/security/2fa/verify/", {"code": codes[0].upper()}).status_code == 302
    assert other.get("/").status_code == 200
    third = Client()
    sign_in(third, bd)
    assert third.post("/security/2fa/verify/", {"code": codes[0]}).status_code == 200
    assert third.get("/").status_code == 302  # a recovery code works once


def test_trusted_browser_skips_the_code_for_thirty_days_and_can_be_forgotten(
    bd, mfa_on, with_authenticator
):
    device = with_authenticator(bd)
    with time_machine.travel("2026-03-01 09:00:00+08:00", tick=False) as traveller:
        client = Client()
        sign_in(client, bd)
        client.post("/security/2fa/verify/", {"code": totp_code(device), "trust": "on"})
        assert mfa.TRUST_COOKIE in client.cookies
        client.post("/logout/")
        sign_in(client, bd)
        assert client.get("/").status_code == 200  # no code asked

        # Another browser without the cookie is asked; a forged cookie does not help.
        stranger = Client()
        stranger.cookies[mfa.TRUST_COOKIE] = "forged"
        sign_in(stranger, bd)
        assert stranger.get("/").status_code == 302

        traveller.move_to("2026-04-01 09:00:00+08:00")  # 31 days later
        client.post("/logout/")
        sign_in(client, bd)
        assert client.get("/").url.startswith("/security/2fa/verify/")

    # Forgetting every trusted browser revokes the cookie's secret.
    client = Client()
    sign_in(client, bd)
    client.post("/security/2fa/verify/", {"code": totp_code(device), "trust": "on"})
    cookie = client.cookies[mfa.TRUST_COOKIE].value
    client.post("/security/trusted-devices/forget/")
    again = Client()
    again.cookies[mfa.TRUST_COOKIE] = cookie
    sign_in(again, bd)
    assert again.get("/").url.startswith("/security/2fa/verify/")


def test_trusted_cookie_of_one_user_does_not_verify_another(
    bd, specialist, mfa_on, with_authenticator
):
    bd_device = with_authenticator(bd)
    with_authenticator(specialist)
    client = Client()
    sign_in(client, bd)
    client.post("/security/2fa/verify/", {"code": totp_code(bd_device), "trust": "on"})
    client.post("/logout/")
    sign_in(client, specialist)
    assert client.get("/").url.startswith("/security/2fa/verify/")


def test_admin_site_asks_for_the_code_after_the_admin_login(admin_user, mfa_on, with_authenticator):
    with_authenticator(admin_user)
    client = Client()
    client.post("/admin/login/?next=/admin/", {"username": admin_user.email, "password": RIGHT})
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith("/security/2fa/verify/")


def test_partner_users_choose_until_their_admin_requires_it(owner, teammate, login, mfa_on):
    member = login(teammate)
    assert member.get("/").status_code == 200  # optional for partner users
    admin = login(owner)
    page = admin.get("/security/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="partner-mfa-form"' in page
    # The partner admin must have a second factor before requiring one of everybody.
    admin.post("/security/partner/", {"required": "on"})
    owner.partner.refresh_from_db()
    assert not owner.partner.mfa_required
    TOTPDevice.objects.create(user=owner, confirmed=True)
    admin.post("/security/partner/", {"required": "on"})
    owner.partner.refresh_from_db()
    assert owner.partner.mfa_required
    response = member.get("/")
    assert response.status_code == 302 and response.url.startswith("/security/2fa/setup/")
    # A member may not change the rule; neither may another partner's admin.
    assert member.post("/security/partner/", {"required": ""}).status_code in (302, 403)
    owner.partner.refresh_from_db()
    assert owner.partner.mfa_required


def test_partner_member_cannot_set_the_partner_rule(teammate, outsider, login):
    assert login(teammate).post("/security/partner/", {"required": "on"}).status_code == 403
    outsider_client = login(outsider)
    outsider_client.post("/security/partner/", {"required": "on"})
    teammate.partner.refresh_from_db()
    assert not teammate.partner.mfa_required


def test_api_tokens_are_not_affected(bd, mfa_on):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key(bd)}")
    assert api.get("/api/v1/me/").status_code == 200


def test_optional_second_factor_can_be_turned_off_but_not_when_required(
    owner, teammate, login, mfa_on
):
    TOTPDevice.objects.create(user=teammate, confirmed=True)
    client = login(teammate)
    # Signed in with the password only: the code comes first, even to turn it off.
    assert client.post("/security/2fa/disable/").url.startswith("/security/2fa/verify/")
    assert TOTPDevice.objects.filter(user=teammate).exists()
    mark_verified(client, teammate)
    client.post("/security/2fa/disable/")
    assert not TOTPDevice.objects.filter(user=teammate).exists()

    teammate.partner.mfa_required = True
    teammate.partner.save()
    TOTPDevice.objects.create(user=teammate, confirmed=True)
    client = login(teammate)
    mark_verified(client, teammate)
    client.post("/security/2fa/disable/")
    assert TOTPDevice.objects.filter(user=teammate).exists()  # required by the partner


def mark_verified(client, user):
    from django_otp import DEVICE_ID_SESSION_KEY

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.pop(mfa.SESSION_PENDING, None)
    session.save()


def test_wrong_codes_are_slowed_down(bd, mfa_on, with_authenticator):
    device = with_authenticator(bd)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    sign_in(client, bd)
    for _ in range(3):
        client.post("/security/2fa/verify/", {"code": "000000"})
    response = client.post("/security/2fa/verify/", {"code": totp_code(device)})
    assert "Too many wrong codes" in response.content.decode()


def test_security_changes_are_recorded(owner, login):
    from partner_center.audit.models import Event

    TOTPDevice.objects.create(user=owner, confirmed=True)
    client = login(owner)
    mark_verified(client, owner)
    client.post("/security/partner/", {"required": "on"})
    event = Event.objects.get(verb="partner.mfa_required")
    assert event.actor == owner and event.partner_id == owner.partner_id
