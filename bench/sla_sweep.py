"""SLA sweep benchmark: the product's sweep against a raw-SQL floor, on PostgreSQL.

1,000,000 opportunities (PO and HO), of which 200,000 are past their deadline in a
pending state, 100,000 pending and not due yet, the rest decided; 1,000,000 older events.
Both contenders end the same 200,000 items at the same `now`:

- floor: one raw `INSERT ... SELECT` of their events and one raw `UPDATE` of the rows, in
  one transaction, no batching, no locking beyond the UPDATE's own;
- product: `opportunities.sla.sweep_overdue` as beat runs it (batches, SKIP LOCKED, the
  events written in the same statement as the update).

Between runs the swept rows are put back, both tables vacuumed and a checkpoint taken, so
each run starts from the same state. Each contender runs BENCH_ROUNDS times (3, alternating);
the best time of each counts.
Prints both times and the ratio product / floor (target: at most 1.3).

Usage: .venv/bin/python bench/sla_sweep.py   (BENCH_DATABASE_URL picks the database,
default postgres://postgres@127.0.0.1:5432/pc_bench_sla; it is recreated unless
BENCH_REUSE=1 and the data is there already). Sizes: BENCH_ROWS, BENCH_OVERDUE.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pc_bench_sla")
ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
OVERDUE = int(os.environ.get("BENCH_OVERDUE", "200000"))
NOT_DUE = ROWS // 10
PARTNERS = 1000
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def setup_django() -> None:
    os.environ["DATABASE_URL"] = URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partner_center.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def recreate_database() -> None:
    import psycopg

    name = urlparse(URL).path.lstrip("/")
    parsed = urlparse(URL)
    admin_url = parsed._replace(path="/postgres").geturl().replace("postgres://", "postgresql://")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def has_data() -> bool:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass('bench_orig') IS NOT NULL")
        if not cur.fetchone()[0]:
            return False
        cur.execute("SELECT count(*) FROM opportunities_opportunity")
        return cur.fetchone()[0] == ROWS


def _defaults(model) -> dict[str, str]:
    """A SQL expression for every NOT NULL column without a value of its own below."""
    from django.db import models

    out = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.null:
            continue
        if isinstance(field, models.JSONField):
            out[field.column] = "'[]'::jsonb" if field.default is list else "'{}'::jsonb"
        elif isinstance(field, models.BooleanField):
            out[field.column] = "false"
        elif isinstance(field, models.CharField | models.TextField | models.FileField):
            out[field.column] = "''"
        elif isinstance(field, models.DateTimeField):
            out[field.column] = "%(now)s"
    return out


def _insert(cur, model, columns: dict[str, str], series: str, params: dict) -> None:
    values = {**_defaults(model), **columns}
    cols = ", ".join(values)
    exprs = ", ".join(values.values())
    cur.execute(
        f"INSERT INTO {model._meta.db_table} ({cols}) SELECT {exprs} FROM {series}",  # noqa: S608
        params,
    )


def build_data() -> None:
    """1M opportunities with their leads, 1M older events: all in SQL."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection

    from opportunities.models import Opportunity, VendorLead
    from partner_center.accounts.models import Partner
    from partner_center.audit.models import Event

    log("migrating")
    call_command("migrate", verbosity=0)
    params = {"now": NOW}
    overdue_ho = OVERDUE // 4
    ho_total = ROWS * 3 // 10
    with connection.cursor() as cur:
        log(f"{PARTNERS} partners")
        _insert(
            cur,
            Partner,
            {
                "name": "'Bench partner ' || g",
                "credit_code": "lpad(g::text, 18, '0')",
                "contact_email": "'p' || g || '@bench.test'",
                "is_active": "true",
            },
            f"generate_series(1, {PARTNERS}) AS g",
            params,
        )
        cur.execute("SELECT min(id) FROM accounts_partner")
        first_partner = cur.fetchone()[0]
        log(f"{ho_total} HO leads")
        _insert(
            cur,
            VendorLead,
            {
                "crm_id": "'CRM-' || g",
                "crm_created_at": "%(now)s - interval '60 days'",
                "customer_name": "'Customer ' || g",
                "customer_key": "'customer' || g",
                "project_name": "'Project ' || g",
                "products": "'[\"ecs\"]'::jsonb",
                "created_at": "%(now)s - interval '60 days'",
            },
            f"generate_series(1, {ho_total}) AS g",
            params,
        )
        cur.execute("SELECT min(id) FROM opportunities_vendorlead")
        first_lead = cur.fetchone()[0]
        # Row g: HO for g <= ho_total, else PO. Overdue: the first `overdue_ho` HOs and the
        # first (OVERDUE - overdue_ho) POs; then NOT_DUE pending rows with a future deadline;
        # all others decided.
        po_overdue_end = ho_total + (OVERDUE - overdue_ho)
        kind = f"CASE WHEN g <= {ho_total} THEN 'ho' ELSE 'po' END"
        state = f"""CASE
            WHEN g <= {overdue_ho} THEN 'pending'
            WHEN g <= {overdue_ho + NOT_DUE // 4} THEN 'pending'
            WHEN g <= {ho_total} THEN (ARRAY['accepted','declined','expired'])[g %% 3 + 1]
            WHEN g <= {po_overdue_end} THEN (ARRAY['submitted','under_verification','returned'])[g %% 3 + 1]
            WHEN g <= {po_overdue_end + NOT_DUE * 3 // 4} THEN (ARRAY['submitted','under_verification','returned'])[g %% 3 + 1]
            ELSE (ARRAY['draft','verified','rejected','verified'])[g %% 4 + 1]
        END"""
        deadline = f"""CASE
            WHEN g <= {overdue_ho} OR (g > {ho_total} AND g <= {po_overdue_end})
                THEN %(now)s - (g %% 43200) * interval '1 minute' - interval '1 second'
            WHEN g <= {overdue_ho + NOT_DUE // 4}
                 OR (g > {po_overdue_end} AND g <= {po_overdue_end + NOT_DUE * 3 // 4})
                THEN %(now)s + (g %% 20160) * interval '1 minute' + interval '1 second'
            WHEN g %% 4 = 0 THEN NULL
            ELSE %(now)s - interval '90 days'
        END"""
        log(f"{ROWS} opportunities ({OVERDUE} overdue, {NOT_DUE} pending not due)")
        _insert(
            cur,
            Opportunity,
            {
                "kind": kind,
                "state": "s.state",
                "partner_id": f"{first_partner} + g %% {PARTNERS}",
                "lead_id": f"CASE WHEN g <= {ho_total} THEN {first_lead} + g - 1 END",
                "customer_name": "'Customer ' || g",
                "customer_key": "'customer' || g",
                "project_name": "'Project ' || g",
                "products": '\'["ecs", "rds"]\'::jsonb',
                "amount": "(g %% 1000) * 1000.00",
                "created_at": "%(now)s - interval '100 days'",
                "deadline": "s.deadline",
                "submitted_at": "s.deadline - interval '14 days'",
                "decision_rule": "CASE WHEN s.state IN ('rejected','declined','expired') "
                "THEN 'validity' ELSE '' END",
            },
            f"(SELECT g, {state} AS state, {deadline} AS deadline "
            f"FROM generate_series(1, {ROWS}) AS g) AS s",
            params,
        )
        ct = ContentType.objects.get_for_model(Opportunity).pk
        log(f"{ROWS} older events")
        _insert(
            cur,
            Event,
            {
                "created_at": "o.created_at",
                "actor_label": "'bench'",
                "partner_id": "o.partner_id",
                "subject_type_id": str(ct),
                "subject_id": "o.id",
                "verb": "'po.created'",
                "data": "'{}'::jsonb",
            },
            "opportunities_opportunity AS o",
            params,
        )
        cur.execute(
            "CREATE TABLE bench_orig AS SELECT id, state FROM opportunities_opportunity "
            "WHERE state IN ('submitted','under_verification','returned','pending') "
            "AND deadline < %(now)s",
            params,
        )
        cur.execute("SELECT count(*) FROM bench_orig")
        assert cur.fetchone()[0] == OVERDUE, "overdue rows"
        cur.execute("SELECT max(id) FROM audit_event")
        cur.execute(
            "CREATE TABLE bench_meta AS SELECT %(max)s::bigint AS max_event_id",
            {"max": cur.fetchone()[0]},
        )
    vacuum()


