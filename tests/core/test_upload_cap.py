"""The hard cap on request bodies with files: refused while being read, with a page or an API
answer that says how much may be sent, and nothing stored."""

import io

import pytest
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from certification import services
from partner_center.uploads import RequestSizeCapHandler
from tests.certification.helpers import image_bytes, nothing_stored, upload_on_the_page
from tests.helpers import api_client

pytestmark = pytest.mark.django_db

CAP = 64 * 1024


@pytest.fixture(autouse=True)
def small_cap(settings):
    settings.UPLOAD_MAX_REQUEST_BYTES = CAP


def big_png() -> SimpleUploadedFile:
    data = image_bytes("PNG")
    return SimpleUploadedFile("licence.png", data + b"\0" * (CAP - len(data) + 1))


def test_a_page_upload_over_the_cap_gets_the_400_page(login, owner, partner):
    response = upload_on_the_page(login(owner), owner, partner, big_png())
    assert response.status_code == 400
    html = response.content.decode()
    assert "The request could not be processed" in html
    assert "too large (at most 64.0\xa0KB at once)" in html
    assert nothing_stored()


def test_the_400_page_in_chinese_names_the_limit(login, owner, partner, settings):
    settings.UPLOAD_MAX_REQUEST_BYTES = 2 * 1024 * 1024
    cert = services.enterprise_start(actor=owner, partner=partner)
    data = image_bytes("PNG")
    response = login(owner).post(
        f"/certification/enterprise/{cert.pk}/",
        {
            "action": "upload",
            "position": 1,
            "file": SimpleUploadedFile("a.png", data + b"\0" * (2 * 1024 * 1024)),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "2.0\xa0MB" in html and "请求无法处理" in html


def test_an_api_upload_over_the_cap_answers_400_with_the_reason(owner, partner):
    cert = services.enterprise_start(actor=owner, partner=partner)
    client = api_client(owner)
    response = client.post(
        f"/api/v1/certification/enterprise/{cert.pk}/upload/",
        {"position": 1, "file": big_png()},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "too large" in response.json()["message"]
    assert nothing_stored()


def test_an_upload_under_the_cap_goes_through(login, owner, partner):
    cert = services.enterprise_start(actor=owner, partner=partner)
    response = login(owner).post(
        f"/certification/enterprise/{cert.pk}/",
        {
            "action": "upload",
            "position": 1,
            "file": SimpleUploadedFile("a.png", image_bytes("PNG")),
        },
    )
    assert response.status_code == 302
    assert not nothing_stored()


def test_a_body_without_a_length_is_stopped_once_the_cap_is_passed():
    """Chunked transfer announces no length: the handler counts what arrives."""
    handler = RequestSizeCapHandler(RequestFactory().post("/"))
    handler.handle_raw_input(io.BytesIO(), {}, 0, b"boundary")
    chunk = b"x" * (CAP // 4)
    for start in range(4):
        assert handler.receive_data_chunk(chunk, start * len(chunk)) == chunk
    with pytest.raises(RequestDataTooBig):
        handler.receive_data_chunk(b"x", CAP)


def test_an_announced_length_over_the_cap_is_refused_before_reading():
    handler = RequestSizeCapHandler(RequestFactory().post("/"))
    with pytest.raises(RequestDataTooBig):
        handler.handle_raw_input(io.BytesIO(), {}, CAP + 1, b"boundary")
