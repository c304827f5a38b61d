from datetime import datetime

import pytest
from django.urls import reverse

from billing.models import BillLine
from billing.periods import SHANGHAI
from partner_center.accounts.permissions import PartnerType, Role
from tests.billing.factories import line, make_bill
from tests.factories import PartnerFactory, partner_user
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


def overview(period="2026-05"):
    return reverse("billing:bill_overview", args=[period])


def details(period="2026-05"):
    return reverse("billing:bill_details", args=[period])


def test_bill_home_opens_the_latest_period_with_a_bill(partner, owner, login):
    make_bill(partner, "2026-03", lines=2)
    make_bill(partner, "2026-05", lines=2)
    response = login(owner).get(reverse("billing:bill"))
    assert response.status_code == 302
    assert response["Location"] == overview("2026-05")
    response = login(owner).get(reverse("billing:bill") + "?period=2026-03")
    assert response["Location"] == overview("2026-03")


def test_period_picker_lists_the_partners_periods_and_the_current_one(partner, owner, login):
    make_bill(partner, "2026-03", lines=1)
    make_bill(partner, "2026-05", lines=1)
    response = login(owner).get(overview("2026-03"))
    assert response.context["periods"][0] >= "2026-05"
    assert {"2026-03", "2026-05"} <= set(response.context["periods"])
    html = response.content.decode()
    assert 'value="2026-03" data-url="/billing/2026-03/" selected' in html


