"""Redis down, a full disk, unique-key races: the portal answers, clearly, and leaves
nothing behind."""

import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from opportunities import services as po_services
from opportunities.models import Opportunity, POImport
from partner_center.cache import ResilientRedisCache
from partner_center.errors import Conflict
from partner_center.storage import StorageUnavailable
from tests.faults import free_port
from tests.opportunities.conftest import po_data


@pytest.fixture
def redis_down(settings):
    """The cache (and so the cached sessions) point at a port nobody listens on."""
    ResilientRedisCache._down_until = 0.0
    settings.CACHES = {
        "default": {
            "BACKEND": "partner_center.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.HOME_CARDS_CACHE_SECONDS = 60
    yield
    ResilientRedisCache._down_until = 0.0


@pytest.mark.django_db
def test_signed_in_pages_and_sign_in_work_while_redis_is_down(redis_down, owner, client):
    started = time.monotonic()
    response = client.post(reverse("login"), {"username": owner.email, "password": "pw-Secret-123"})
    assert response.status_code == 302, response.content[:500]
    for name in ("home", "opportunities:list", "notifications:list", "opportunities:import"):
        assert client.get(reverse(name)).status_code == 200, name
    assert time.monotonic() - started < 15


@pytest.mark.django_db
def test_a_full_disk_refuses_the_upload_clearly_and_leaves_no_file(owner, settings, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    real_save = FileSystemStorage._save

    def disk_full(self, name, content):
        path = self.path(name)
        import os

        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "wb").close()  # the 0-byte file a full disk leaves behind
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", disk_full)
    with pytest.raises(StorageUnavailable) as refused:
        po_services.po_import_start(
            actor=owner,
            partner=owner.partner,
            upload=SimpleUploadedFile("a.csv", "客户名称,项目名称,产品\n".encode()),
        )
    assert refused.value.field == "file"
    monkeypatch.setattr(FileSystemStorage, "_save", real_save)
    media = settings.MEDIA_ROOT
    assert not [p for p in media.rglob("*") if p.is_file()]
    assert not POImport.objects.exists()


@pytest.mark.django_db
def test_the_import_page_says_the_disk_is_full(owner, login, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    def disk_full(self, name, content):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(FileSystemStorage, "_save", disk_full)
    response = login(owner).post(
        reverse("opportunities:import"),
        {"file": SimpleUploadedFile("a.csv", "客户名称,项目名称,产品\n".encode())},
    )
    assert response.status_code in (200, 400, 503)
    assert "只读" in response.content.decode() or "read-only" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_with_one_external_ref_give_one_po_and_a_conflict(owner, monkeypatch):
    barrier = threading.Barrier(2, timeout=10)
    real_validate = po_services._validate

    def validate_together(obj, fields):
        real_validate(obj, fields)
        if isinstance(obj, Opportunity):
            barrier.wait()  # both passed the "is it taken?" check before either saves

    # po_create lives in the PO area of the services package; patch the name it calls.
    monkeypatch.setattr("opportunities.services.pos._validate", validate_together)
    outcomes = []

    def create():
        try:
            po = po_services.po_create(
                actor=owner, partner=owner.partner, data=po_data(), external_ref="ERP-RACE"
            )
            outcomes.append(("created", po.pk))
        except Conflict as exc:
            outcomes.append(("conflict", exc.existing_id))
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    kinds = sorted(kind for kind, _pk in outcomes)
    assert kinds == ["conflict", "created"], outcomes
    created = next(pk for kind, pk in outcomes if kind == "created")
    assert next(pk for kind, pk in outcomes if kind == "conflict") == created
    assert Opportunity.objects.filter(external_ref="ERP-RACE").count() == 1
