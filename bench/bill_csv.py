"""Bill details CSV export against PostgreSQL's own `COPY ... TO STDOUT` of the same rows.

A bill of 1,000,000 lines (default) is written straight into the bench database, then:
- floor: a fresh process runs `COPY (SELECT <the line columns> FROM billing_billline WHERE
  bill_id = ... ORDER BY occurred_at, id) TO STDOUT WITH (FORMAT csv)` with psycopg and reads
  every byte;
- product: a fresh process, signed in as the partner, GETs the bill's details.csv through
  Django (middleware, view, filters, StreamingHttpResponse) and reads every streamed byte;
- for information, the same export through the pure-Python writer (what the SQLite demo uses).
Each prints rows/s, MB/s and the peak memory of its process tree; the ratio is product
throughput / COPY throughput.

Usage: .venv/bin/python bench/bill_csv.py [lines]"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_BILLING_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pc_bench_billing"
)
from bill_pdf import run_measured  # noqa: E402
from common import PY, django_setup, fresh_database, solution_provider  # noqa: E402

PERIOD = "2026-05"

FILL_SQL = """
INSERT INTO billing_billline (bill_id, occurred_at, line_type, customer_name, customer_account,
    product_code, product_name, order_no, source_ref, amount, voucher_amount, reseller_id,
    reseller_name)
SELECT %(bill)s,
       timestamptz '2026-04-30 16:00:00+00' + (g * interval '1 second' * 2.6),
       t.kind,
       c.name,
       'hw' || lpad((g %% 9973)::text, 5, '0'),
       p.code, p.name,
       CASE WHEN t.kind = 'usage' THEN '' ELSE 'CS202605' || lpad(g::text, 9, '0') END,
       CASE WHEN t.kind = 'usage' THEN 'usage:UR' ELSE 'order:CS' END || '202605' || lpad(g::text, 9, '0'),
       CASE WHEN t.kind IN ('downgrade', 'unsubscribe') THEN -1 ELSE 1 END
           * round(((g::bigint * 7919) %% 500000) / 100.0 + 0.01, 2),
       0, NULL, ''
FROM generate_series(1, %(n)s) AS g
CROSS JOIN LATERAL (SELECT (ARRAY['usage','usage','usage','usage','usage','usage','new',
    'renewal','renewal','upgrade','downgrade','unsubscribe'])[1 + g %% 12] AS kind) t
CROSS JOIN LATERAL (SELECT (ARRAY['杭州云启智能科技有限公司','上海数联物流有限公司',
    '北京知行教育科技有限公司','深圳前海微链金融服务有限公司','成都天府智慧医疗科技有限公司',
    '苏州工业园区精密制造股份有限公司','广州岭南文旅集团有限公司','Harbour Analytics Ltd.'])
    [1 + g %% 8] AS name) c
CROSS JOIN LATERAL (SELECT (ARRAY['ecs','obs','rds','evs','cdn'])[1 + g %% 5] AS code,
    (ARRAY['弹性云服务器 ECS','对象存储服务 OBS','云数据库 RDS for MySQL','云硬盘 EVS',
    '内容分发网络 CDN'])[1 + g %% 5] AS name) p
"""

COPY_SQL = (
    "COPY (SELECT occurred_at, customer_name, customer_account, product_code, product_name, "
    "order_no, source_ref, line_type, amount, voucher_amount FROM billing_billline "
    "WHERE bill_id = {bill} ORDER BY occurred_at, id) TO STDOUT WITH (FORMAT csv)"
)


def child_copy(bill_id: str) -> None:
    import psycopg

    with psycopg.connect(
        os.environ["DATABASE_URL"].replace("postgres://", "postgresql://")
    ) as conn:
        start = time.perf_counter()
        size = rows = 0
        with conn.cursor().copy(COPY_SQL.format(bill=int(bill_id))) as copy:
            for data in copy:
                size += len(data)
                rows += 1
        elapsed = time.perf_counter() - start
    print(json.dumps({"seconds": elapsed, "bytes": size, "rows": rows}))


def child_product(bill_id: str, user_id: str, python_writer: str) -> None:
    django_setup()
    from django.test import Client
    from django.urls import reverse

    from billing import detail_exports
    from billing.models import Bill
    from partner_center.accounts.models import User

    if python_writer == "1":
        import billing.views

        def python_csv_stream(lines, **kwargs):
            return detail_exports.csv_stream(lines, use_copy=False, **kwargs)

        billing.views.csv_stream = python_csv_stream
    bill = Bill.objects.get(pk=int(bill_id))
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(User.objects.get(pk=int(user_id)))
    url = reverse("billing:bill_details_csv", args=[bill.period])
    start = time.perf_counter()
    response = client.get(url)
    size = rows = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        rows += chunk.count(b"\n")
    elapsed = time.perf_counter() - start
    print(json.dumps({"seconds": elapsed, "bytes": size, "rows": rows - 1}))


def main(lines: int) -> None:
    django_setup()
    fresh_database()
    from django.db import connection

    from billing.models import Bill
    from billing.services import _recompute_totals

    partner, user = solution_provider(
        "华云数智科技有限公司", "91110108MA01CK7L3", "finance@huayun.bench", admin=True
    )
    bill = Bill.objects.create(partner=partner, period=PERIOD)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(FILL_SQL, {"bill": bill.pk, "n": lines})
        cursor.execute("ANALYZE billing_billline")
    _recompute_totals(bill)
    bill.save()
    print(
        f"{lines:,} lines written in {time.perf_counter() - started:.1f} s; cores: {os.cpu_count()}"
    )

    floor, floor_mem, _ = run_measured([PY, __file__, "--copy", str(bill.pk)])
    product, prod_mem, _ = run_measured(
        [PY, __file__, "--product", str(bill.pk), str(user.pk), "0"]
    )
    python, py_mem, _ = run_measured([PY, __file__, "--product", str(bill.pk), str(user.pk), "1"])
    assert product["rows"] == floor["rows"] == lines, (product["rows"], floor["rows"])

    def line(label, report, memory):
        rate = report["rows"] / report["seconds"]
        mbps = report["bytes"] / report["seconds"] / 2**20
        print(
            f"{label:<37} {report['seconds']:6.2f} s {rate:>11,.0f} rows/s {mbps:6.1f} MB/s "
            f"{report['bytes'] / 2**20:6.0f} MB out, peak {memory:4.0f} MB"
        )
        return rate

    floor_rate = line("PostgreSQL COPY TO STDOUT (floor)", floor, floor_mem)
    product_rate = line("product details.csv (PostgreSQL)", product, prod_mem)
    python_rate = line("product, Python writer (SQLite path)", python, py_mem)
    print(f"ratio product/COPY throughput: {product_rate / floor_rate:.2f}")
    print(f"ratio Python writer/COPY throughput: {python_rate / floor_rate:.2f}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--copy":
        child_copy(sys.argv[2])
    elif len(sys.argv) > 1 and sys.argv[1] == "--product":
        child_product(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
