"""Production's bucket storage, end to end against an S3 API (moto, in memory): a file
uploaded through the service lands in the private bucket, and comes back only through the
access-checked view (no bucket URL is handed out); a missing object is a 404, not a 500."""

import json
import os
import subprocess
import sys

import boto3
import pytest
from moto import mock_aws

from certification import services
from tests.certification.helpers import pdf, pdf_bytes

pytestmark = pytest.mark.django_db
BUCKET = "partner-center"


def production_storage() -> dict:
    """STORAGES['default'] exactly as partner_center.settings.production builds it from the
    environment compose passes (no endpoint: moto answers for AWS itself)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "partner_center.settings.production",
        "SECRET_KEY": "s" * 60,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_S3_ADDRESSING_STYLE": "path",
        "AWS_ACCESS_KEY_ID": "partner-center",
        "AWS_SECRET_ACCESS_KEY": "s3-secret",
    }
    env.pop("AWS_S3_ENDPOINT_URL", None)
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.STORAGES['default']))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def storage_config():
    return production_storage()


@pytest.fixture
def bucket(settings, storage_config):
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {**settings.STORAGES, "default": storage_config}
        yield s3


def test_upload_lands_privately_in_the_bucket_and_streams_back_to_its_partner_only(
    bucket, owner, partner, outsider, login
):
    cert = services.enterprise_start(actor=owner, partner=partner)
    content = pdf_bytes()
    slot = services.enterprise_upload(
        actor=owner, certification=cert, position=1, upload=pdf("licence.pdf")
    )
    attachment = slot.attachment
    stored = bucket.get_object(Bucket=BUCKET, Key=attachment.path)
    assert stored["Body"].read() == content
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=attachment.path)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]  # the owner only: private

    response = login(owner).get(f"/certification/files/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Cache-Control"] == "private, no-store"
    assert "amazonaws" not in response.get("Location", "")

    assert login(outsider).get(f"/certification/files/{attachment.pk}/").status_code == 404


def test_a_name_saved_twice_never_overwrites_the_first(bucket):
    """FileFields keep the uploader's file name (e.g. opportunities' consent evidence): as on
    the file system, a second file of the same name gets a new name instead of replacing."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    first = default_storage.save("opportunities/consent/2026/12/consent.pdf", ContentFile(b"1"))
    second = default_storage.save("opportunities/consent/2026/12/consent.pdf", ContentFile(b"2"))
    assert first != second
    assert default_storage.open(first).read() == b"1"
    assert default_storage.open(second).read() == b"2"


def test_a_missing_object_is_a_404(bucket, owner, partner, login):
    cert = services.enterprise_start(actor=owner, partner=partner)
    attachment = services.enterprise_upload(
        actor=owner, certification=cert, position=1, upload=pdf()
    ).attachment
    bucket.delete_object(Bucket=BUCKET, Key=attachment.path)
    assert login(owner).get(f"/certification/files/{attachment.pk}/").status_code == 404
