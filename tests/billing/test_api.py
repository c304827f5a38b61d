import csv
import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from rest_framework.test import APIClient

from billing.models import BillLine, ExportTask, Invoice
from tests.billing.factories import line, make_bill
from tests.helpers import api_client as api
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


def test_bills_list_and_detail(partner, owner):
    bill = make_bill(partner, "2026-05", lines=[line("106.00")])
    make_bill(partner, "2026-04", lines=[line("1.00")])
    body = api(owner).get("/api/v1/billing/bills/").json()
    assert [b["period"] for b in body["results"]] == ["2026-05", "2026-04"]
    detail = api(owner).get(f"/api/v1/billing/bills/{bill.pk}/").json()
    assert detail["amount_due"] == "106.00" and detail["tax_amount"] == "6.00"
    assert detail["number"] == bill.number
    only = api(owner).get("/api/v1/billing/bills/", {"period": "2026-04"}).json()
    assert [b["period"] for b in only["results"]] == ["2026-04"]


def test_lines_with_the_page_filters(distributor, distributor_admin, resellers):
    bill = make_bill(
        distributor,
        lines=[
            line("1.00", reseller=resellers[0]),
            line("2.00", product=("obs", "对象存储服务 OBS")),
            line("3.00", line_type=BillLine.Type.NEW),
        ],
    )
    client = api(distributor_admin)
    url = f"/api/v1/billing/bills/{bill.pk}/lines/"

    def amounts(**params):
        response = client.get(url, params)
        assert response.status_code == 200, response.content
        return [row["amount"] for row in response.json()["results"]]

    assert amounts() == ["1.00", "2.00", "3.00"]
    assert amounts(product="obs") == ["2.00"]
    assert amounts(line_type="new") == ["3.00"]
    assert amounts(reseller=resellers[0].pk) == ["1.00"]
    assert amounts(reseller="own") == ["2.00", "3.00"]
    assert amounts(ordering="-amount") == ["3.00", "2.00", "1.00"]
    row = client.get(url).json()["results"][0]
    assert row["reseller_name"] == "启航云服科技(深圳)有限公司"


def test_details_csv_from_the_api(partner, owner):
    bill = make_bill(partner, lines=[line("1.00"), line("2.00", line_type=BillLine.Type.NEW)])
    response = api(owner).get(f"/api/v1/billing/bills/{bill.pk}/details-csv/", {"line_type": "new"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert [r[8] for r in rows[1:]] == ["2.00"]
    xlsx = api(owner).get(f"/api/v1/billing/bills/{bill.pk}/details-xlsx/")
    assert xlsx.status_code == 200


def test_export_request_answers_202_and_the_task_is_listed(
    partner, owner, django_capture_on_commit_callbacks
):
    bill = make_bill(partner, lines=2)
    client = api(owner)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            f"/api/v1/billing/bills/{bill.pk}/export-pdf/", {"language": "en"}, format="json"
        )
    assert response.status_code == 202
    assert response.json()["state"] == "queued" and response.json()["download_url"] is None
    assert len(callbacks) == 1
    listed = client.get("/api/v1/billing/exports/").json()["results"]
    assert [t["id"] for t in listed] == [response.json()["id"]]
    assert ExportTask.objects.get().language == "en"


def test_download_from_the_api(partner, owner, outsider):
    bill = make_bill(partner, lines=1)
    name = default_storage.save("billing/exports/t/a.pdf", ContentFile(b"%PDF-1.7"))
    task = ExportTask.objects.create(
        partner=partner,
        bill=bill,
        state="done",
        file=name,
        progress=100,
        finished_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=1),
    )
    detail = api(owner).get(f"/api/v1/billing/exports/{task.pk}/").json()
    assert detail["download_url"] == f"/api/v1/billing/exports/{task.pk}/download/"
    response = api(owner).get(detail["download_url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7"
    assert api(outsider).get(detail["download_url"]).status_code == 404


def test_invoice_create_and_rules(partner, owner, teammate):
    open_bill = make_bill(partner, "2026-06", lines=[line("5.00")])
    settled = make_bill(partner, "2026-05", lines=[line("106.00")], settled=True)
    client = api(owner)
    refused = client.post("/api/v1/billing/invoices/", {"bill": open_bill.pk}, format="json")
    assert refused.status_code == 400 and "bill" in refused.json()["fields"]
    created = client.post("/api/v1/billing/invoices/", {"bill": settled.pk}, format="json")
    assert created.status_code == 201
    body = created.json()
    assert (body["net_amount"], body["tax_amount"], body["total_amount"]) == (
        "100.00",
        "6.00",
        "106.00",
    )
    assert body["lines"][0]["total_amount"] == "106.00"
    assert (
        api(teammate)
        .post("/api/v1/billing/invoices/", {"bill": settled.pk}, format="json")
        .status_code
        == 403
    )
    assert [i["id"] for i in api(teammate).get("/api/v1/billing/invoices/").json()["results"]] == [
        body["id"]
    ]


def test_outsider_gets_404_everywhere(partner, owner, outsider):
    bill = make_bill(partner, lines=2, settled=True)
    task = ExportTask.objects.create(partner=partner, bill=bill)
    make_bill(partner, "2026-04", lines=[line("10.00")], settled=True)
    from billing.services import invoice_request

    invoice = invoice_request(actor=owner, bill=bill)
    client = api(outsider)
    for url in (
        f"/api/v1/billing/bills/{bill.pk}/",
        f"/api/v1/billing/bills/{bill.pk}/lines/",
        f"/api/v1/billing/bills/{bill.pk}/details-csv/",
        f"/api/v1/billing/bills/{bill.pk}/details-xlsx/",
        f"/api/v1/billing/exports/{task.pk}/",
        f"/api/v1/billing/exports/{task.pk}/download/",
        f"/api/v1/billing/invoices/{invoice.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/api/v1/billing/bills/{bill.pk}/export-pdf/").status_code == 404
    refused = client.post("/api/v1/billing/invoices/", {"bill": bill.pk}, format="json")
    assert refused.status_code == 400
    for url in ("/api/v1/billing/bills/", "/api/v1/billing/exports/", "/api/v1/billing/invoices/"):
        assert client.get(url).json()["results"] == []
    assert Invoice.objects.count() == 1


def test_vendor_staff_and_anonymous_are_refused(bd):
    assert api(bd).get("/api/v1/billing/bills/").status_code == 403
    assert APIClient().get("/api/v1/billing/bills/").status_code in (401, 403)


@pytest.mark.parametrize("rows", [1, 50])
def test_list_endpoints_query_counts_are_fixed(partner, owner, rows):
    bill = make_bill(partner, lines=rows, settled=True)
    ExportTask.objects.bulk_create(
        ExportTask(partner=partner, bill=bill, requested_by=owner) for _ in range(rows)
    )
    for month in range(rows):
        b = make_bill(
            partner,
            f"{2000 + month // 12}-{month % 12 + 1:02d}",
            lines=[line("1.00")],
            settled=True,
        )
        Invoice.objects.create(
            number=f"N{month}",
            partner=partner,
            bill=b,
            buyer_name="x",
            buyer_tax_id="y",
            net_amount="0.94",
            tax_amount="0.06",
            total_amount="1.00",
        )
    client = api(owner)
    expected = {
        "/api/v1/billing/bills/": 3,
        f"/api/v1/billing/bills/{bill.pk}/lines/": 3,
        "/api/v1/billing/exports/": 2,
        "/api/v1/billing/invoices/": 3,
    }
    counts = {url: count_queries(client.get, url) for url in expected}
    assert counts == expected
