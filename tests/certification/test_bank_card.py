"""Personal bank-card certification: card details and exactly one face-scan photo."""

import pytest

from certification import services
from certification.models import BankCardCertification
from partner_center.errors import DomainError
from tests.certification.helpers import jpeg, nothing_stored, png
from tests.helpers import api_client

pytestmark = pytest.mark.django_db

CARD = "6222 0212 3456 7890 128"  # passes the Luhn check


def _submit(owner, partner, **extra):
    data = {
        "holder_name": "张三",
        "bank_name": "中国工商银行",
        "card_number": CARD,
        "face_photo": jpeg(),
        **extra,
    }
    return services.bank_card_submit(actor=owner, partner=partner, **data)


def test_submit_keeps_one_photo_and_only_the_masked_number(owner, partner, specialist):
    cert = _submit(owner, partner)
    assert cert.state == BankCardCertification.State.SUBMITTED
    assert cert.card_number_masked == "6222 **** **** 0128"
    assert cert.face_photo.path.startswith("bank-card/")
    assert cert.face_photo.content_type == "image/jpeg"
    assert "021234567890" not in str(BankCardCertification.objects.values().get(pk=cert.pk))


@pytest.mark.parametrize("number", ["1234", "6222 0212 3456 7890 129", "abcd efgh ijkl mnop"])
def test_card_number_is_checked(owner, partner, number):
    with pytest.raises(DomainError) as err:
        _submit(owner, partner, card_number=number)
    assert err.value.field == "card_number"
    assert nothing_stored()


def test_one_open_certification_per_card_holder(owner, partner):
    _submit(owner, partner)
    with pytest.raises(DomainError) as err:
        _submit(owner, partner, face_photo=png())
    assert err.value.field == "holder_name"
    assert BankCardCertification.objects.count() == 1


def test_reviewer_approves_or_rejects_with_reasons(owner, partner, specialist):
    first = _submit(owner, partner)
    services.bank_card_reject(
        actor=specialist, certification=first, reasons=["photo_unclear"], comment="太暗"
    )
    first.refresh_from_db()
    assert first.state == "rejected" and first.reject_reason_labels
    second = _submit(owner, partner, face_photo=png())
    services.bank_card_approve(actor=specialist, certification=second)
    second.refresh_from_db()
    assert second.state == "approved"
    with pytest.raises(DomainError):
        services.bank_card_approve(actor=specialist, certification=second)


def test_page_refuses_two_photos(login, owner, partner):
    response = login(owner).post(
        "/certification/bank-cards/new/",
        {
            "holder_name": "张三",
            "bank_name": "工商银行",
            "card_number": CARD,
            "face_photo": [jpeg("a.jpg"), jpeg("b.jpg")],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "exactly one face-scan photo" in response.content.decode()
    assert nothing_stored()


def test_page_submits_and_specialist_decides(login, owner, partner, specialist):
    response = login(owner).post(
        "/certification/bank-cards/new/",
        {"holder_name": "张三", "bank_name": "工商银行", "card_number": CARD, "face_photo": png()},
    )
    cert = BankCardCertification.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/{cert.pk}/")
    client = login(specialist)
    response = client.post(
        f"/certification/bank-cards/{cert.pk}/",
        {"action": "decide", "decision-decision": "approve"},
    )
    assert response.status_code == 302
    cert.refresh_from_db()
    assert cert.state == "approved"


def test_api_requires_exactly_one_photo(owner, partner):
    client = api_client(owner)
    data = {"holder_name": "张三", "bank_name": "工商银行", "card_number": CARD}
    response = client.post("/api/v1/certification/bank-cards/", data, format="multipart")
    assert response.status_code == 400 and "face_photo" in response.json()["fields"]
    response = client.post(
        "/api/v1/certification/bank-cards/",
        {**data, "face_photo": [png("a.png"), png("b.png")]},
        format="multipart",
    )
    assert response.status_code == 400 and "face_photo" in response.json()["fields"]
    assert nothing_stored()
    response = client.post(
        "/api/v1/certification/bank-cards/", {**data, "face_photo": png()}, format="multipart"
    )
    assert response.status_code == 201, response.content
    assert response.json()["card_number_masked"] == "6222 **** **** 0128"
    assert "card_number" not in response.json()
