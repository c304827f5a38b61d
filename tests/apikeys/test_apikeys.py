"""Self-service API keys: created by a partner admin (page and API) or by staff for
themselves, shown once, stored hashed, scoped, bounded expiry, revocable, last use shown; the
old plain tokens migrated; outsiders see and revoke nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from partner_center.accounts.permissions import Role
from partner_center.apikeys.models import ApiKey
from partner_center.apikeys.scopes import Scope, required_scope
from partner_center.apikeys.services import create_key, revoke_key
from partner_center.audit.models import Event
from partner_center.menus import menu_for
from tests.factories import PartnerFactory
from tests.helpers import api_key, count_queries

pytestmark = pytest.mark.django_db


def bearer(key: str, address: str = "198.51.100.7") -> APIClient:
    client = APIClient(REMOTE_ADDR=address)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_partner_admin_creates_a_key_on_the_page_shown_once_and_stored_hashed(owner, login):
    client = login(owner)
    response = client.post(
        reverse("apikeys:list"),
        {"label": "CRM sync", "scopes": ["opportunities"], "expires_in_days": "90"},
    )
    assert response.status_code == 200
    full = response.context["created"]["full"]
    assert full.startswith("pck_") and full in response.content.decode()
    key = ApiKey.objects.get()
    assert key.partner_id == owner.partner_id and key.user == owner
    assert key.scopes == ["read", "opportunities"]
    assert full.split("_", 2)[2] not in (key.secret_digest, key.prefix)
    assert timedelta(days=89) < key.expires_at - timezone.now() <= timedelta(days=90)
    page = client.get(reverse("apikeys:list")).content.decode()
    assert "CRM sync" in page and full not in page and key.display_prefix in page
    assert Event.objects.filter(verb="api_key.created", subject_id=key.pk).exists()
    assert bearer(full).get("/api/v1/me/").json()["email"] == owner.email


def test_the_api_creates_lists_and_revokes_keys(owner):
    session = APIClient()
    session.force_login(owner)
    response = session.post(
        "/api/v1/api-keys/",
        {"label": "ERP", "scopes": ["customers", "billing"], "expires_in_days": 30},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["scopes"] == ["read", "customers", "billing"] and body["status"] == "active"
    full = body["key"]
    listed = session.get("/api/v1/api-keys/").json()["results"]
    assert [row["id"] for row in listed] == [body["id"]] and "key" not in listed[0]
    assert bearer(full, "203.0.113.9").get("/api/v1/me/").status_code == 200
    key = ApiKey.objects.get()
    assert key.last_used_ip == "203.0.113.9" and key.last_used_at is not None
    revoked = session.post(f"/api/v1/api-keys/{body['id']}/revoke/")
    assert revoked.json()["status"] == "revoked"
    assert bearer(full).get("/api/v1/me/").status_code == 401
    assert Event.objects.filter(verb="api_key.revoked", subject_id=key.pk).exists()


@pytest.mark.parametrize("days,ok", [(0, False), (1, True), (365, True), (366, False), (-5, False)])
def test_expiry_is_required_and_bounded(owner, days, ok):
    session = APIClient()
    session.force_login(owner)
    response = session.post(
        "/api/v1/api-keys/", {"label": "x", "scopes": [], "expires_in_days": days}, format="json"
    )
    assert response.status_code == (201 if ok else 400)
    if not ok:
        assert "expires_in_days" in response.json()["fields"]
    missing = session.post("/api/v1/api-keys/", {"label": "x", "scopes": []}, format="json")
    assert missing.status_code == 400 and "expires_in_days" in missing.json()["fields"]


def test_an_expired_key_stops_working(owner):
    key = api_key(owner, days=10)
    assert bearer(key).get("/api/v1/me/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=11)):
        response = bearer(key).get("/api/v1/me/")
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")


def test_a_key_without_a_write_scope_only_reads(owner):
    read_only = bearer(api_key(owner, scopes=[]))
    assert read_only.get("/api/v1/opportunities/po/").status_code == 200
    response = read_only.post("/api/v1/opportunities/po/", {}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "scope_missing"
    sales = bearer(api_key(owner, scopes=["opportunities"]))
    assert sales.post("/api/v1/opportunities/po/", {}, format="json").status_code == 400
    refused = sales.post("/api/v1/members/", {"email": "a@b.test"}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "scope_missing"


def test_the_scope_mapping():
    assert required_scope("GET", "/api/v1/customers/associations/1/") == Scope.READ
    assert required_scope("POST", "/api/v1/opportunities/po/") == Scope.OPPORTUNITIES
    assert required_scope("POST", "/api/v1/customers/associations/1/fund/") == Scope.MONEY
    assert required_scope("POST", "/api/v1/incentives/applications/") == Scope.MONEY
    assert required_scope("POST", "/api/v1/billing/invoices/") == Scope.BILLING
    assert required_scope("PATCH", "/api/v1/members/1/") == Scope.ACCOUNT
    assert required_scope("POST", "/api/v1/api-keys/") == Scope.ACCOUNT


def test_a_key_of_a_user_who_left_or_was_deactivated_stops_working(owner, teammate):
    owner_key, member_key = api_key(owner), api_key(teammate)
    teammate.partner = PartnerFactory()
    teammate.save()
    assert bearer(member_key).get("/api/v1/me/").status_code == 401
    owner.is_active = False
    owner.save()
    assert bearer(owner_key).get("/api/v1/me/").status_code == 401


def test_members_cannot_create_keys(teammate, login):
    assert login(teammate).get(reverse("apikeys:list")).status_code == 403
    session = APIClient()
    session.force_login(teammate)
    body = {"label": "x", "scopes": [], "expires_in_days": 5}
    assert session.post("/api/v1/api-keys/", body, format="json").status_code == 403
    entries = [e["url_name"] for s in menu_for(teammate) for e in s["entries"]]
    assert "apikeys:list" not in entries


def test_outsiders_neither_see_nor_revoke_another_partners_keys(owner, outsider, bd, login):
    key, _ = create_key(actor=owner, label="CRM", scopes=[], expires_in_days=30)
    outsider_api = APIClient()
    outsider_api.force_login(outsider)
    assert outsider_api.get("/api/v1/api-keys/").json()["results"] == []
    assert outsider_api.get(f"/api/v1/api-keys/{key.pk}/").status_code == 404
    assert outsider_api.post(f"/api/v1/api-keys/{key.pk}/revoke/").status_code == 404
    assert login(outsider).post(reverse("apikeys:revoke", args=[key.pk])).status_code == 404
    staff_api = APIClient()
    staff_api.force_login(bd)
    assert staff_api.post(f"/api/v1/api-keys/{key.pk}/revoke/").status_code == 404
    key.refresh_from_db()
    assert key.revoked_at is None


def test_staff_create_keys_for_themselves(bd, specialist, owner, login):
    create_key(actor=owner, label="partner's", scopes=[], expires_in_days=30)
    for user in (bd, specialist):
        client = login(user)
        response = client.post(
            reverse("apikeys:list"), {"label": "reports", "expires_in_days": "30"}
        )
        full = response.context["created"]["full"]
        assert [k.label for k in response.context["keys"]] == ["reports"]
        assert bearer(full).get("/api/v1/me/").json()["email"] == user.email
        assert ApiKey.objects.get(user=user).partner_id is None
    entries = [e["url_name"] for s in menu_for(bd) for e in s["entries"]]
    assert "apikeys:list" in entries


def test_a_key_cannot_create_a_stronger_key(owner):
    parent = bearer(api_key(owner, scopes=["account"], days=20))
    body = {"label": "child", "scopes": ["billing"], "expires_in_days": 100}
    response = parent.post("/api/v1/api-keys/", body, format="json")
    assert response.status_code == 400 and response.json()["code"] == "scope_escalation"
    body["scopes"] = ["account"]
    child = parent.post("/api/v1/api-keys/", body, format="json")
    assert child.status_code == 201
    assert ApiKey.objects.get(label="child").expires_at <= timezone.now() + timedelta(days=20)


def test_admin_lists_keys_without_secrets_and_revokes_through_the_service(owner, admin_user, login):
    key, full = create_key(actor=owner, label="CRM", scopes=[], expires_in_days=30)
    client = login(admin_user)
    page = client.get(reverse("admin:apikeys_apikey_changelist")).content.decode()
    assert "CRM" in page and full.split("_", 2)[2] not in page and key.secret_digest not in page
    detail = client.get(reverse("admin:apikeys_apikey_change", args=[key.pk])).content.decode()
    assert key.secret_digest not in detail
    client.post(
        reverse("admin:apikeys_apikey_changelist"),
        {"action": "revoke", "_selected_action": [key.pk]},
    )
    key.refresh_from_db()
    assert key.revoked_by == admin_user
    assert Event.objects.filter(verb="api_key.revoked", actor=admin_user).exists()


def test_revoking_twice_is_harmless(owner):
    key, _ = create_key(actor=owner, label="CRM", scopes=[], expires_in_days=30)
    revoke_key(actor=owner, key=key)
    revoke_key(actor=owner, key=key)
    assert Event.objects.filter(verb="api_key.revoked").count() == 1


def test_the_key_page_and_list_query_counts_do_not_grow(owner, login):
    client = login(owner)
    api = APIClient()
    api.force_login(owner)
    create_key(actor=owner, label="one", scopes=[], expires_in_days=30)
    one = count_queries(client.get, reverse("apikeys:list"))
    one_api = count_queries(api.get, "/api/v1/api-keys/")
    for n in range(5):
        create_key(actor=owner, label=f"k{n}", scopes=[], expires_in_days=30)
    assert count_queries(client.get, reverse("apikeys:list")) == one
    assert count_queries(api.get, "/api/v1/api-keys/") == one_api


def test_the_openapi_document_describes_the_key_scheme(owner):
    session = APIClient()
    session.force_login(owner)
    schema = session.get("/api/schema/?format=json").json()
    scheme = schema["components"]["securitySchemes"]["apiKey"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    assert "429" in schema["paths"]["/api/v1/api-keys/"]["post"]["responses"]
    assert schema["paths"]["/api/v1/api-keys/"]["post"]["tags"] == ["apikeys"]


def test_a_partner_admin_of_another_role_cannot_use_a_stale_key(owner):
    key = api_key(owner)
    owner.role = Role.BD
    owner.save()
    assert bearer(key).get("/api/v1/me/").status_code == 401


@pytest.mark.parametrize(
    ("language", "words"), [("en", ["Read", "Opportunities"]), ("zh-hans", ["读取", "机会点"])]
)
def test_the_key_list_names_scopes_in_the_readers_words(owner, login, language, words):
    create_key(actor=owner, label="CRM", scopes=["opportunities"], expires_in_days=30)
    owner.language = language
    owner.save(update_fields=["language"])
    page = login(owner).get(reverse("apikeys:list"), HTTP_ACCEPT_LANGUAGE=language)
    cell = page.content.decode().split('data-testid="key-scopes">', 1)[1].split("</td>", 1)[0]
    assert all(word in cell for word in words), cell
    assert "opportunities" not in cell  # never the stored code
