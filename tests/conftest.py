"""Personas shared by every test: the owner of a partner, a teammate, an outsider
partner's admin, BD staff, a certification specialist, a customer and an admin."""

import socket
from importlib import import_module
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.test import Client

from partner_center.accounts.permissions import PartnerType, Role
from tests.factories import PartnerFactory, UserFactory, partner_user


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), 2
        ):
            return True
    except OSError:
        return False


def pytest_sessionstart(session):
    db = settings.DATABASES["default"]
    pg_url = f"postgres://{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    missing = []
    if not _reachable(pg_url, 5432):
        missing.append(f"PostgreSQL at {pg_url} (start it: pg_ctlcluster 15 main start)")
    if not _reachable(settings.REDIS_URL, 6379):
        missing.append(f"Redis at {settings.REDIS_URL} (start it: redis-server --daemonize yes)")
    if missing:
        pytest.exit(
            "The tests need real services that are not reachable:\n  " + "\n  ".join(missing), 2
        )


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def outbox_inline(monkeypatch):
    """Outbox entries run in this process as they are handed over (a worker that answers at
    once), for tests about what a side effect does rather than how it is delivered."""
    from partner_center.celery import app
    from partner_center.outbox import services as outbox

    def run_here(entry):
        import_module(entry.task_name.rsplit(".", 1)[0])  # registers the task
        app.tasks[entry.task_name].apply(kwargs=entry.payload, task_id=entry.celery_task_id)

    monkeypatch.setattr(outbox, "_publish", run_here)


@pytest.fixture
def partner(db):
    """The persona partner: a solution provider in the PCE program."""
    return PartnerFactory(
        name="华云数智科技有限公司", types=[PartnerType.SOLUTION_PROVIDER], pce=True
    )


@pytest.fixture
def owner(partner):
    return partner_user(partner, Role.PARTNER_ADMIN, email="owner@huayun.test", can_move_money=True)


@pytest.fixture
def teammate(partner):
    return partner_user(partner, Role.PARTNER_MEMBER, email="teammate@huayun.test")


@pytest.fixture
def other_partner(db):
    return PartnerFactory(name="外部伙伴有限公司", types=[PartnerType.SOLUTION_PROVIDER], pce=True)


@pytest.fixture
def outsider(other_partner):
    return partner_user(other_partner, Role.PARTNER_ADMIN, email="outsider@other.test")


@pytest.fixture
def distributor(db):
    return PartnerFactory(name="总经销有限公司", types=[PartnerType.DISTRIBUTOR], pce=True)


@pytest.fixture
def distributor_admin(distributor):
    return partner_user(distributor, Role.PARTNER_ADMIN, email="admin@dist.test")


@pytest.fixture
def reseller(distributor):
    return PartnerFactory(
        name="二级经销A有限公司", types=[PartnerType.RESELLER], parent_distributor=distributor
    )


@pytest.fixture
def reseller_admin(reseller):
    return partner_user(reseller, Role.PARTNER_ADMIN, email="admin@resa.test")


@pytest.fixture
def other_reseller(distributor):
    return PartnerFactory(
        name="二级经销B有限公司", types=[PartnerType.RESELLER], parent_distributor=distributor
    )


@pytest.fixture
def bd(db):
    return UserFactory(role=Role.BD, email="bd@vendor.test", full_name="BD 王")


@pytest.fixture
def specialist(db):
    return UserFactory(role=Role.CERT_SPECIALIST, email="cert@vendor.test")


@pytest.fixture
def customer_user(db):
    return UserFactory(role=Role.CUSTOMER, email="customer@client.test")


@pytest.fixture
def admin_user(db):
    return UserFactory(role=Role.ADMIN, email="admin@vendor.test", is_staff=True, is_superuser=True)


@pytest.fixture
def login():
    """login(user) -> a test client signed in as that user."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def live_server(django_db_setup, django_db_blocker):
    """pytest-django's live server, stopped before the test database is dropped."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost")
    yield server
    server.stop()
    # Request threads of the server may still hold connections; end them so the test
    # database can be dropped.
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def browser_context(live_server):
    """A Playwright browser context on Debian's Chromium against the live server."""
    import os
    import shutil

    if not shutil.which(CHROMIUM):
        pytest.skip("Debian's Chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test
    # itself are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 860}, locale="zh-CN"
        )
        context.set_default_timeout(15000)
        try:
            yield context
        finally:
            context.close()
            browser.close()


@pytest.fixture
def page(browser_context):
    return browser_context.new_page()


@pytest.fixture
def browser_login():
    """browser_login(page, user, password): sign in through the login form."""

    def do(page, user, password="pw-Secret-123"):
        page.goto("/login/")
        page.fill("input[name=username]", user.email)
        page.fill("input[name=password]", password)
        page.click("[data-testid=login-submit]")
        page.wait_for_url("**/")

    return do
