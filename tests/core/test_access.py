import pytest
from django.core import mail
from django.http import Http404
from django.urls import reverse
from rest_framework.test import APIClient

from partner_center.accounts.access import get_for_user
from partner_center.accounts.models import Partner
from partner_center.accounts.permissions import PartnerType, Role, capability
from partner_center.menus import menu_for
from tests.factories import PartnerFactory, partner_user
from tests.helpers import api_client, api_key

pytestmark = pytest.mark.django_db


def test_login_by_email_case_insensitive(client, owner):
    response = client.post(
        "/login/", {"username": "OWNER@huayun.test", "password": "pw-Secret-123"}
    )
    assert response.status_code == 302 and response.url == "/"
    assert "华云数智" in client.get("/").content.decode()


def test_wrong_password_shows_message_on_the_form(client, owner):
    response = client.post(
        "/login/", {"username": owner.email, "password": "nope"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "The e-mail or password is wrong" in response.content.decode()


def test_anonymous_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/login/")


@pytest.mark.parametrize(
    ("persona", "marker"),
    [
        ("owner", 'data-testid="partner-name"'),
        ("teammate", 'data-testid="partner-name"'),
        ("bd", 'data-testid="workspace-title"'),
        ("specialist", 'data-testid="workspace-title"'),
        ("customer_user", 'data-testid="workspace-title"'),
        ("admin_user", 'data-testid="workspace-title"'),
    ],
)
def test_each_role_has_a_landing_page(request, login, persona, marker):
    user = request.getfixturevalue(persona)
    response = login(user).get("/")
    assert response.status_code == 200
    assert marker in response.content.decode()


def test_logout_requires_post_and_signs_out(login, owner):
    client = login(owner)
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_password_reset_sends_a_working_link(client, owner):
    client.post("/password-reset/", {"email": owner.email})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "N3w-pass-word!", "new_password2": "N3w-pass-word!"}
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("N3w-pass-word!")


def test_language_switch(login, owner):
    client = login(owner)
    assert "Sign out" not in client.get("/").content.decode()  # zh-hans is the default
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Sign out" in client.get("/").content.decode()


def test_get_for_user_hides_other_partners(partner, owner, outsider, bd):
    qs = Partner.objects.all()
    assert get_for_user(qs, owner, partner_field="pk", pk=partner.pk) == partner
    with pytest.raises(Http404):
        get_for_user(qs, outsider, partner_field="pk", pk=partner.pk)
    assert get_for_user(qs, bd, partner_field="pk", pk=partner.pk) == partner


def test_capability_checks_role_partner_type_and_grant(partner, owner, teammate, bd):
    reseller_only = capability(
        "x.resellers", {Role.PARTNER_ADMIN}, partner_types={PartnerType.DISTRIBUTOR}
    )
    assert not reseller_only.allows(owner)
    distributor = PartnerFactory(types=[PartnerType.DISTRIBUTOR])
    assert reseller_only.allows(partner_user(distributor))
    money = capability(
        "x.money", {Role.PARTNER_ADMIN, Role.PARTNER_MEMBER}, member_grant="can_move_money"
    )
    assert money.allows(owner) and not money.allows(teammate) and not money.allows(bd)
    teammate.can_move_money = True
    assert money.allows(teammate)


def test_deactivated_partner_loses_everything(partner, owner):
    Partner.objects.filter(pk=partner.pk).update(is_active=False)
    owner.partner.is_active = False
    assert menu_for(owner) == []


def test_menu_shows_the_partner_overview_only_to_partner_users(owner, bd):
    assert any(e["url_name"] == "home" for s in menu_for(owner) for e in s["entries"])
    assert not any(e["url_name"] == "home" for s in menu_for(bd) for e in s["entries"])


class TestApi:
    def test_me_with_api_key(self, owner):
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key(owner)}")
        body = api.get("/api/v1/me/").json()
        assert body["email"] == owner.email and body["partner"]["name"] == owner.partner.name

    def test_anonymous_refused(self):
        assert APIClient().get("/api/v1/me/").status_code in (401, 403)

    def test_partners_are_scoped_and_outsider_gets_404(
        self, partner, owner, outsider, other_partner, bd
    ):
        api = api_client(owner)
        ids = [p["id"] for p in api.get("/api/v1/partners/").json()["results"]]
        assert ids == [partner.pk]
        assert api.get(f"/api/v1/partners/{other_partner.pk}/").status_code == 404
        api.force_authenticate(bd)
        assert api.get(f"/api/v1/partners/{other_partner.pk}/").status_code == 200

    def test_distributor_sees_its_resellers(self, db):
        distributor = PartnerFactory(types=[PartnerType.DISTRIBUTOR])
        reseller = PartnerFactory(types=[PartnerType.RESELLER], parent_distributor=distributor)
        PartnerFactory(
            types=[PartnerType.RESELLER],
            parent_distributor=PartnerFactory(types=[PartnerType.DISTRIBUTOR]),
        )
        api = APIClient()
        api.force_authenticate(partner_user(distributor))
        ids = {p["id"] for p in api.get("/api/v1/partners/").json()["results"]}
        assert ids == {distributor.pk, reseller.pk}

    def test_schema_and_docs(self, client, login, owner):
        # Signed-in users only: anonymous callers get nothing of the API's map.
        assert client.get("/api/schema/").status_code in (401, 403)
        assert client.get(reverse("api-docs")).status_code == 302
        client = login(owner)
        schema = client.get("/api/schema/")
        assert schema.status_code == 200 and b"/api/v1/me/" in schema.content
        docs = client.get(reverse("api-docs"))
        assert docs.status_code == 200 and b"cdn" not in docs.content.lower()
        assert b"<script>" not in docs.content  # start-up script is a file (CSP)
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key(owner)}")
        assert api.get("/api/schema/").status_code == 200


def test_admin_lists_every_model(login, admin_user):
    from django.apps import apps
    from django.contrib import admin
    from simple_history.models import HistoricalChanges

    client = login(admin_user)
    ours = [
        m
        for m in apps.get_models()
        # history rows are shown on their model's History page
        if not issubclass(m, HistoricalChanges)
        and m.__module__.split(".")[0]
        in {
            "partner_center",
            "opportunities",
            "customers",
            "billing",
            "incentives",
            "certification",
        }
    ]
    for model in ours:
        assert model in admin.site._registry, f"{model.__name__} has no admin"
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url + "?q=x").status_code == 200, url
