import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opportunities import services
from opportunities.models import DuplicatePair, Opportunity, POImport, VendorLead
from tests.certification.helpers import pdf_bytes
from tests.helpers import count_queries

from .conftest import PO_PAGE_BODY, make_ho, make_lead, make_po

pytestmark = pytest.mark.django_db
S = Opportunity.State


def url(name, *args):
    return reverse(f"opportunities:{name}", args=args)


# ---- Partner pages -----------------------------------------------------------------------


def test_partner_creates_and_submits_a_po_through_the_pages(login, owner):
    client = login(owner)
    response = client.post(url("po_create"), PO_PAGE_BODY)
    po = Opportunity.objects.get()
    assert response.status_code == 302 and response.url == url("detail", po.pk)
    assert po.state == S.DRAFT and po.created_by == owner
    page = client.get(url("po_submit", po.pk))
    assert page.status_code == 200
    # Without the consent, the error shows next to the field.
    response = client.post(url("po_submit", po.pk), {"consent_method": "email"})
    assert 'data-field-error="consent_confirmed"' in response.content.decode()
    pdf = SimpleUploadedFile("consent.pdf", pdf_bytes(), content_type="application/pdf")
    response = client.post(
        url("po_submit", po.pk),
        {"consent_confirmed": "on", "consent_method": "signed_form", "consent_file": pdf},
    )
    assert response.status_code == 302
    po.refresh_from_db()
    assert po.state == S.SUBMITTED and po.consent_file
    detail = client.get(url("detail", po.pk)).content.decode()
    assert 'data-testid="countdown"' in detail and 'data-testid="timeline"' in detail
    download = client.get(url("consent_file", po.pk))
    assert download.status_code == 200


def test_consent_file_content_is_checked(login, po_of, owner):
    po = po_of("draft")
    fake = SimpleUploadedFile("consent.pdf", b"MZ not a pdf at all", content_type="application/pdf")
    response = login(owner).post(
        url("po_submit", po.pk),
        {"consent_confirmed": "on", "consent_method": "email", "consent_file": fake},
    )
    assert 'data-field-error="consent_file"' in response.content.decode()
    po.refresh_from_db()
    assert po.state == S.DRAFT


def test_invalid_fields_show_next_to_the_field(login, owner):
    response = login(owner).post(
        url("po_create"),
        {"customer_name": "x", "project_name": "y", "products": [], "customer_credit_code": "123"},
    )
    body = response.content.decode()
    assert 'data-field-error="products"' in body
    assert 'data-field-error="customer_credit_code"' in body


def test_list_filters_sort_and_scope(login, owner, outsider, bd, partner):
    make_po(owner, state="submitted", bd=bd, customer_name="甲客户有限公司")
    make_po(owner, customer_name="乙客户有限公司")
    make_po(outsider, customer_name="外部客户有限公司")
    make_ho(bd, partner, customer_name="丙客户有限公司")
    client = login(owner)
    # "All" (the bare list opens on the "Action needed" view, tests/opportunities/test_pipeline)
    body = client.get(url("list"), {"view": "all"}).content.decode()
    assert "甲客户" in body and "乙客户" in body and "丙客户" in body and "外部客户" not in body
    body = client.get(url("list"), {"state": "draft"}).content.decode()
    assert "乙客户" in body and "甲客户" not in body
    body = client.get(url("list"), {"kind": "ho"}).content.decode()
    assert "丙客户" in body and "甲客户" not in body
    body = client.get(url("list"), {"customer": "甲客户"}).content.decode()
    assert "甲客户" in body and "乙客户" not in body
    body = client.get(url("list"), {"sort": "customer"}).content.decode()
    assert body.index("丙客户") < body.index("乙客户") < body.index("甲客户")
    body = client.get(url("list"), {"sort": "-customer"}).content.decode()
    assert body.index("甲客户") < body.index("乙客户") < body.index("丙客户")
    body = client.get(url("list"), {"customer": "没有这个"}).content.decode()
    assert 'data-testid="empty-state"' in body
    # A partner's filter form never lists other partners.
    assert 'name="partner"' not in client.get(url("list")).content.decode()
    assert 'name="partner"' in login(bd).get(url("list")).content.decode()