def test_overview_shows_the_totals_of_the_selected_period(partner, owner, login):
    make_bill(partner, "2026-04", lines=[line("50.00", when=datetime(2026, 4, 3, tzinfo=SHANGHAI))])
    make_bill(
        partner,
        "2026-05",
        lines=[line("106.00"), line("-6.00", line_type=BillLine.Type.UNSUBSCRIBE)],
    )
    response = login(owner).get(overview("2026-05"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="stat-consumption">¥106.00' in html
    assert 'data-testid="stat-refunds">¥6.00' in html
    assert 'data-testid="stat-due">¥100.00' in html
    assert 'data-testid="stat-tax">¥5.66' in html
    assert "¥50.00" not in html


def test_a_period_without_a_bill_shows_an_empty_state(partner, owner, login):
    response = login(owner).get(overview("2025-01"))
    assert response.status_code == 200
    assert 'data-testid="empty-state"' in response.content.decode()


def test_month_boundary_is_china_standard_time(partner, owner, login):
    # 2026-05-31 23:30 in Beijing is 15:30 UTC: it belongs to May.
    make_bill(
        partner,
        "2026-05",
        lines=[line("1.00", when=datetime(2026, 5, 31, 23, 30, tzinfo=SHANGHAI))],
    )
    response = login(owner).get(details("2026-05"))
    assert "05-31 23:30" in response.content.decode()


def test_outsider_never_sees_another_partners_bill(partner, outsider, login):
    make_bill(partner, "2026-05", lines=3)
    client = login(outsider)
    for url in (overview(), details()):
        response = client.get(url)
        assert response.status_code == 200
        assert response.context["bill"] is None
        assert partner.name not in response.content.decode()
    for name in ("billing:bill_details_csv", "billing:bill_details_xlsx"):
        assert client.get(reverse(name, args=["2026-05"])).status_code == 404
    for name in ("billing:bill_export_pdf", "billing:bill_request_invoice"):
        assert client.post(reverse(name, args=["2026-05"])).status_code == 404


def test_partner_types_without_bills_and_vendor_staff_are_refused(login, bd, customer_user):
    reseller = PartnerFactory(types=[PartnerType.RESELLER])
    user = partner_user(reseller, Role.PARTNER_ADMIN)
    for person in (user, bd, customer_user):
        client = login(person)
        for url in (overview(), details(), reverse("billing:exports"), reverse("billing:invoices")):
            assert client.get(url).status_code == 403


def test_anonymous_goes_to_login(client):
    response = client.get(overview())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_teammate_sees_the_bill_but_cannot_request_the_invoice(partner, teammate, login):
    make_bill(partner, "2026-05", lines=3, settled=True)
    client = login(teammate)
    response = client.get(overview())
    assert response.status_code == 200
    assert 'data-testid="request-invoice"' not in response.content.decode()
    assert client.post(reverse("billing:bill_request_invoice", args=["2026-05"])).status_code == 403


def test_details_filters(partner, owner, login):
    make_bill(
        partner,
        "2026-05",
        lines=[
            line(
                "10.00", customer="上海数联物流有限公司", when=datetime(2026, 5, 2, tzinfo=SHANGHAI)
            ),
            line("20.00", customer="北京知行教育科技有限公司", product=("obs", "对象存储服务 OBS")),
            line(
                "30.00",
                line_type=BillLine.Type.RENEWAL,
                order_no="CS-RENEW-1",
                when=datetime(2026, 5, 20, tzinfo=SHANGHAI),
            ),
        ],
    )
    client = login(owner)

    def rows(**params):
        response = client.get(details(), params)
        assert response.status_code == 200
        return [line.amount for line in response.context["page_obj"]]

    assert len(rows()) == 3
    assert rows(q="数联") == [10]
    assert rows(q="renew-1") == [30]
    assert rows(product="obs") == [20]
    assert rows(line_type="renewal") == [30]
    assert rows(date_from="2026-05-15") == [30]
    assert rows(date_to="2026-05-05") == [10]
    assert rows(ordering="-amount") == [30, 20, 10]


def test_distributor_sees_which_reseller_each_line_belongs_to(
    distributor, distributor_admin, resellers, login
):
    qihang, xinghe = resellers
    make_bill(
        distributor,
        "2026-05",
        lines=[line("10.00", reseller=qihang), line("20.00", reseller=xinghe), line("40.00")],
    )
    client = login(distributor_admin)
    response = client.get(details())
    html = response.content.decode()
    assert "启航云服科技(深圳)有限公司" in html and "星河云创软件有限公司" in html
    only = client.get(details(), {"reseller": qihang.pk}).context["page_obj"]
    assert [x.amount for x in only] == [10]
    own = client.get(details(), {"reseller": "own"}).context["page_obj"]
    assert [x.amount for x in own] == [40]
    summary = client.get(overview()).context["resellers"]
    assert [(r["reseller_id"], r["due"]) for r in summary] == [
        (None, 40),
        (qihang.pk, 10),
        (xinghe.pk, 20),
    ]


def test_solution_provider_has_no_reseller_column(partner, owner, login):
    make_bill(partner, "2026-05", lines=3)
    response = login(owner).get(details())
    assert response.context["show_reseller"] is False


def test_details_paginate(partner, owner, login):
    make_bill(partner, "2026-05", lines=120)
    client = login(owner)
    first = client.get(details())
    assert len(first.context["page_obj"]) == 50
    last = client.get(details(), {"page": 3})
    assert len(last.context["page_obj"]) == 20


@pytest.mark.parametrize("rows", [1, 50])
def test_details_page_query_count_is_fixed(partner, owner, login, rows):
    make_bill(partner, "2026-05", lines=rows)
    client = login(owner)
    client.get(details())  # warm the session cache
    assert count_queries(client.get, details()) == 9


@pytest.mark.parametrize("rows", [1, 50])
def test_overview_query_count_is_fixed(partner, owner, login, rows):
    make_bill(partner, "2026-05", lines=rows)
    client = login(owner)
    client.get(overview())
    assert count_queries(client.get, overview()) == 8


@pytest.mark.parametrize("rows", [1, 50])
def test_export_task_list_query_count_is_fixed(partner, owner, login, rows):
    from billing.models import ExportTask

    bill = make_bill(partner, "2026-05", lines=1)
    ExportTask.objects.bulk_create(
        ExportTask(partner=partner, bill=bill, requested_by=owner) for _ in range(rows)
    )
    client = login(owner)
    url = reverse("billing:exports")
    client.get(url)
    assert count_queries(client.get, url) == 5
    assert len(client.get(url).context["page_obj"]) == rows


def test_export_task_list_shows_only_the_partners_tasks(partner, owner, outsider, login):
    from billing.models import ExportTask

    bill = make_bill(partner, "2026-05", lines=1)
    ExportTask.objects.create(partner=partner, bill=bill, requested_by=owner)
    assert len(login(owner).get(reverse("billing:exports")).context["page_obj"]) == 1
    assert len(login(outsider).get(reverse("billing:exports")).context["page_obj"]) == 0
    # the panel of a bill's page, refreshed by htmx, is scoped the same way
    panel = login(outsider).get(
        reverse("billing:exports") + f"?compact=1&bill={bill.pk}", HTTP_HX_REQUEST="true"
    )
    assert panel.status_code == 200 and 'data-testid="export-task"' not in panel.content.decode()


def test_export_and_invoice_lists_pick_the_period_with_a_month_input(partner, owner, login):
    from billing.models import ExportTask

    for period in ("2026-04", "2026-05"):
        bill = make_bill(partner, period, lines=1)
        ExportTask.objects.create(partner=partner, bill=bill, requested_by=owner)
    client = login(owner)
    page = client.get(reverse("billing:exports"), {"period": "2026-05"})
    assert [t.bill.period for t in page.context["page_obj"]] == ["2026-05"]
    html = page.content.decode()
    assert 'type="month"' in html and 'value="2026-05"' in html
    assert 'type="month"' in client.get(reverse("billing:invoices")).content.decode()
