import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from opportunities.models import DuplicatePair, Opportunity
from partner_center.idempotency.models import StoredResponse
from tests.helpers import count_queries

from .conftest import PO_API_BODY, make_ho, make_lead, make_po

pytestmark = pytest.mark.django_db
S = Opportunity.State
PO = "/api/v1/opportunities/po/"
HO = "/api/v1/opportunities/ho/"
LEADS = "/api/v1/opportunities/leads/"
DUPS = "/api/v1/opportunities/duplicates/"
IMPORTS = "/api/v1/opportunities/imports/"


BODY = {"external_ref": "ERP-7", **PO_API_BODY}


def test_create_is_idempotent_with_a_key(api, owner):
    client = api(owner)
    first = client.post(PO, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201 and first.data["state"] == "draft"
    again = client.post(PO, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201 and again.json()["id"] == first.data["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert Opportunity.objects.count() == 1
    other = client.post(PO, {**BODY, "amount": "1.00"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert StoredResponse.objects.count() == 1


def test_a_multipart_create_is_idempotent_too(api, owner):
    client = api(owner)
    body = {**BODY, "external_ref": "ERP-8"}
    first = client.post(PO, body, format="multipart", HTTP_IDEMPOTENCY_KEY="mp-1")
    again = client.post(PO, body, format="multipart", HTTP_IDEMPOTENCY_KEY="mp-1")
    assert first.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert first.data["products"] == ["ecs", "rds"]
    assert Opportunity.objects.filter(external_ref="ERP-8").count() == 1


def test_external_reference_is_kept_and_unique(api, owner):
    client = api(owner)
    first = client.post(PO, BODY, format="json").data
    assert first["external_ref"] == "ERP-7"
    response = client.post(PO, BODY, format="json")
    body = response.json()
    assert response.status_code == 409 and "external_ref" in body["fields"]
    assert body["code"] == "conflict" and body["existing_id"] == first["id"]


def test_a_failed_create_frees_its_key(api, owner):
    client = api(owner)
    bad = client.post(PO, {**BODY, "products": []}, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert bad.status_code == 400
    good = client.post(PO, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert good.status_code == 201


def test_submit_and_review_through_the_api(api, owner, bd):
    client = api(owner)
    po_id = client.post(PO, BODY, format="json").data["id"]
    response = client.post(f"{PO}{po_id}/submit/", {"consent_method": "email"}, format="json")
    assert response.status_code == 400
    response = client.post(
        f"{PO}{po_id}/submit/",
        {"consent_confirmed": False, "consent_method": "email"},
        format="json",
    )
    assert response.status_code == 400 and "consent_confirmed" in response.json()["fields"]
    response = client.post(
        f"{PO}{po_id}/submit/",
        {"consent_confirmed": True, "consent_method": "email", "consent_note": "邮件"},
        format="json",
    )
    assert response.status_code == 200 and response.data["state"] == "submitted"
    assert response.data["deadline"]
    staff = api(bd)
    assert client.post(f"{PO}{po_id}/start-verification/", {}, format="json").status_code == 403
    assert staff.post(f"{PO}{po_id}/start-verification/", {}, format="json").data["state"] == (
        "under_verification"
    )
    response = staff.post(
        f"{PO}{po_id}/return-for-changes/",
        {"fields": ["amount"], "comment": "预算偏高"},
        format="json",
    )
    assert response.data["state"] == "returned"
    assert client.get(f"{PO}{po_id}/").data["editable_fields"] == ["amount"]
    response = client.patch(f"{PO}{po_id}/", {"customer_name": "别的"}, format="json")
    assert response.status_code == 400 and "customer_name" in response.json()["fields"]
    assert client.patch(f"{PO}{po_id}/", {"amount": "500000"}, format="json").status_code == 200
    assert client.post(f"{PO}{po_id}/resubmit/", {}, format="json").data["state"] == "submitted"
    staff.post(f"{PO}{po_id}/start-verification/", {}, format="json")
    response = staff.post(
        f"{PO}{po_id}/verify/",
        {"account_manager": "刘经理", "account_manager_confirmed_on": str(timezone.localdate())},
        format="json",
    )
    assert response.data["state"] == "verified"
    response = client.post(
        f"{PO}{po_id}/progress/", {"stage": "won", "note": "中标"}, format="json"
    )
    assert response.status_code == 200 and response.data["stage"] == "won"
    response = client.post(f"{PO}{po_id}/progress/", {"customer_name": "x"}, format="json")
    assert response.status_code == 400 and "customer_name" in response.json()["fields"]
    assert staff.post(f"{PO}{po_id}/core-label/", {"core_label": True}, format="json").data[
        "core_label"
    ]
    timeline = client.get(f"{PO}{po_id}/timeline/", HTTP_ACCEPT_LANGUAGE="en").data
    assert [t["label"] for t in timeline][:2] == ["Draft created", "Submitted"]
    timeline = client.get(f"{PO}{po_id}/timeline/", HTTP_ACCEPT_LANGUAGE="zh-hans").data
    assert [t["label"] for t in timeline][:2] == ["创建草稿", "已提交"]


def test_reject_reports_the_rule(api, po_of, bd, owner):
    po = po_of("submitted")
    response = api(bd).post(f"{PO}{po.pk}/reject/", {"reason": "no_real_demand"}, format="json")
    assert response.data["decision"]["rule"] == "validity"
    data = api(owner).get(f"{PO}{po.pk}/").data
    assert data["decision"]["reason"] == "no_real_demand" and data["decision"]["text"]


def test_field_locks_in_the_api(api, po_of, owner):
    verified = po_of("verified")
    response = api(owner).patch(f"{PO}{verified.pk}/", {"customer_name": "改名"}, format="json")
    assert response.status_code == 400 and "customer_name" in response.json()["fields"]
    submitted = po_of("submitted", customer_name="另一客户有限公司")
    response = api(owner).patch(f"{PO}{submitted.pk}/", {"amount": "1"}, format="json")
    assert response.status_code == 400 and "amount" in response.json()["fields"]


def test_ho_api_masks_until_accepted(api, bd, partner, owner):
    ho = make_ho(bd, partner, contact_name="王海川", contact_phone="13912345678")
    client = api(owner)
    data = client.get(f"{HO}{ho.pk}/").data
    assert data["contact_masked"] and data["contact_phone"] == "139****5678"
    assert data["lead_crm_id"] is None  # the vendor's CRM reference stays with the vendor
    assert client.post(f"{HO}{ho.pk}/decline/", {"reason": ""}, format="json").status_code == 400
    data = client.post(f"{HO}{ho.pk}/accept/", format="json").data
    assert data["state"] == "accepted" and data["contact_phone"] == "13912345678"


def test_leads_api_for_bd(api, bd, partner, owner):
    staff = api(bd)
    body = {
        "crm_id": "CRM-77",
        "crm_created_at": "2026-01-05T09:30:00+08:00",
        "customer_name": "海川新能源科技有限公司",
        "project_name": "储能",
        "products": ["ecs"],
    }
    first = staff.post(LEADS, body, format="json", HTTP_IDEMPOTENCY_KEY="lead-1")
    again = staff.post(LEADS, body, format="json", HTTP_IDEMPOTENCY_KEY="lead-1")
    assert first.status_code == 201 and again.json()["id"] == first.data["id"]
    taken = staff.post(LEADS, body, format="json")
    assert taken.status_code == 409 and taken.data["existing_id"]  # the CRM id is taken
    response = staff.post(
        f"{LEADS}{first.data['id']}/share/", {"partner": partner.pk}, format="json"
    )
    assert response.status_code == 201 and response.data["state"] == "pending"
    assert staff.get(f"{LEADS}{first.data['id']}/").data["status"] == "pending"
    assert api(owner).get(LEADS).status_code == 403
    assert api(owner).post(LEADS, body, format="json").status_code == 403


def test_duplicates_api(api, bd, owner):
    lead = make_lead(bd, customer_name="江南智造装备股份有限公司")
    po = make_po(owner, state="submitted", bd=bd)
    staff = api(bd)
    rows = staff.get(DUPS).data["results"]
    assert rows[0]["winner"] == f"lead:{lead.pk}"
    pair = DuplicatePair.objects.get()
    response = staff.post(f"{DUPS}{pair.pk}/decide/", {"decision": "apply"}, format="json")
    assert response.data["status"] == "resolved"
    po.refresh_from_db()
    assert po.state == S.REJECTED
    assert api(owner).get(DUPS).status_code == 403


def test_po_duplicates_endpoint_hides_the_other_partner(api, owner, outsider, bd):
    make_po(outsider, state="submitted", bd=bd, project_name="机密")
    mine = make_po(owner)
    hints = api(owner).get(f"{PO}{mine.pk}/duplicates/").data
    assert len(hints) == 1 and hints[0]["opportunity_id"] is None
    assert outsider.partner.name not in str(hints) and "机密" not in str(hints)


def test_import_api(api, owner, outsider):
    csv = "客户名称,项目名称,产品\n甲有限公司,项目,ecs\n".encode()
    upload = SimpleUploadedFile("pos.csv", csv, content_type="text/csv")
    response = api(owner).post(IMPORTS, {"file": upload}, format="multipart")
    assert response.status_code == 202 and response.data["state"] == "queued"
    imp_id = response.data["id"]
    assert api(outsider).get(f"{IMPORTS}{imp_id}/").status_code == 404
    assert api(owner).get(f"{IMPORTS}{imp_id}/").status_code == 200
    bad = SimpleUploadedFile("pos.txt", io.BytesIO(b"x").read())
    assert api(owner).post(IMPORTS, {"file": bad}, format="multipart").status_code == 400


# ---- Outsiders ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("get", ""),
        ("patch", ""),
        ("post", "submit/"),
        ("post", "resubmit/"),
        ("post", "progress/"),
        ("get", "timeline/"),
        ("get", "duplicates/"),
    ],
)
def test_outsider_gets_404_on_po_endpoints(api, po_of, outsider, method, suffix):
    po = po_of("draft")
    response = getattr(api(outsider), method)(f"{PO}{po.pk}/{suffix}", {}, format="json")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("get", ""),
        ("post", "accept/"),
        ("post", "decline/"),
        ("post", "progress/"),
        ("get", "timeline/"),
    ],
)
def test_outsider_gets_404_on_ho_endpoints(api, bd, partner, outsider, method, suffix):
    ho = make_ho(bd, partner)
    response = getattr(api(outsider), method)(
        f"{HO}{ho.pk}/{suffix}", {"reason": "x"}, format="json"
    )
    assert response.status_code == 404


def test_outsider_lists_only_its_own(api, po_of, outsider, bd, partner):
    po_of("draft")
    make_ho(bd, partner)
    assert api(outsider).get(PO).data["count"] == 0
    assert api(outsider).get(HO).data["count"] == 0


def test_anonymous_is_refused(po_of):
    assert APIClient().get(PO).status_code in (401, 403)


# ---- Query counts ------------------------------------------------------------------------


def _fill(n, owner, bd, partner):
    for i in range(n):
        make_po(owner, state="submitted", bd=bd, customer_name=f"客户{i:03d}有限公司")
        make_ho(bd, partner, customer_name=f"HO客户{i:03d}有限公司")
        make_lead(bd, customer_name=f"客户{i:03d}有限公司")


@pytest.mark.parametrize(
    ("persona", "endpoint", "expected"),
    [
        ("owner", PO, 2),
        ("owner", HO, 2),
        ("bd", PO, 2),
        ("bd", HO, 2),
        ("bd", LEADS, 2),
        ("bd", DUPS, 2),
    ],
)
def test_list_endpoints_run_a_fixed_number_of_queries(
    api, request, owner, bd, partner, persona, endpoint, expected
):
    client = api(request.getfixturevalue(persona))
    _fill(1, owner, bd, partner)
    one = count_queries(client.get, endpoint)
    _fill(49, owner, bd, partner)
    response = client.get(endpoint)
    assert len(response.data["results"]) == 50
    assert (one, count_queries(client.get, endpoint)) == (expected, expected)


def test_import_list_endpoint_runs_a_fixed_number_of_queries(api, owner):
    from opportunities.models import POImport

    client = api(owner)
    POImport.objects.create(partner=owner.partner, created_by=owner, file_name="0.csv")
    one = count_queries(client.get, IMPORTS)
    for i in range(49):
        POImport.objects.create(partner=owner.partner, created_by=owner, file_name=f"{i}.csv")
    assert len(client.get(IMPORTS).data["results"]) == 50
    assert (one, count_queries(client.get, IMPORTS)) == (2, 2)
