"""Schemathesis over every documented GET operation (and a bounded sample of writes) as a
partner admin, a partner member, a distributor's admin, a BD, a certification specialist and
an anonymous caller (API keys with every scope), in-process against the WSGI app: no 5xx, and
every response matches the documented schema (status, content type, body, headers). The
roles added later run fewer examples per operation, so the whole file stays a few minutes."""

import re

import pytest
import schemathesis
import werkzeug.test
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from partner_center.demo import PARTNERS, load_all
from partner_center.wsgi import application
from tests.helpers import api_key

MAX_EXAMPLES = 3
ADMIN = f"{PARTNERS[0][0]}_admin"  # a solution provider's partner admin
MEMBER = f"{PARTNERS[0][0]}_member"
DISTRIBUTOR = f"{PARTNERS[1][0]}_admin"  # a distributor (with resellers)
CALLS = {"count": 0}  # requests sent, so a run that sends none cannot pass
# Every check but "schema-valid data is accepted": a filter by the id of a row that does not
# exist (`?product=512`) is rightly a 400, which that check counts as a failure.
EXCLUDED_CHECKS = [positive_data_acceptance]


def _schema():
    document = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = application
    return loaded


def _operations(schema, *, methods):
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() in methods:
            yield operation


class WsgiClient(werkzeug.test.Client):
    """In-process GETs with the caller's headers (Django's test client would reconnect the
    signal that closes the database connection after each request)."""

    def __init__(self, app, headers):
        super().__init__(app)
        self.default_headers = headers

    def get(self, path):
        return super().get(path, headers=self.default_headers)


def _real_ids(operation, client):
    """Ids of rows the caller can see for the operation's path parameters (the first row of
    the collection the id belongs to), so detail bodies are checked too; {} if none."""
    values = {}
    path = operation.path
    for name in re.findall(r"{(\w+)}", path):
        collection = path.split("{" + name + "}")[0].format(**values)
        response = client.get(collection)
        if response.status_code != 200:
            return values
        body = response.get_json()
        rows = body.get("results", []) if isinstance(body, dict) else body
        if not rows or not isinstance(rows[0], dict) or "id" not in rows[0]:
            return values
        values[name] = rows[0]["id"]
    return values


def _fuzz(operation, headers, path_parameters=None, max_examples=MAX_EXAMPLES):
    failures = []

    @settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(path_parameters=path_parameters or None))
    def run(case):
        CALLS["count"] += 1
        case.call_and_validate(headers=headers, excluded_checks=EXCLUDED_CHECKS)

    try:
        run()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - collected and reported per operation
        text = str(exc)
        for sub in getattr(exc, "exceptions", ()):
            text = str(sub)
        failures.append(f"{operation.method.upper()} {operation.path}: {text[:1500]}")
    return failures


@pytest.fixture
def in_process():
    """Keep the test's database connection across in-process requests (as Django's test
    client does): the WSGI handler would close it at the end of every request."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def many_key_failures(settings):
    """Schemathesis's `ignored_auth` check resends calls with made-up keys: past the failed
    key sign-in limit every call of the run, with the right key too, would answer 429."""
    settings.API_TOKEN_FAILURE_LIMIT = 10**9


def _headers(user):
    if user is None:
        return {}
    return {"Authorization": f"Bearer {api_key(user)}"}


def _spare_key(user) -> int:
    """Another key of the caller's (for the key routes' writes)."""
    from partner_center.apikeys.models import ApiKey

    api_key(user)
    return ApiKey.objects.filter(user=user).latest("pk").pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who,examples",
    [
        (ADMIN, MAX_EXAMPLES),
        ("bd", MAX_EXAMPLES),
        (None, MAX_EXAMPLES),
        (MEMBER, 1),
        (DISTRIBUTOR, 1),
        ("cert", 1),
    ],
)
def test_every_get_operation_keeps_its_contract(who, examples, in_process, many_key_failures):
    """On the demo data (rows of every kind, so the list and detail bodies are checked)."""
    ctx = load_all()
    user = ctx.users[who] if who else None
    schema = _schema()
    headers = _headers(user)
    failures = []
    client = WsgiClient(application, headers=headers)
    CALLS["count"] = 0
    operations = list(_operations(schema, methods={"GET"}))
    assert len(operations) > 80
    for operation in operations:
        failures += _fuzz(operation, headers, max_examples=examples)
        if "{" in operation.path and (ids := _real_ids(operation, client)):
            failures += _fuzz(operation, headers, ids, max_examples=examples)
    assert not failures, "\n\n".join(failures)
    # The caller's key still works: the answers were not all refusals of a lost key.
    assert client.get("/api/v1/me/").status_code == (200 if user else 401)
    assert CALLS["count"] >= len(operations)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who,examples", [(ADMIN, 2), ("bd", 2), (MEMBER, 1), (DISTRIBUTOR, 1), ("cert", 1)]
)
def test_every_write_operation_keeps_its_contract(who, examples, in_process, many_key_failures):
    """Writes with generated bodies, on real ids where there are some: refusals are 4xx with
    the error body, never a 5xx."""
    ctx = load_all()
    headers = _headers(ctx.users[who])
    schema = _schema()
    client = WsgiClient(application, headers=headers)
    failures = []
    CALLS["count"] = 0
    operations = list(_operations(schema, methods={"POST", "PUT", "PATCH", "DELETE"}))
    assert len(operations) > 50
    spare = _spare_key(ctx.users[who])
    for operation in operations:
        ids = _real_ids(operation, client) if "{" in operation.path else {}
        if operation.path.startswith("/api/v1/api-keys/{"):
            ids = {"id": spare}  # never the caller's own key: revoking it would end the run
        failures += _fuzz(operation, headers, ids, max_examples=examples)
    assert not failures, "\n\n".join(failures)
    # The caller's key still works: the writes were not all refused for a lost key.
    assert client.get("/api/v1/me/").status_code == 200
    assert CALLS["count"] >= len(operations)
