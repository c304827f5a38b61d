"""In Chromium: a partner uploads its business licence and a person's ID card sides in order
and submits; a certification specialist approves."""

import pytest

from certification.models import EnterpriseCertification
from partner_center.accounts.permissions import Role
from tests.certification.helpers import image_bytes, pdf_bytes
from tests.factories import PartnerFactory, UserFactory, partner_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _file(name, mime, data):
    return {"name": name, "mimeType": mime, "buffer": data}


def _start_enterprise(page, browser_login, owner):
    """The owner signs in and starts an enterprise certification with one legal person."""
    browser_login(page, owner)
    page.goto("/certification/enterprise/")
    page.click("[data-testid=start-enterprise]")
    page.fill("input[name=legal_person]", "张三")
    page.click("[data-testid=setup-save]")
    page.wait_for_url("**/certification/enterprise/*/")


def _upload(page, position, payload):
    slot = page.locator(f"[data-testid=slot][data-position='{position}']")
    slot.locator("input[type=file]").set_input_files(payload)
    slot.locator("[data-testid=upload]").click()
    page.wait_for_load_state()


def test_partner_uploads_in_order_and_submits_then_specialist_approves(
    page, browser_context, browser_login
):
    partner = PartnerFactory(name="浏览器认证伙伴有限公司")
    owner = partner_user(partner, Role.PARTNER_ADMIN, email="cert-owner@partner.test")
    specialist = UserFactory(role=Role.CERT_SPECIALIST, email="cert-browser@vendor.test")

    _start_enterprise(page, browser_login, owner)
    labels = page.locator("[data-testid=slot-label]").all_inner_texts()
    assert labels == ["营业执照", "身份证人像面 — 张三", "身份证国徽面 — 张三"]
    # Only the first slot is open; the later ones say which slot comes first.
    assert page.locator("[data-testid=upload-form]").count() == 1

    # A refused file: the message shows at the slot and nothing moves on.
    _upload(page, 1, _file("营业执照.pdf.exe", "application/octet-stream", b"MZ\x90\x00"))
    assert "多个扩展名" in page.inner_text("[data-testid=slot][data-position='1']")
    assert page.locator("[data-testid=slot][data-filled='1']").count() == 0

    _upload(page, 1, _file("营业执照.pdf", "application/pdf", pdf_bytes()))
    _upload(page, 2, _file("身份证人像面.jpg", "image/jpeg", image_bytes("JPEG")))
    _upload(page, 3, _file("身份证国徽面.png", "image/png", image_bytes("PNG")))
    assert page.locator("[data-testid=slot][data-filled='1']").count() == 3
    page.click("[data-testid=submit]")
    page.wait_for_load_state()
    assert page.locator("[data-state=submitted]").count() >= 1

    cert = EnterpriseCertification.objects.get(partner=partner)
    assert cert.state == "submitted"
    paths = list(cert.slots.order_by("position").values_list("attachment__path", flat=True))
    assert [p.split("/")[0] for p in paths] == ["enterprise"] * 3
    assert [p.rsplit(".", 1)[1] for p in paths] == ["pdf", "jpg", "png"]

    reviewer = browser_context.new_page()
    browser_context.clear_cookies()
    browser_login(reviewer, specialist)
    reviewer.goto("/certification/review/enterprise/")
    reviewer.click("[data-testid=enterprise-row] a >> nth=0")
    reviewer.wait_for_url(f"**/certification/enterprise/{cert.pk}/")
    with reviewer.expect_download() as download:
        reviewer.click("[data-testid=slot][data-position='1'] [data-testid=download]")
    assert download.value.suggested_filename == "营业执照.pdf"
    reviewer.check("input[name=decision-decision][value=approve]")
    reviewer.fill("textarea[name=decision-comment]", "材料齐全")
    reviewer.click("[data-testid=decide]")
    reviewer.wait_for_load_state()
    assert reviewer.locator("[data-testid=approval]").count() == 1
    cert.refresh_from_db()
    assert cert.state == "approved" and cert.decided_by == specialist


def test_several_files_are_suggested_by_order_reassigned_and_saved_at_once(
    page, browser_context, browser_login
):
    partner = PartnerFactory(name="一次上传伙伴有限公司")
    owner = partner_user(partner, Role.PARTNER_ADMIN, email="batch-owner@partner.test")
    specialist = UserFactory(role=Role.CERT_SPECIALIST, email="batch-cert@vendor.test")
    _start_enterprise(page, browser_login, owner)
    page.locator("input[data-batch-files]").set_input_files(
        [
            _file("营业执照.pdf", "application/pdf", pdf_bytes()),
            _file("国徽面.png", "image/png", image_bytes("PNG")),
            _file("人像面.jpg", "image/jpeg", image_bytes("JPEG")),
        ]
    )
    selects = page.locator("[data-testid=batch-list] select")
    assert [selects.nth(i).input_value() for i in range(3)] == ["1", "2", "3"]  # by order
    selects.nth(1).select_option("3")
    selects.nth(2).select_option("2")
    page.click("[data-testid=batch-save]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=slot][data-filled='1']").count() == 3
    cert = EnterpriseCertification.objects.get(partner=partner)
    names = list(
        cert.slots.order_by("position").values_list("attachment__original_name", flat=True)
    )
    assert names == ["营业执照.pdf", "人像面.jpg", "国徽面.png"]
    page.click("[data-testid=submit]")
    page.wait_for_load_state()

    page.context.clear_cookies()
    browser_login(page, specialist)
    page.goto(f"/certification/enterprise/{cert.pk}/")
    previews = page.locator("img[data-testid=preview]")
    assert previews.count() == 3
    page.wait_for_load_state("networkidle")
    widths = [previews.nth(i).evaluate("img => img.naturalWidth") for i in range(3)]
    assert all(w > 0 for w in widths)  # the PDF page and both images render
