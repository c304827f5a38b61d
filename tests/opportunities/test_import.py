import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from opportunities import imports, services
from opportunities.models import Opportunity, POImport
from partner_center.errors import DomainError
from tests.factories import PartnerFactory, partner_user
from tests.files_kit import xlsx_bytes

from .conftest import CONSENT

pytestmark = pytest.mark.django_db
HEADER = [
    "外部编号",
    "客户名称",
    "客户统一社会信用代码",
    "行业",
    "区域",
    "联系人",
    "联系电话",
    "项目名称",
    "产品",
    "预计金额(元)",
    "预计成交日期",
    "说明",
]
ROWS = [
    [
        "R-1",
        "甲科技有限公司",
        "",
        "制造业",
        "华东",
        "张三",
        "13900000001",
        "项目一",
        "ecs, rds",
        "100000",
        "2026-12-31",
        "",
    ],
    [
        "R-2",
        "乙科技有限公司",
        "",
        "finance",
        "east",
        "李四",
        "13900000002",
        "项目二",
        "",
        "200000",
        "2026-12-31",
        "",
    ],
    [
        "R-3",
        "丙科技有限公司",
        "123",
        "",
        "",
        "王五",
        "13900000003",
        "项目三",
        "obs",
        "300000",
        "2026-12-31",
        "",
    ],
    [
        "R-1",
        "丁科技有限公司",
        "",
        "",
        "",
        "赵六",
        "13900000004",
        "项目四",
        "弹性云服务器",
        "400000",
        "2026-12-31",
        "",
    ],
    [
        "R-5",
        "戊科技有限公司",
        "",
        "",
        "",
        "孙七",
        "13900000005",
        "项目五",
        "cdn",
        "不是数字",
        "2026-12-31",
        "",
    ],
    [
        "R-6",
        "己科技有限公司",
        "",
        "Finance",
        "South China",
        "周八",
        "13900000006",
        "项目六",
        "弹性云服务器、对象存储服务",
        "¥1,200.50",
        "2027-01-31",
        "说明",
    ],
]


