"""The API's contract: the OpenAPI document validates and is complete, ids in URLs are typed
(a non-numeric id is a 404 JSON, never a 500), every error has the shared body, an
unauthenticated call is a 401 with `WWW-Authenticate`, every response has a request id."""

import re

import pytest
from django.test import Client
from drf_spectacular.generators import EndpointEnumerator, SchemaGenerator
from openapi_spec_validator import validate

from tests.factories import PartnerFactory

DOMAIN_TAGS = {
    "opportunities",
    "customers",
    "billing",
    "incentives",
    "certification",
    "members",
    "apikeys",
    "programs",
    "notifications",
    "helpcenter",
    "accounts",
    "webhooks",
}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_the_openapi_document_validates(schema):
    validate(schema)
    assert len(schema["paths"]) > 100


def test_every_operation_has_a_summary_a_domain_tag_and_documented_errors(schema):
    assert "ErrorResponse" in schema["components"]["schemas"]
    for path, method, operation in _operations(schema):
        where = f"{method.upper()} {path}"
        assert operation.get("summary"), where
        assert len(operation["tags"]) == 1 and operation["tags"][0] in DOMAIN_TAGS, where
        for status in ("400", "401", "403", "404", "429"):
            body = operation["responses"][status]["content"]["application/json"]["schema"]
            assert body == {"$ref": "#/components/schemas/ErrorResponse"}, where
        for param in operation.get("parameters", []):
            if param["name"] == "page_size":
                assert param["schema"]["maximum"] == 200, where
            if param["in"] == "path":
                assert "{" + param["name"] + "}" in path, where


def test_the_main_creates_have_examples(schema):
    po = schema["paths"]["/api/v1/opportunities/po/"]["post"]
    example = po["requestBody"]["content"]["application/json"]["examples"]["create"]["value"]
    assert example["products"] and example["customer_name"]


def test_the_schema_endpoint_answers(login, bd):
    response = login(bd).get("/api/schema/?format=json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def _detail_routes():
    """Every API route with an id in its path, from the URL resolver (GET and POST forms)."""
    routes = set()
    for path, _regex, method, _callback in EndpointEnumerator().get_api_endpoints():
        if not path.startswith("/api/v1/"):
            continue
        ids = re.findall(r"{([^}]+)}", path)
        if not any(name in ("id", "pk") or name.endswith("_pk") for name in ids):
            continue
        routes.add((re.sub(r"{(id|pk|\w+_pk)}", "abc", path).replace("{token}", "t"), method))
    return sorted(routes)


def test_the_detail_route_list_is_complete():
    routes = _detail_routes()
    assert len(routes) > 40
    assert ("/api/v1/certification/enterprise/abc/", "GET") in routes
    assert ("/api/v1/opportunities/duplicates/abc/decide/", "POST") in routes


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "method"), _detail_routes())
def test_a_non_numeric_id_is_a_404_json(path, method, login, owner):
    client = login(owner)
    response = getattr(client, method.lower())(path, content_type="application/json")
    assert response.status_code == 404, (method, path, response.status_code)
    body = response.json()
    assert body["code"] == "not_found" and body["message"] and body["fields"] == {}
    assert response["X-Request-ID"]


@pytest.mark.django_db
def test_an_unknown_api_path_is_a_404_json(login, owner):
    response = login(owner).get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_an_unauthenticated_call_is_a_401_with_www_authenticate():
    response = Client().get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.django_db
def test_a_wrong_token_is_a_401(client):
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token nope")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


@pytest.mark.django_db
def test_field_errors_answer_the_shared_body(login, owner):
    response = login(owner).post(
        "/api/v1/members/", {"email": "not-an-email"}, content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == "invalid" and "email" in body["fields"]
    assert body["message"] == body["fields"]["email"][0]
    assert isinstance(body["fields"]["email"], list)


@pytest.mark.django_db
def test_a_refusal_for_the_actor_is_a_403_with_the_shared_body(login, teammate):
    response = login(teammate).post(
        "/api/v1/members/", {"email": "new@huayun.test"}, content_type="application/json"
    )
    assert response.status_code == 403
    body = response.json()
    assert body["code"] and body["message"] and body["fields"] == {}


@pytest.mark.django_db
def test_a_server_error_under_api_is_json(login, owner, monkeypatch):
    from partner_center.accounts import api

    def explode(self, request):
        raise RuntimeError("boom")

    monkeypatch.setattr(api.MeView, "get", explode)
    client = login(owner)
    client.raise_request_exception = False
    response = client.get("/api/v1/me/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "server_error"
    assert response["X-Request-ID"]


@pytest.mark.django_db
def test_a_method_not_allowed_is_json(login, owner):
    response = login(owner).delete("/api/v1/me/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


@pytest.mark.django_db
def test_a_post_without_the_trailing_slash_is_a_404_naming_the_right_url(login, owner):
    response = login(owner).post(
        "/api/v1/members", {"email": "x@y.test"}, content_type="application/json"
    )
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "trailing_slash_required"
    assert "/api/v1/members/" in body["message"]


@pytest.mark.django_db
def test_pages_still_redirect_to_the_slash(login, owner):
    assert login(owner).get("/members").status_code == 301


@pytest.mark.django_db
def test_the_request_id_is_echoed_when_sane_and_made_otherwise(login, owner):
    client = login(owner)
    assert client.get("/api/v1/me/", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    made = client.get("/api/v1/me/", HTTP_X_REQUEST_ID="bad id\n")["X-Request-ID"]
    assert made != "bad id\n" and re.fullmatch(r"[0-9a-f]{32}", made)
    assert re.fullmatch(r"[0-9a-f]{32}", client.get("/")["X-Request-ID"])


@pytest.mark.django_db
def test_page_size_is_bounded(login, admin_user):
    for _ in range(3):
        PartnerFactory()
    client = login(admin_user)
    body = client.get("/api/v1/partners/?page_size=2").json()
    assert len(body["results"]) == 2 and body["next"]
    assert len(client.get("/api/v1/partners/?page_size=100000").json()["results"]) == 3