def test_deadline_soon_filter(login, owner, bd, partner):
    import time_machine

    from .conftest import sh

    with time_machine.travel(sh(2026, 11, 23, 10), tick=False):
        make_ho(bd, partner, customer_name="快到期客户有限公司")
    make_po(owner, state="submitted", bd=bd, customer_name="不急客户有限公司")
    with time_machine.travel(sh(2026, 11, 25, 9), tick=False):
        body = login(owner).get(url("list"), {"deadline_soon": "on"}).content.decode()
    assert "快到期客户" in body and "不急客户" not in body


def test_returned_po_page_edits_only_unlocked_fields(login, po_of, owner, bd):
    po = po_of("submitted")
    services.po_return_for_changes(actor=bd, po=po, fields=["contact_phone"], comment="电话")
    client = login(owner)
    form = client.get(url("po_edit", po.pk)).content.decode()
    assert 'name="customer_name"' in form and "disabled" in form
    client.post(
        url("po_edit", po.pk),
        {
            "customer_name": "篡改的客户名",
            "contact_phone": "13800001111",
            "project_name": po.project_name,
            "products": po.products,
        },
    )
    po.refresh_from_db()
    assert po.contact_phone == "13800001111"
    assert po.customer_name == "江南智造装备股份有限公司"
    response = client.post(url("po_resubmit", po.pk))
    assert response.status_code == 302
    po.refresh_from_db()
    assert po.state == S.SUBMITTED


def test_submitted_po_has_no_edit_or_withdraw(login, po_of, owner):
    po = po_of("submitted")
    client = login(owner)
    response = client.get(url("po_edit", po.pk))
    assert response.status_code == 302
    body = client.get(url("detail", po.pk)).content.decode()
    actions = body.split('data-testid="actions"', 1)[1].split("</div></div>", 1)[0]
    assert "<form" not in actions and "<a " not in actions  # nothing to withdraw with


def test_ho_pages_mask_then_reveal_the_contact(login, bd, partner, owner):
    ho = make_ho(bd, partner, contact_name="王海川", contact_phone="13912345678")
    client = login(owner)
    body = client.get(url("detail", ho.pk)).content.decode()
    assert "13912345678" not in body and "139****5678" in body and "王海川" not in body
    inbox = client.get(url("ho_inbox")).content.decode()
    assert f'data-testid="accept-{ho.pk}"' in inbox
    response = client.post(url("ho_decline", ho.pk), {"reason": ""})
    assert 'data-field-error="reason"' in response.content.decode()
    client.post(url("ho_accept", ho.pk))
    body = client.get(url("detail", ho.pk)).content.decode()
    assert "13912345678" in body and "王海川" in body


def test_progress_page(login, po_of, owner):
    po = po_of("verified")
    client = login(owner)
    assert client.get(url("progress", po.pk)).status_code == 200
    client.post(url("progress", po.pk), {"stage": "bidding", "amount": "700000", "note": "投标中"})
    po.refresh_from_db()
    assert po.stage == "bidding" and str(po.amount) == "700000.00"
    # Identity fields are not part of the progress form; posting them changes nothing.
    client.post(url("progress", po.pk), {"customer_name": "改名", "stage": "won"})
    po.refresh_from_db()
    assert po.customer_name == "江南智造装备股份有限公司" and po.stage == "won"


def test_submit_page_shows_duplicates_without_the_other_partner(login, owner, outsider, bd):
    verified = make_po(outsider, state="under_verification", bd=bd, project_name="机密项目甲")
    services.po_verify(
        actor=bd, po=verified, account_manager="刘经理", confirmed_on=verified.created_at.date()
    )
    mine = make_po(owner)
    body = login(owner).get(url("po_submit", mine.pk)).content.decode()
    assert 'data-testid="duplicate-hint"' in body
    assert outsider.partner.name not in body and "机密项目甲" not in body