def vacuum() -> None:
    """Clean tables and a fresh checkpoint, so no run pays for the previous one's writes."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE opportunities_opportunity")
        cur.execute("VACUUM ANALYZE audit_event")
        cur.execute("CHECKPOINT")


def restore() -> None:
    """Put the swept rows back as they were and drop the events the run wrote."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "UPDATE opportunities_opportunity AS o SET state = b.state, decided_at = NULL, "
            "decided_by_id = NULL, decision_rule = '', decision_reason = '', "
            "decision_detail = '{}'::jsonb FROM bench_orig AS b WHERE o.id = b.id"
        )
        cur.execute("DELETE FROM audit_event WHERE id > (SELECT max_event_id FROM bench_meta)")
    vacuum()


def check_swept() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM opportunities_opportunity WHERE decision_rule = 'sla_expired'"
        )
        swept = cur.fetchone()[0]
        cur.execute(
            "SELECT count(*) FROM audit_event WHERE id > (SELECT max_event_id FROM bench_meta)"
        )
        events = cur.fetchone()[0]
    assert (swept, events) == (OVERDUE, OVERDUE), (swept, events)


def run_floor() -> float:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from opportunities.models import Opportunity

    ct = ContentType.objects.get_for_model(Opportunity).pk
    due = "state IN ('submitted','under_verification','returned','pending') AND deadline < %(now)s"
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "INSERT INTO audit_event (created_at, actor_id, actor_label, partner_id, "
            "subject_type_id, subject_id, verb, from_state, to_state, reason, data) "
            "SELECT deadline, NULL, 'system', partner_id, %(ct)s, id, "
            "CASE kind WHEN 'po' THEN 'po.expired' ELSE 'ho.expired' END, state, "
            "CASE kind WHEN 'po' THEN 'rejected' ELSE 'expired' END, "
            "CASE kind WHEN 'po' THEN 'verification SLA expired' "
            "ELSE 'acceptance SLA expired; reclaimed into the pool' END, "
            "jsonb_build_object('rule', 'sla_expired', 'swept_at', %(now)s::timestamptz) "
            f"FROM opportunities_opportunity WHERE {due}",  # noqa: S608
            {"now": NOW, "ct": ct},
        )
        cur.execute(
            "UPDATE opportunities_opportunity SET "
            "state = CASE kind WHEN 'po' THEN 'rejected' ELSE 'expired' END, "
            "decided_at = deadline, decided_by_id = NULL, decision_rule = 'sla_expired', "
            "decision_reason = '', decision_detail = '{\"rule\": \"sla_expired\"}'::jsonb "
            f"WHERE {due}",  # noqa: S608
            {"now": NOW},
        )
        assert cur.rowcount == OVERDUE
    return time.perf_counter() - start


