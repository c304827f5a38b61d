"""The one export module: no export hands a spreadsheet a live formula, numbers stay numbers,
and file names come from validated parameters only (`?period=` injections answer 400)."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from billing import detail_exports
from billing.models import BillLine
from opportunities import imports
from opportunities import services as opp_services
from partner_center import exports
from partner_center.errors import DomainError
from tests.billing.factories import line, make_bill
from tests.files_kit import xlsx_bytes
from tests.helpers import api_client
from tests.incentives.conftest import make_customer, make_order, shanghai

pytestmark = pytest.mark.django_db

FORMULAS = ["=1+1", "+1", "-1", "@x", "\t=x", "\r=x", '=HYPERLINK("http://evil.test","点我")']
INJECTIONS = [
    'x"; filename="invoice.bat',
    "2026-03\r\nX-Evil: 1",
    "2026-03%0d%0aX-Evil: 1",
    "2026/03",
    "../../etc/passwd",
    "2026-13",
    "2026-03 ",
    "二〇二六-03",
]


def no_live_formula_csv(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
            assert not (cell.startswith("-") and not _is_number(cell)), cell


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def no_live_formula_xlsx(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content)).active
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                assert cell.data_type == "s", (cell.coordinate, cell.value)
                assert not cell.value.startswith(exports.FORMULA_STARTS), cell.value
            assert cell.data_type != "f"
    return list(sheet.iter_rows(values_only=True))


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def _xlsx_content(response) -> bytes:
    return b"".join(response.streaming_content)


# ---- The module ------------------------------------------------------------------------


@pytest.mark.parametrize("value", FORMULAS)
def test_neutralize_prefixes_formula_text(value):
    assert exports.neutralize(value) == "'" + value


@pytest.mark.parametrize("value", [Decimal("-5.00"), -5, 1.5, None, "plain", "a=b", "", "'x"])
def test_neutralize_leaves_numbers_and_plain_text(value):
    assert exports.neutralize(value) == value


def test_csv_stream_escapes_text_and_keeps_numbers():
    body = exports.csv_bytes(["h"], [[value] for value in FORMULAS] + [[Decimal("-5.00")]])
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:-1]] == ["'" + value for value in FORMULAS]
    assert rows[-1] == ["-5.00"]


def test_xlsx_writer_writes_text_as_strings_and_numbers_as_numbers():
    writer = exports.XlsxWriter(title='bad/title*"?')
    writer.header(["=h"])
    for value in FORMULAS:
        writer.row([value, Decimal("-5.00")], money_columns=(1,))
    writer.row(["bad \x01 control"])
    values = no_live_formula_xlsx(writer.to_bytes())
    assert values[1] == ("'=1+1", -5)
    assert values[-1][0] == "bad  control"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bill-2026-05-details.csv", 'attachment; filename="bill-2026-05-details.csv"'),
        ('x"; filename="invoice.bat', 'attachment; filename="x__ filename=_invoice.bat"'),
        ("a\r\nX-Evil: 1.pdf", 'attachment; filename="a__X-Evil_ 1.pdf"'),
    ],
)
def test_content_disposition_is_safe(name, expected):
    header = exports.content_disposition(name)
    assert header.startswith(expected)
    assert "\r" not in header and "\n" not in header and header.count('"') == 2


def test_content_disposition_keeps_chinese_names_in_filename_star():
    header = exports.content_disposition("同意书.pdf")
    assert header.startswith('attachment; filename="')
    assert "filename*=UTF-8''%E5%90%8C%E6%84%8F%E4%B9%A6.pdf" in header


@pytest.mark.parametrize("value", INJECTIONS)
def test_clean_period_refuses_anything_but_yyyy_mm(value):
    with pytest.raises(DomainError) as refused:
        exports.clean_period(value)
    assert refused.value.field == "period"
    assert exports.clean_period("2026-05") == "2026-05"


# ---- Bills -----------------------------------------------------------------------------


def _formula_bill(partner):
    return make_bill(
        partner,
        lines=[line("12.30", customer=value) for value in FORMULAS]
        + [line("-5.00", line_type=BillLine.Type.UNSUBSCRIBE, customer="-负数客户")],
    )


@pytest.mark.parametrize("use_copy", [True, False], ids=["postgres-copy", "python"])
def test_bill_csv_has_no_live_formula(partner, use_copy):
    bill = _formula_bill(partner)
    lines = BillLine.objects.filter(bill=bill).order_by("pk")
    body = b"".join(detail_exports.csv_stream(lines, with_reseller=False, use_copy=use_copy))
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    no_live_formula_csv(rows)
    customers = {row[1] for row in rows[1:]}
    assert customers >= {"'" + value for value in FORMULAS} | {"'-负数客户"}
    assert "-5.00" in {row[8] for row in rows[1:]}  # a real negative number stays as it is


def test_bill_csv_and_xlsx_pages_and_api_have_no_live_formula(partner, owner, login):
    bill = _formula_bill(partner)
    client = login(owner)
    api = api_client(owner)
    for response in (
        client.get(reverse("billing:bill_details_csv", args=["2026-05"])),
        api.get(f"/api/v1/billing/bills/{bill.pk}/details-csv/"),
    ):
        assert response.status_code == 200
        assert response["X-Content-Type-Options"] == "nosniff"
        no_live_formula_csv(_csv_rows(response))
    for response in (
        client.get(reverse("billing:bill_details_xlsx", args=["2026-05"])),
        api.get(f"/api/v1/billing/bills/{bill.pk}/details-xlsx/"),
    ):
        assert response.status_code == 200
        values = no_live_formula_xlsx(_xlsx_content(response))
        assert Decimal("-5.00") in {Decimal(str(v[8])) for v in values[1:]}


# ---- Performance and dashboards --------------------------------------------------------


def _performance(partner):
    for value in FORMULAS:
        make_order(partner, make_customer(name=value), formed_at=shanghai(2026, 3, 5, 8))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_performance_export_has_no_live_formula(login, owner, partner, fmt):
    _performance(partner)
    response = login(owner).get(
        reverse("incentives:performance_export", args=[fmt]) + "?period=2026-03"
    )
    assert response.status_code == 200
    assert 'filename="performance-2026-03.' in response["Content-Disposition"]
    if fmt == "csv":
        rows = _csv_rows(response)
        no_live_formula_csv(rows)
        assert len(rows) == 1 + len(FORMULAS)
    else:
        assert len(no_live_formula_xlsx(_xlsx_content(response))) == 1 + len(FORMULAS)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_dashboard_exports_have_no_live_formula(login, distributor_admin, reseller, fmt):
    _performance(reseller)
    client = login(distributor_admin)
    for url in (
        reverse("incentives:dashboard_export", args=[fmt]),
        reverse("incentives:dashboard_reseller_export", args=[reseller.pk, fmt]),
    ):
        response = client.get(url + "?period=2026-03")
        assert response.status_code == 200
        if fmt == "csv":
            no_live_formula_csv(_csv_rows(response))
        else:
            no_live_formula_xlsx(_xlsx_content(response))


@pytest.mark.parametrize("value", INJECTIONS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_period_injection_answers_400_without_a_header(
    login, owner, distributor_admin, reseller, value, fmt
):
    urls = [
        (owner, reverse("incentives:performance_export", args=[fmt])),
        (distributor_admin, reverse("incentives:dashboard_export", args=[fmt])),
        (
            distributor_admin,
            reverse("incentives:dashboard_reseller_export", args=[reseller.pk, fmt]),
        ),
    ]
    for user, url in urls:
        response = login(user).get(url, {"period": value}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400, (url, value)
        assert "Content-Disposition" not in response
        assert "X-Evil" not in response
        assert "YYYY-MM" in response.content.decode()


def test_period_out_of_range_answers_400(login, owner):
    response = login(owner).get(
        reverse("incentives:performance_export", args=["csv"]), {"period": "1999-01"}
    )
    assert response.status_code == 400


def test_raw_percent_encoded_crlf_answers_400(login, owner):
    client = login(owner)
    url = reverse("incentives:performance_export", args=["csv"])
    response = client.get(url + "?period=x%22%3B%20filename%3D%22invoice.bat")
    assert response.status_code == 400
    response = client.get(url + "?period=2026-03%0d%0aX-Evil:%201")
    assert response.status_code == 400 and "X-Evil" not in response


# ---- Failed rows -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_failed_rows_file_has_no_live_formula(owner, fmt):
    header = ["客户名称", "项目名称", "产品"]
    rows = [[value, "", "ecs"] for value in FORMULAS]
    if fmt == "csv":
        content = exports.csv_bytes(header, [[v.replace("\r", "") for v in r] for r in rows])
    else:
        content = xlsx_bytes(header, [[v.replace("\r", "") for v in r] for r in rows])
    imp = opp_services.po_import_start(
        actor=owner, partner=owner.partner, upload=SimpleUploadedFile(f"pos.{fmt}", content)
    )
    imports.run_import(imp.pk)
    imp.refresh_from_db()
    assert imp.failed == len(FORMULAS)
    with imp.failed_file.open("rb") as handle:
        data = handle.read()
    if fmt == "csv":
        no_live_formula_csv(list(csv.reader(io.StringIO(data.decode("utf-8-sig")))))
    else:
        no_live_formula_xlsx(data)