# ---- BD pages ----------------------------------------------------------------------------


def test_bd_reviews_verifies_returns_and_rejects_through_the_pages(login, po_of, bd, owner):
    client = login(bd)
    po = po_of("submitted")
    assert f'data-id="{po.pk}"' in client.get(url("review_queue")).content.decode()
    client.post(url("po_start_verification", po.pk))
    po.refresh_from_db()
    assert po.state == S.UNDER_VERIFICATION
    response = client.post(url("po_verify", po.pk), {"account_manager": ""})
    assert 'data-field-error="account_manager"' in response.content.decode()
    client.post(
        url("po_verify", po.pk),
        {"account_manager": "刘经理", "account_manager_confirmed_on": po.created_at.date()},
    )
    po.refresh_from_db()
    assert po.state == S.VERIFIED
    client.post(url("core_label", po.pk), {"core_label": "1"})
    po.refresh_from_db()
    assert po.core_label
    other = po_of("submitted", customer_name="第二客户有限公司")
    client.post(url("po_return", other.pk), {"fields": ["amount"], "comment": "金额"})
    other.refresh_from_db()
    assert other.state == S.RETURNED
    client.post(url("po_reject", other.pk), {"reason": "info_false", "note": "信息不实"})
    other.refresh_from_db()
    assert other.state == S.REJECTED and other.decision_reason == "info_false"
    body = login(owner).get(url("detail", other.pk)).content.decode()
    assert 'data-testid="decision"' in body and "信息不实" in body and bd.full_name not in body


def test_bd_pool_create_share_and_duplicates(login, bd, partner, owner):
    client = login(bd)
    response = client.post(
        url("lead_create"),
        {
            "crm_id": "CRM-9001",
            "crm_created_at": "2026-01-05T09:30",
            "customer_name": "江南智造装备股份有限公司",
            "project_name": "MES",
            "products": ["ecs"],
            "contact_name": "周工",
            "contact_phone": "13900000000",
        },
    )
    assert response.status_code == 302
    lead = VendorLead.objects.get(crm_id="CRM-9001")
    assert 'data-testid="in-pool"' in client.get(url("pool")).content.decode()
    response = client.post(url("lead_share", lead.pk), {"partner": partner.pk})
    assert response.status_code == 302
    assert Opportunity.objects.get(lead=lead).state == S.PENDING
    # A PO for the same customer pairs with the lead in the duplicate queue.
    make_po(owner, state="submitted", bd=bd)
    pair = DuplicatePair.objects.get(lead=lead)
    body = client.get(url("duplicates")).content.decode()
    assert f'data-id="{pair.pk}"' in body and 'data-testid="apply"' in body
    client.post(url("duplicate_decide", pair.pk), {"decision": "dismiss", "note": "不同项目"})
    pair.refresh_from_db()
    assert pair.status == "dismissed"
    assert client.get(url("lead_detail", lead.pk)).status_code == 200


# ---- Access: outsiders get 404, partners get 403 on BD pages ------------------------------

PARTNER_OBJECT_PAGES = [
    ("detail", "get"),
    ("po_edit", "get"),
    ("po_submit", "get"),
    ("po_resubmit", "post"),
    ("consent_file", "get"),
    ("progress", "get"),
    ("ho_accept", "post"),
    ("ho_decline", "get"),
]


@pytest.mark.parametrize(("name", "method"), PARTNER_OBJECT_PAGES)
def test_outsider_gets_404_on_every_opportunity_page(
    login, po_of, outsider, bd, partner, name, method
):
    target = make_ho(bd, partner) if name.startswith("ho_") else po_of("draft")
    response = getattr(login(outsider), method)(url(name, target.pk))
    assert response.status_code == 404


