"""Files: only real JPG/JPEG/BMP/PNG/GIF/PDF up to 10 MB are stored, under a relative path;
every refused kind says why and leaves nothing behind."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from certification import services, uploads
from certification.models import Attachment
from partner_center.errors import DomainError
from tests.certification.helpers import (
    image_bytes,
    nothing_stored,
    pdf_bytes,
    png,
    stored_files,
    upload_on_the_page,
)
from tests.files_kit import pdf_with_javascript
from tests.helpers import api_client

pytestmark = pytest.mark.django_db

TEN_MB = 10 * 1024 * 1024


def _truncated_pdf() -> bytes:
    data = pdf_bytes()
    return data[: len(data) // 2]


REFUSED = [
    # (case, file name, content, words in the message)
    ("png content named .pdf", "licence.pdf", image_bytes("PNG"), "not a real PDF"),
    ("renamed executable", "licence.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "not a real PDF"),
    ("renamed html", "scan.png", b"<!doctype html><html><body>hi</body></html>", "not a real PNG"),
    ("script named jpg", "photo.jpg", b"#!/bin/sh\nrm -rf /\n", "not a real JPG"),
    ("oversized", "big.pdf", b"%PDF-1.4\n" + b"0" * TEN_MB, "at most 10 MB"),
    ("svg", "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "only JPG, JPEG"),
    ("html", "page.html", b"<html><script>alert(1)</script></html>", "only JPG, JPEG"),
    ("double extension", "licence.pdf.exe", b"MZ\x90\x00", "more than one extension"),
    ("double extension, allowed last", "scan.exe.jpg", image_bytes("JPEG"), "more than one extension"),
    ("empty", "empty.pdf", b"", "is empty"),
    ("no extension", "licence", pdf_bytes(), "only JPG, JPEG"),
    ("truncated png", "half.png", image_bytes("PNG")[:60], "damaged or incomplete image"),
    ("truncated jpeg", "half.jpg", image_bytes("JPEG", (300, 300))[:400], "damaged or incomplete image"),
    ("truncated gif", "half.gif", image_bytes("GIF", (80, 80))[:40], "damaged or incomplete image"),
    ("truncated bmp", "half.bmp", image_bytes("BMP")[:200], "damaged or incomplete image"),
    ("truncated pdf", "half.pdf", _truncated_pdf(), "damaged or incomplete PDF"),
    ("pdf with javascript", "active.pdf", pdf_with_javascript(), "scripts or embedded files"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "name", "content", "message"), REFUSED, ids=[r[0] for r in REFUSED]
)
def test_refused_files_say_why_and_store_nothing(owner, partner, case, name, content, message):
    cert = services.enterprise_start(actor=owner, partner=partner)
    with pytest.raises(DomainError) as err:
        services.enterprise_upload(
            actor=owner,
            certification=cert,
            position=1,
            upload=SimpleUploadedFile(name, content),
        )
    assert message in str(err.value.message)
    assert err.value.field == "file"
    assert nothing_stored()
    assert cert.slots.get(position=1).attachment_id is None


ACCEPTED = [
    ("scan.jpg", image_bytes("JPEG"), "jpg", "image/jpeg"),
    ("scan.JPEG", image_bytes("JPEG"), "jpg", "image/jpeg"),
    ("scan.png", image_bytes("PNG"), "png", "image/png"),
    ("scan.gif", image_bytes("GIF"), "gif", "image/gif"),
    ("scan.bmp", image_bytes("BMP"), "bmp", "image/bmp"),
    ("营业执照 2026.v2.pdf", pdf_bytes(3), "pdf", "application/pdf"),
]


@pytest.mark.parametrize(("name", "content", "ext", "mime"), ACCEPTED)
def test_accepted_formats_are_stored_under_a_relative_generated_name(
    owner, partner, name, content, ext, mime
):
    cert = services.enterprise_start(actor=owner, partner=partner)
    slot = services.enterprise_upload(
        actor=owner, certification=cert, position=1, upload=SimpleUploadedFile(name, content)
    )
    attachment = slot.attachment
    assert re.fullmatch(rf"enterprise/[0-9a-f]{{32}}\.{ext}", attachment.path)
    assert attachment.original_name == name
    assert attachment.content_type == mime
    assert attachment.size == len(content)
    assert [p.read_bytes() for p in stored_files()] == [content]


def test_path_has_no_bucket_and_no_download_prefix(owner, partner, settings, tmp_path):
    """With the storage rooted in a bucket's `download/` folder (as production's S3
    location), the file lands under download/, and the recorded path leaves it out."""
    bucket = tmp_path / "partner-center-bucket"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(bucket / "download")},
        },
    }
    cert = services.enterprise_start(actor=owner, partner=partner)
    slot = services.enterprise_upload(actor=owner, certification=cert, position=1, upload=png())
    path = slot.attachment.path
    assert not path.startswith(("/", "download/", "partner-center-bucket"))
    assert "partner-center-bucket" not in path and "download" not in path
    assert path.count("/") == 1  # one sub-folder, then the file name
    assert (bucket / "download" / path).is_file()
    assert uploads.open_stored(path).read() == (bucket / "download" / path).read_bytes()


def test_database_refuses_a_path_with_a_download_prefix(owner, partner):
    with pytest.raises(IntegrityError), transaction.atomic():
        Attachment.objects.create(
            partner=partner,
            purpose="enterprise",
            path="download/enterprise/x.png",
            original_name="x.png",
            content_type="image/png",
            size=1,
            sha256="0" * 64,
        )


def test_storage_returning_an_absolute_name_is_a_configuration_error():
    with pytest.raises(RuntimeError):
        uploads.relative_path("download/enterprise/x.png")
    assert uploads.relative_path("enterprise\\x.png") == "enterprise/x.png"


def test_replacing_a_slot_file_removes_the_old_file(
    owner, partner, django_capture_on_commit_callbacks
):
    cert = services.enterprise_start(actor=owner, partner=partner)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.enterprise_upload(
            actor=owner, certification=cert, position=1, upload=png("a.png")
        ).attachment.path
    with django_capture_on_commit_callbacks(execute=True):
        second = services.enterprise_upload(
            actor=owner, certification=cert, position=1, upload=png("b.png")
        ).attachment.path
    assert first != second
    names = [p.name for p in stored_files()]
    assert names == [Path(second).name]
    assert Attachment.objects.count() == 1


def test_page_shows_the_refusal_next_to_the_slot(login, owner, partner):
    response = upload_on_the_page(
        login(owner), owner, partner, SimpleUploadedFile("x.pdf.exe", b"MZ")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-field-error="file"' in html
    assert "more than one extension" in html
    assert nothing_stored()


def test_api_answers_400_with_the_field_and_stores_nothing(owner, partner):
    cert = services.enterprise_start(actor=owner, partner=partner)
    client = api_client(owner)
    response = client.post(
        f"/api/v1/certification/enterprise/{cert.pk}/upload/",
        {"position": 1, "file": SimpleUploadedFile("logo.svg", b"<svg/>")},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "only JPG, JPEG" in response.json()["fields"]["file"][0]
    assert nothing_stored()


def test_the_face_photo_must_be_an_image(owner, partner):
    with pytest.raises(DomainError) as err:
        services.bank_card_submit(
            actor=owner,
            partner=partner,
            holder_name="张三",
            bank_name="工商银行",
            card_number="6222021234567890128",
            face_photo=SimpleUploadedFile("face.pdf", pdf_bytes()),
        )
    assert err.value.field == "face_photo"
    assert "JPG, JPEG, BMP, PNG, GIF" in str(err.value.message)
    assert nothing_stored()


def test_a_failure_after_storing_removes_the_file(owner, partner, monkeypatch):
    cert = services.enterprise_start(actor=owner, partner=partner)

    def boom(*args, **kwargs):
        raise RuntimeError("event store down")

    monkeypatch.setattr(services.workflow, "apply", boom)
    with pytest.raises(RuntimeError):
        services.enterprise_upload(actor=owner, certification=cert, position=1, upload=png())
    assert nothing_stored()


def test_s3_bucket_storage_records_the_key_without_bucket_or_download(owner, partner, settings):
    """Through django-storages' S3 backend (no network: the S3 client is stubbed), the
    object lands at download/<folder>/<name> in the bucket; the path recorded is relative."""
    from boto3.s3.transfer import TransferConfig
    from botocore.stub import Stubber
    from django.core.files.storage import storages

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "partner-center-bucket",
                "location": "download",
                "access_key": "test",
                "secret_key": "test",
                "region_name": "cn-north-1",
                "endpoint_url": "https://s3.invalid",
                "transfer_config": TransferConfig(use_threads=False),
            },
        },
    }
    client = storages["default"].connection.meta.client
    sent = []
    client.meta.events.register(
        "provide-client-params.s3.PutObject", lambda params, **kw: sent.append(dict(params))
    )
    with Stubber(client) as stub:
        stub.add_response("put_object", {"ETag": '"etag"'})
        cert = services.enterprise_start(actor=owner, partner=partner)
        slot = services.enterprise_upload(actor=owner, certification=cert, position=1, upload=png())
    path = slot.attachment.path
    assert re.fullmatch(r"enterprise/[0-9a-f]{32}\.png", path)
    assert sent[0]["Bucket"] == "partner-center-bucket"
    assert sent[0]["Key"] == f"download/{path}"


def test_production_settings_configure_the_bucket_from_the_environment():
    import json
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "partner_center.settings.production",
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
        "AWS_STORAGE_BUCKET_NAME": "partner-center-bucket",
        "AWS_LOCATION": "download",
        "AWS_S3_ENDPOINT_URL": "https://obs.example.com",
    }
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.STORAGES['default']))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    storage = json.loads(out.stdout.strip().splitlines()[-1])
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "partner-center-bucket"
    assert storage["OPTIONS"]["location"] == "download"
    assert storage["OPTIONS"]["endpoint_url"] == "https://obs.example.com"
