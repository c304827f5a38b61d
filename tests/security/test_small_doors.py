"""Headers and small doors: CSP, DisallowedHost, phone numbers, date ranges, names."""

import logging
from datetime import date

import pytest
from django.test import Client

from opportunities.models import Opportunity
from partner_center.errors import DomainError
from partner_center.validators import check_date, clean_name, clean_phone, is_phone
from tests.helpers import api_client
from tests.opportunities.conftest import PO_API_BODY, PO_PAGE_BODY

pytestmark = pytest.mark.django_db

PO = "/api/v1/opportunities/po/"
BODY = dict(PO_API_BODY)
PAGE_BODY = dict(PO_PAGE_BODY)


def test_every_page_has_a_strict_content_security_policy(login, owner):
    response = login(owner).get("/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"
    body = response.content.decode()
    assert "<script>" not in body and " style=" not in body and "onclick=" not in body


def test_templates_hold_no_inline_script_style_or_handler():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.glob("**/templates/**/*.html"):
        if ".venv" in path.parts or "pdf" in path.parts:  # PDFs are not served to browsers
            continue
        text = path.read_text()
        for needle in ("<script>", " style=", "onclick=", "onchange=", "onsubmit=", "javascript:"):
            if needle in text:
                offenders.append(f"{path.relative_to(root)}: {needle}")
    assert offenders == []


def test_bad_host_headers_are_not_mailed(client, mailoutbox, caplog):
    from django.conf import settings

    logger = settings.LOGGING["loggers"]["django.security.DisallowedHost"]
    assert logger == {"handlers": ["null"], "propagate": False}
    response = Client(HTTP_HOST="evil.example").get("/login/")
    assert response.status_code == 400
    assert mailoutbox == []
    assert logging.getLogger("django.security.DisallowedHost").propagate is False


@pytest.mark.parametrize(
    "number",
    [
        "13912345678",
        "+86 139 1234 5678",
        "010-12345678",
        "0755-1234567",
        "02112345678",
        "010-12345678-806",
        "010-12345678转806",
        "400-810-8888",
    ],
)
def test_phone_numbers_accepted(number):
    assert is_phone(number)


@pytest.mark.parametrize(
    "number",
    ["not-a-phone", "12345678901", "1391234567", "010-8888", "+1 415 555 0100", "139123456789"],
)
def test_phone_numbers_refused(number):
    assert not is_phone(number)
    with pytest.raises(DomainError):
        clean_phone(number, field="contact_phone")


def test_po_contact_phone_is_checked_by_the_api_and_the_pages(owner, login):
    api = api_client(owner)
    response = api.post(PO, {**BODY, "contact_phone": "not-a-phone"}, format="json")
    assert response.status_code == 400 and "contact_phone" in response.data["fields"]
    page = login(owner).post(
        "/opportunities/po/new/",
        {**PAGE_BODY, "contact_phone": "not-a-phone"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 200
    assert 'data-field-error="contact_phone"' in page.content.decode()
    assert not Opportunity.objects.exists()
    ok = api.post(PO, {**BODY, "contact_phone": "+86 139-1234-5678"}, format="json")
    assert ok.status_code == 201
    assert Opportunity.objects.get().contact_phone == "13912345678"


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01"])
def test_dates_out_of_range_are_refused(owner, day):
    api = api_client(owner)
    response = api.post(PO, {**BODY, "expected_close_date": day}, format="json")
    assert response.status_code == 400 and "expected_close_date" in response.data["fields"]
    assert not Opportunity.objects.exists()


def test_date_bounds():
    assert check_date(date(2000, 1, 1), field="d") == date(2000, 1, 1)
    assert check_date(date(2100, 12, 31), field="d") == date(2100, 12, 31)
    assert check_date(None, field="d") is None


def test_names_lose_bidi_and_zero_width_characters(owner):
    assert clean_name("Acme\u202egnp.exe\u202c Ltd") == "Acmegnp.exe Ltd"
    assert clean_name("华\u200b云\u200d科技\ufeff") == "华云科技"
    assert clean_name("  周\u2066建国\u2069\t ") == "周建国"
    api = api_client(owner)
    response = api.post(
        PO,
        {**BODY, "customer_name": "江南\u202e智造\u200b有限公司", "contact_name": "周\u200f建国"},
        format="json",
    )
    assert response.status_code == 201
    po = Opportunity.objects.get()
    assert po.customer_name == "江南智造有限公司" and po.contact_name == "周建国"


def test_member_contact_phone_uses_the_same_rule(owner):
    from django.utils import translation

    from partner_center.members import services

    with translation.override("en"), pytest.raises(DomainError, match="mainland mobile"):
        services.contact_change_start(
            actor=owner, partner=owner.partner, channel="phone", new_value="not-a-phone"
        )


def test_date_filters_out_of_range_answer_400_not_500(owner, login):
    api = api_client(owner)
    response = api.get(PO, {"created_after": "9999-12-31"})
    assert response.status_code == 400 and "created_after" in response.data["fields"]
    page = login(owner).get("/opportunities/", {"created_before": "0001-01-01"})
    assert page.status_code == 200


def test_program_period_dates_are_bounded_in_admin():
    from django.core.exceptions import ValidationError

    from incentives.models import ProgramPeriod

    period = ProgramPeriod(name="远期", starts_on=date(2026, 1, 1), ends_on=date(9999, 12, 31))
    with pytest.raises(ValidationError) as exc:
        period.clean()
    assert "ends_on" in exc.value.message_dict