def test_outsider_gets_404_on_import_pages(login, owner, outsider):
    upload = SimpleUploadedFile("x.csv", b"customer_name\n")
    imp = services.po_import_start(actor=owner, partner=owner.partner, upload=upload)
    client = login(outsider)
    assert client.get(url("import_detail", imp.pk)).status_code == 404
    assert client.get(url("import_failed", imp.pk)).status_code == 404


BD_PAGES = [
    ("review_queue", False, "get"),
    ("pool", False, "get"),
    ("lead_create", False, "get"),
    ("duplicates", False, "get"),
    ("po_start_verification", True, "post"),
    ("po_verify", True, "get"),
    ("po_reject", True, "get"),
    ("po_return", True, "get"),
    ("core_label", True, "post"),
]


@pytest.mark.parametrize(("name", "needs_id", "method"), BD_PAGES)
def test_partners_cannot_open_bd_pages(login, po_of, owner, name, needs_id, method):
    args = (po_of("submitted").pk,) if needs_id else ()
    assert getattr(login(owner), method)(url(name, *args)).status_code == 403


def test_partners_cannot_open_lead_pages(login, owner, bd):
    lead = make_lead(bd)
    client = login(owner)
    assert client.get(url("lead_detail", lead.pk)).status_code == 403
    assert client.post(url("lead_share", lead.pk)).status_code == 403
    assert client.post(url("duplicate_decide", 1)).status_code == 403


def test_bd_cannot_use_partner_only_pages(login, bd, po_of):
    client = login(bd)
    assert client.get(url("po_create")).status_code == 403
    assert client.get(url("po_submit", po_of("draft").pk)).status_code == 403
    assert client.get(url("ho_inbox")).status_code == 403
    assert client.get(url("import")).status_code == 403


def test_anonymous_goes_to_login(client):
    response = client.get(url("list"))
    assert response.status_code == 302 and "/login/" in response.url


# ---- Query counts: the same for 1 and 50 rows --------------------------------------------


def _rows(n, owner, bd, partner):
    for i in range(n):
        make_po(owner, state="submitted", bd=bd, customer_name=f"客户{i:03d}有限公司")
        if i % 2 == 0:
            make_ho(bd, partner, customer_name=f"HO客户{i:03d}有限公司")
            make_lead(bd, customer_name=f"客户{i:03d}有限公司")  # a duplicate pair


@pytest.mark.parametrize(
    ("persona", "name", "expected"),
    [
        # (each list reads the user's saved views: one query)
        ("owner", "list", 8),
        ("owner", "ho_inbox", 8),
        ("bd", "list", 6),  # the partner filter is a text field: no query for it
        ("bd", "review_queue", 6),
        ("bd", "pool", 5),  # no count: the page reads one row more than it shows
        ("bd", "duplicates", 5),  # no count, as the pool; its keys, then the live pairs
    ],
)
def test_list_pages_run_a_fixed_number_of_queries(
    request, login, owner, bd, partner, persona, name, expected
):
    client = login(request.getfixturevalue(persona))
    _rows(1, owner, bd, partner)
    one = count_queries(client.get, url(name), {"page_size": 50})
    _rows(49, owner, bd, partner)
    response = client.get(url(name), {"page_size": 50})
    assert response.status_code == 200
    assert len(response.context["rows"]) >= 25  # many rows on the page
    many = count_queries(client.get, url(name), {"page_size": 50})
    assert (one, many) == (expected, expected)


def test_import_history_query_count(login, owner):
    client = login(owner)

    def add(n):
        for i in range(n):
            POImport.objects.create(partner=owner.partner, created_by=owner, file_name=f"{i}.csv")

    add(1)
    one = count_queries(client.get, url("import"), {"page_size": 50})
    add(49)
    response = client.get(url("import"), {"page_size": 50})
    assert len(response.context["rows"]) == 50
    assert (one, count_queries(client.get, url("import"), {"page_size": 50})) == (5, 5)