def _csv(header, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _run(owner, name, content, **kwargs):
    imp = services.po_import_start(
        actor=owner, partner=owner.partner, upload=SimpleUploadedFile(name, content), **kwargs
    )
    imports.run_import(imp.pk)
    imp.refresh_from_db()
    return imp


def _failed_rows(imp):
    with imp.failed_file.open("rb") as fh:
        if imp.failed_file.name.endswith(".xlsx"):
            ws = load_workbook(fh).active
            return [
                [("" if c is None else str(c)) for c in row]
                for row in ws.iter_rows(values_only=True)
            ]
        return list(csv.reader(io.StringIO(fh.read().decode("utf-8-sig"))))


@pytest.mark.parametrize(("name", "maker"), [("pos.csv", _csv), ("pos.xlsx", xlsx_bytes)])
def test_partial_success_with_a_file_of_failed_rows(owner, name, maker):
    imp = _run(owner, name, maker(HEADER, ROWS))
    assert (imp.state, imp.total_rows, imp.succeeded, imp.failed) == ("done", 6, 2, 4)
    created = Opportunity.objects.filter(pk__in=imp.created_ids).order_by("external_ref")
    assert [o.external_ref for o in created] == ["R-1", "R-6"]
    first, last = created
    assert first.products == ["ecs", "rds"] and first.customer_industry == "manufacturing"
    assert first.customer_region == "east" and first.state == "draft"
    assert first.partner == owner.partner and first.created_by == owner
    assert last.products == ["ecs", "obs"] and str(last.amount) == "1200.50"
    assert (last.customer_industry, last.customer_region) == ("finance", "south")
    rows = _failed_rows(imp)
    assert rows[0] == ["行号", *HEADER, "失败原因"]
    assert [row[0] for row in rows[1:]] == ["3", "4", "5", "6"]  # file rows (header is row 1)
    assert [row[1] for row in rows[1:]] == ["R-2", "R-3", "R-1", "R-5"]
    reasons = [row[-1] for row in rows[1:]]
    assert "产品" in reasons[0]
    assert "信用代码" in reasons[1]
    assert "外部编号" in reasons[2]
    assert "金额" in reasons[3]


def test_gb18030_csv_is_read(owner):
    imp = _run(owner, "pos.csv", _csv(HEADER, [ROWS[0]]).decode().encode("gb18030"))
    assert imp.succeeded == 1


def test_import_can_submit_with_the_consent(owner):
    imp = _run(
        owner,
        "pos.csv",
        _csv(HEADER, [ROWS[0]]),
        submit_rows=True,
        consent=CONSENT,
    )
    assert imp.succeeded == 1
    po = Opportunity.objects.get(pk=imp.created_ids[0])
    assert po.state == "submitted" and po.consent_method == "email" and po.deadline


def test_submitting_needs_consent_and_pce(owner):
    with pytest.raises(DomainError):
        services.po_import_start(
            actor=owner,
            partner=owner.partner,
            upload=SimpleUploadedFile("a.csv", b"x"),
            submit_rows=True,
            consent=services.Consent(confirmed=False),
        )
    outsider_partner = PartnerFactory()
    user = partner_user(outsider_partner)
    with pytest.raises(DomainError):
        services.po_import_start(
            actor=user,
            partner=outsider_partner,
            upload=SimpleUploadedFile("a.csv", b"x"),
            submit_rows=True,
            consent=CONSENT,
        )


def test_unreadable_or_incomplete_files_fail_with_a_message(owner):
    with pytest.raises(DomainError) as refused:  # refused at upload now, nothing queued
        _run(owner, "pos.xlsx", b"not a workbook")
    assert refused.value.field == "file" and "XLSX" in str(refused.value.message)
    assert not POImport.objects.exists()
    imp = _run(owner, "pos.csv", _csv(["foo", "bar"], [["1", "2"]]))
    assert imp.state == "failed" and "模板" in imp.error


def test_running_twice_imports_once(owner):
    imp = _run(owner, "pos.csv", _csv(HEADER, [ROWS[0]]))
    assert imports.run_import(imp.pk) == 0
    assert Opportunity.objects.count() == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_templates_round_trip(login, owner, fmt):
    response = login(owner).get(reverse("opportunities:import_template", args=[fmt]))
    assert response.status_code == 200
    header, rows = imports.read_rows(io.BytesIO(response.content), fmt)
    aliases = imports._header_aliases()
    assert [aliases[imports.header_key(h)] for h in header] == [c.name for c in imports.COLUMNS]
    imp = _run(owner, f"t.{fmt}", response.content)
    assert imp.succeeded == 1, _failed_rows(imp) if imp.failed_file else imp.error


def test_import_pages(login, owner):
    client = login(owner)
    assert client.get(reverse("opportunities:import")).status_code == 200
    response = client.post(
        reverse("opportunities:import"),
        {"file": SimpleUploadedFile("pos.csv", _csv(HEADER, ROWS))},
    )
    imp = POImport.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "opportunities:import_detail", args=[imp.pk]
    )
    partial = client.get(
        reverse("opportunities:import_detail", args=[imp.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'data-state="queued"' in partial and "hx-get" in partial
    imports.run_import(imp.pk)
    page = client.get(reverse("opportunities:import_detail", args=[imp.pk])).content.decode()
    assert 'data-testid="failed-download"' in page
    download = client.get(reverse("opportunities:import_failed", args=[imp.pk]))
    assert download.status_code == 200
    response = client.post(
        reverse("opportunities:import"), {"file": SimpleUploadedFile("a.txt", b"x")}
    )
    assert 'data-field-error="file"' in response.content.decode()
    response = client.post(
        reverse("opportunities:import"),
        {"file": SimpleUploadedFile("a.csv", b"x"), "submit_rows": "on"},
    )
    assert 'data-field-error="consent_confirmed"' in response.content.decode()


def test_headers_of_older_templates_still_import(owner):
    """A file made from a template downloaded before the glossary settled its terms."""
    old = [
        {"地区": "区域", "说明": "描述", "预计金额（元）": "预计金额(元)"}.get(h, h) for h in HEADER
    ]
    imp = _run(owner, "old.csv", _csv(old, ROWS))
    assert (imp.succeeded, imp.failed) == (2, 4)
