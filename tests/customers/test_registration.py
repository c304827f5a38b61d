"""Registering through an invitation link [our rules]: the e-mail is verified by a 6-digit
code before the account exists; one registration per link; the same answer whether or not the
address has an account; every field fits its column."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from customers import services
from customers.models import Customer, Registration
from partner_center.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail_now(monkeypatch):
    """Deliver the e-mail task at once (its body is what is tested here)."""
    from customers import tasks

    monkeypatch.setattr(
        tasks.email_registration, "delay", lambda *args: tasks.email_registration(*args)
    )


@pytest.fixture
def invitation(owner):
    return services.invitation_create(actor=owner, billing_model="reseller")


def details(**overrides):
    return {
        "name": "新客户有限公司",
        "email": "boss@newclient.test",
        "phone": "",
        "password1": "Cl0ud-Secret-9",
        "password2": "Cl0ud-Secret-9",
        **overrides,
    }


def code_in(message) -> str:
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def test_account_exists_only_after_the_code(client, invitation, django_capture_on_commit_callbacks):
    url = reverse("customers:invite_register", args=[invitation.token])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, details())
    assert response.status_code == 302
    assert response["Location"] == reverse("customers:invite_verify", args=[invitation.token])
    assert not User.objects.filter(email="boss@newclient.test").exists()
    code = code_in(mail.outbox[-1])
    verify = reverse("customers:invite_verify", args=[invitation.token])
    wrong = "000000" if code != "000000" else "111111"
    assert "code" in client.post(verify, {"code": wrong}).context["form"].errors
    assert client.post(verify, {"code": code}).status_code == 302
    user = User.objects.get(email="boss@newclient.test")
    assert user.check_password("Cl0ud-Secret-9") and user.full_name == "新客户有限公司"
    assert Customer.objects.filter(user=user).exists()
    assert client.get(reverse("customers:invite", args=[invitation.token])).status_code == 200


def test_same_answer_whether_or_not_the_address_has_an_account(
    client, invitation, django_capture_on_commit_callbacks
):
    UserFactory(email="staff@vendor.test")
    url = reverse("customers:invite_register", args=[invitation.token])
    answers = []
    for email in ("staff@vendor.test", "fresh@newclient.test"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, details(email=email), follow=True)
        text = response.content.decode().replace(email, "EMAIL")
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
        answers.append((response.status_code, response.redirect_chain, text))
    assert answers[0] == answers[1]
    assert "exists" not in answers[0][2] and "已存在" not in answers[0][2]
    to_existing, to_new = mail.outbox[-2], mail.outbox[-1]
    assert to_existing.to == ["staff@vendor.test"] and "sign in" in to_existing.body.lower()
    assert not re.search(r"\b\d{6}\b", to_existing.body.split("http")[0])
    assert to_new.to == ["fresh@newclient.test"] and code_in(to_new)
    # The existing account is not touched.
    assert User.objects.filter(email="staff@vendor.test").count() == 1


def test_one_registration_per_link(invitation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_start(
            invitation=invitation, email="a@x.test", name="A", phone="", password="Cl0ud-Secret-9"
        )
    services.registration_verify(
        invitation=invitation, email="a@x.test", code=code_in(mail.outbox[-1])
    )
    with pytest.raises(Exception, match="used for a registration already"):
        services.registration_start(
            invitation=invitation, email="b@x.test", name="B", phone="", password="Cl0ud-Secret-9"
        )
    assert Registration.objects.count() == 1
    assert not User.objects.filter(email="b@x.test").exists()


def test_five_wrong_codes_void_the_code(invitation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_start(
            invitation=invitation, email="a@x.test", name="A", phone="", password="Cl0ud-Secret-9"
        )
    code = code_in(mail.outbox[-1])
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(Exception, match="wrong or has expired"):
            services.registration_verify(invitation=invitation, email="a@x.test", code=wrong)
    with pytest.raises(Exception, match="wrong or has expired"):
        services.registration_verify(invitation=invitation, email="a@x.test", code=code)
    assert not User.objects.filter(email="a@x.test").exists()


@pytest.mark.parametrize("length", [101, 150, 200])
def test_a_long_name_is_a_field_error_not_a_500(client, invitation, length):
    response = client.post(
        reverse("customers:invite_register", args=[invitation.token]),
        details(name="名" * length),
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not Registration.objects.exists()
