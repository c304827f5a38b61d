"""Association by invitation link: expiry, single use, plain reasons, the frozen account of
the reseller model, registration from the link."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from customers import services
from customers.models import Account, Association, BillingModel, Invitation
from partner_center.errors import DomainError
from tests.customers.conftest import associate, make_customer, make_resource
from tests.helpers import api_client

pytestmark = pytest.mark.django_db


def accept(customer, invitation, now=None):
    latest = services.agreement_ensure_published()
    return services.invitation_accept(
        actor=customer.user, token=invitation.token, agreement_version_id=latest.pk, now=now
    )


def test_accepting_associates_and_signs_the_current_agreement(owner, customer, agreement):
    invitation = services.invitation_create(actor=owner, billing_model=BillingModel.REFERRAL)
    association = accept(customer, invitation)
    assert association.partner == owner.partner and association.is_active
    assert customer.signatures.filter(version=agreement).exists()
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.ACCEPTED and invitation.used_by == customer.user
    # the referral model has no hosted account
    assert not Account.objects.filter(association=association).exists()


def test_link_expires_after_seven_days(owner, customer, agreement):
    start = timezone.now()
    invitation = services.invitation_create(actor=owner, billing_model="reseller", now=start)
    with (
        time_machine.travel(start + timedelta(days=7, seconds=1)),
        pytest.raises(DomainError, match="expired"),
    ):
        accept(customer, invitation)
    with time_machine.travel(start + timedelta(days=6, hours=23)):
        assert accept(customer, invitation).is_active


def test_link_works_once(owner, customer, agreement):
    invitation = services.invitation_create(actor=owner, billing_model="reseller")
    association = accept(customer, invitation)
    services.customer_unbind(actor=owner, association=association)
    with pytest.raises(DomainError, match="used already"):
        accept(customer, invitation)
    second = make_customer()
    with pytest.raises(DomainError, match="used already"):
        accept(second, invitation)


def test_customer_of_another_partner_is_refused_with_the_reason(
    owner, outsider, customer, agreement
):
    associate(outsider, customer)
    invitation = services.invitation_create(actor=owner, billing_model="reseller")
    with pytest.raises(DomainError, match="already associated with another partner"):
        accept(customer, invitation)
    assert Association.objects.filter(customer=customer, state="active").count() == 1


def test_revoked_link_and_partner_account_are_refused(owner, teammate, customer, agreement):
    invitation = services.invitation_create(actor=owner, billing_model="reseller")
    services.invitation_revoke(actor=owner, invitation=invitation)
    with pytest.raises(DomainError, match="withdrew"):
        accept(customer, invitation)
    other = services.invitation_create(actor=owner, billing_model="reseller")
    with pytest.raises(DomainError, match="partner or vendor account"):
        services.invitation_accept(
            actor=teammate, token=other.token, agreement_version_id=agreement.pk
        )


def test_an_older_agreement_version_cannot_be_signed_on_accept(
    owner, customer, agreement, admin_user
):
    invitation = services.invitation_create(actor=owner, billing_model="reseller")
    services.agreement_publish(
        actor=admin_user, title_zh="须知", title_en="Notice", body_zh="正文", body_en="Text"
    )
    with pytest.raises(DomainError, match="newer version"):
        services.invitation_accept(
            actor=customer.user, token=invitation.token, agreement_version_id=agreement.pk
        )


def test_reseller_model_account_is_frozen_until_the_budget_is_set(owner, customer, agreement):
    association = associate(owner, customer, BillingModel.RESELLER)
    account = Account.objects.get(association=association)
    assert account.frozen and account.monthly_budget is None
    services.account_fund(actor=owner, account=account, amount="500")  # funding is allowed
    resource = make_resource(
        association, "ecs-1", "100.00", timedelta(days=3), name="ecs", product="ECS"
    )
    with pytest.raises(DomainError, match="frozen"):
        services.resource_renew(actor=owner, resource=resource)
    services.account_set_budget(actor=owner, account=account, monthly_budget="1000")
    account.refresh_from_db()
    assert not account.frozen
    services.resource_renew(actor=owner, resource=resource)
    account.refresh_from_db()
    assert account.balance == 400


class TestPages:
    def test_partner_creates_a_link_and_sees_it(self, login, owner):
        client = login(owner)
        response = client.post(
            reverse("customers:invitations"),
            {"billing_model": "reseller", "email": "new@client.test", "note": "A"},
        )
        assert response.status_code == 302
        invitation = Invitation.objects.get(partner=owner.partner)
        page = client.get(reverse("customers:invitations")).content.decode()
        assert f"/customers/invite/{invitation.token}/" in page

    def test_anonymous_sees_the_offer_and_sign_in_links(self, client, owner):
        invitation = services.invitation_create(actor=owner, billing_model="reseller")
        page = client.get(reverse("customers:invite", args=[invitation.token])).content.decode()
        assert owner.partner.name in page and 'data-testid="invite-register"' in page

    def test_expired_link_page_says_why(self, client, owner):
        invitation = services.invitation_create(
            actor=owner, billing_model="reseller", now=timezone.now() - timedelta(days=8)
        )
        page = client.get(
            reverse("customers:invite", args=[invitation.token]), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
        assert "expired" in page

    def test_unknown_token_is_404(self, client):
        assert client.get(reverse("customers:invite", args=["nope"])).status_code == 404

    def test_register_then_sign_and_associate(
        self, client, owner, monkeypatch, django_capture_on_commit_callbacks
    ):
        import re

        from django.core import mail

        from customers import tasks

        monkeypatch.setattr(
            tasks.email_registration, "delay", lambda *a: tasks.email_registration(*a)
        )
        invitation = services.invitation_create(actor=owner, billing_model="reseller")
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("customers:invite_register", args=[invitation.token]),
                {
                    "name": "新客户有限公司",
                    "email": "boss@newclient.test",
                    "phone": "",
                    "password1": "Cl0ud-Secret-9",
                    "password2": "Cl0ud-Secret-9",
                },
            )
        assert response.status_code == 302
        code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
        response = client.post(
            reverse("customers:invite_verify", args=[invitation.token]), {"code": code}
        )
        assert response.status_code == 302
        page = client.get(reverse("customers:invite", args=[invitation.token]))
        version = page.context["agreement"].version
        response = client.post(
            reverse("customers:invite", args=[invitation.token]), {"version": version}
        )
        assert response.status_code == 200  # the box was not ticked
        assert "agree" in response.context["form"].errors
        response = client.post(
            reverse("customers:invite", args=[invitation.token]),
            {"version": version, "agree": "on"},
        )
        assert response.status_code == 302
        association = Association.objects.get(partner=owner.partner)
        assert association.customer.user.email == "boss@newclient.test"
        assert Account.objects.get(association=association).frozen

    def test_customer_already_associated_sees_the_reason(
        self, login, owner, outsider, customer, agreement
    ):
        associate(outsider, customer)
        invitation = services.invitation_create(actor=owner, billing_model="reseller")
        page = login(customer.user).get(
            reverse("customers:invite", args=[invitation.token]), HTTP_ACCEPT_LANGUAGE="en"
        )
        assert "already associated with another partner" in page.content.decode()

    def test_outsider_cannot_revoke(self, login, owner, outsider):
        invitation = services.invitation_create(actor=owner, billing_model="reseller")
        response = login(outsider).post(
            reverse("customers:invitation_revoke", args=[invitation.pk])
        )
        assert response.status_code == 404
        invitation.refresh_from_db()
        assert invitation.state == Invitation.State.PENDING

    def test_non_selling_partner_cannot_invite(self, login, db):
        from partner_center.accounts.permissions import PartnerType, Role
        from tests.factories import PartnerFactory, partner_user

        learning = PartnerFactory(types=[PartnerType.LEARNING])
        assert (
            login(partner_user(learning, Role.PARTNER_ADMIN))
            .get(reverse("customers:invitations"))
            .status_code
            == 403
        )


class TestApi:
    def test_create_list_revoke(self, owner, outsider):
        api = api_client(owner)
        created = api.post("/api/v1/customers/invitations/", {"email": "x@client.test"}).json()
        # a plain solution provider refers by default
        assert created["billing_model"] == "referral" and created["link"].endswith("/")
        assert [i["id"] for i in api.get("/api/v1/customers/invitations/").json()["results"]] == [
            created["id"]
        ]
        outsider_api = api_client(outsider)
        assert (
            outsider_api.get(f"/api/v1/customers/invitations/{created['id']}/").status_code == 404
        )
        assert (
            outsider_api.post(f"/api/v1/customers/invitations/{created['id']}/revoke/").status_code
            == 404
        )
        revoked = api.post(f"/api/v1/customers/invitations/{created['id']}/revoke/").json()
        assert revoked["state"] == "revoked"

    def test_status_and_accept(self, owner, customer, agreement):
        invitation = services.invitation_create(actor=owner, billing_model="reseller")
        api = APIClient()
        status = api.get(f"/api/v1/customers/invite/{invitation.token}/").json()
        assert status["usable"] and status["agreement_version"] == agreement.version
        api.force_authenticate(customer.user)
        body = api.post(
            f"/api/v1/customers/invite/{invitation.token}/accept/",
            {"agreement_version": agreement.version},
        ).json()
        assert body["partner"] == owner.partner.name and body["signed_latest_agreement"]
        again = api.post(
            f"/api/v1/customers/invite/{invitation.token}/accept/",
            {"agreement_version": agreement.version},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert again.status_code == 400 and "used already" in str(again.json())

    def test_partner_cannot_accept_through_the_api(self, owner, outsider, agreement):
        invitation = services.invitation_create(actor=owner, billing_model="reseller")
        api = api_client(outsider)
        assert (
            api.post(
                f"/api/v1/customers/invite/{invitation.token}/accept/", {"agreement_version": 1}
            ).status_code
            == 403
        )