def run_product() -> float:
    from opportunities.sla import sweep_overdue

    start = time.perf_counter()
    result = sweep_overdue(now=NOW)
    elapsed = time.perf_counter() - start
    assert result.total == OVERDUE, result
    return elapsed


def main() -> None:
    started = time.perf_counter()
    setup_django()
    reuse = os.environ.get("BENCH_REUSE") == "1"
    if reuse and has_data():
        log("reusing the data in place")
        restore()
    else:
        from django.db import connection

        connection.close()
        recreate_database()
        build_data()
    times: dict[str, list[float]] = {"floor": [], "product": []}
    for round_ in range(ROUNDS):
        for name, run in (("floor", run_floor), ("product", run_product)):
            seconds = run()
            check_swept()
            times[name].append(seconds)
            log(f"round {round_ + 1}: {name:7s} {seconds:7.2f} s")
            if not (round_ == ROUNDS - 1 and name == "product"):
                restore()  # (the next run with BENCH_REUSE=1 restores the last one)
    floor, product = min(times["floor"]), min(times["product"])
    print()
    print(f"SLA sweep of {OVERDUE:,} overdue among {ROWS:,} opportunities (best of {ROUNDS})")
    print(f"  floor   (raw INSERT ... SELECT + UPDATE): {floor:7.2f} s")
    print(f"  product (opportunities.sla.sweep_overdue): {product:7.2f} s")
    print(f"  ratio product / floor: {product / floor:.2f}  (target <= 1.30)")
    print(f"  whole run: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
