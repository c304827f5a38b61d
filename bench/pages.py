"""Every list page, dashboard and landing page of every role, at volume, against a bare view.

Builds the volume in SQL (a few minutes at 1,000,000): 1,000 partners, opportunities (one
partner holding 5 % of them), HO leads (35 % of the opportunities), customers with their
associations and accounts (10 %), ledger entries (as many as opportunities, 10 % of them
on one reseller's funds), open duplicate pairs. `--scale` sets the number of opportunities
(and everything with it); each scale has its own database (`pc_bench_<scale>`), kept with
`--reuse`.

Per page it prints the queries, the server time in-process (Django's test client through
the whole middleware stack, median of a few requests) and, under gunicorn (2 workers,
production settings: PostgreSQL, Redis-backed sessions and cache, DEBUG off) with wrk on
loopback, req/s, p50 and p99, and the ratio to a bare Django view measured in the same run.
With two scales (`--scale 10000 --scale 1000000`) it also prints each page's time at the
largest against the smallest.

Usage:
  .venv/bin/python bench/pages.py --scale 10000 --scale 1000000 --reuse --wrk-seconds 3
  .venv/bin/python bench/pages.py --scale 1000000 --reuse --only reseller
Environment: REDIS_URL (cache and sessions; default redis://127.0.0.1:6379/7).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from common import Gunicorn  # noqa: E402

BIG = 1_000_000


def db_name(scale: int) -> str:
    return f"pc_bench_{scale}"


# ---------------------------------------------------------------------------- data


def _insert(cur, table: str, n: int, values: dict[str, str], source: str = "") -> None:
    """INSERT n rows into `table`: the given column expressions (SQL over `g`, 1..n), the
    type's blank for every other NOT NULL column, NULL for the nullable ones."""
    cur.execute(
        "select column_name, data_type, is_nullable from information_schema.columns "
        "where table_name = %s order by ordinal_position",
        [table],
    )
    cols, exprs = [], []
    for name, dtype, nullable in cur.fetchall():
        if name == "id":
            continue
        if name in values:
            expr = values[name]
        elif nullable == "YES":
            continue
        elif dtype in ("character varying", "text"):
            expr = "''"
        elif dtype == "jsonb":
            expr = "'[]'::jsonb" if name in ("products", "unlocked_fields") else "'{}'::jsonb"
        elif dtype == "boolean":
            expr = "false"
        elif dtype.startswith("timestamp"):
            expr = "now()"
        elif dtype in ("integer", "bigint", "smallint", "numeric"):
            expr = "0"
        else:
            raise RuntimeError(f"{table}.{name}: no blank for {dtype}")
        cols.append(f'"{name}"')
        exprs.append(expr)
    src = source or f"generate_series(1, {n}) g"
    cur.execute(f"insert into {table} ({', '.join(cols)}) select {', '.join(exprs)} from {src}")


def _array(ids: list[int]) -> str:
    """One of `ids` for row g, as SQL (a constant array, folded once)."""
    return f"('{{{','.join(map(str, ids))}}}'::bigint[])[1 + g % {len(ids)}]"


def build(scale: int) -> dict:
    """The personas through the product's own factories, the volume in SQL."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection

    from customers.models import AgreementVersion
    from partner_center.accounts.permissions import PartnerType, Role
    from tests.factories import PartnerFactory, UserFactory

    f = scale / BIG
    n_opp = scale
    n_lead = int(350_000 * f)
    n_big = int(50_000 * f)
    n_cust = int(100_000 * f)
    n_ledger = scale
    n_reseller_ledger = int(100_000 * f)
    n_pairs = int(20_000 * f)

    big = PartnerFactory(name="华云数智科技有限公司", types=[PartnerType.SOLUTION_PROVIDER])
    dist = PartnerFactory(name="华北云分销有限公司", types=[PartnerType.DISTRIBUTOR])
    reseller = PartnerFactory(
        name="京东方二级经销有限公司", types=[PartnerType.RESELLER], parent_distributor=dist
    )
    users = {
        "partner": UserFactory(role=Role.PARTNER_ADMIN, partner=big, email="big@bench.test"),
        "bd": UserFactory(role=Role.BD, email="bd@bench.test"),
        "cert": UserFactory(role=Role.CERT_SPECIALIST, email="cert@bench.test"),
        "distributor": UserFactory(role=Role.PARTNER_ADMIN, partner=dist, email="dist@bench.test"),
        "reseller": UserFactory(role=Role.PARTNER_ADMIN, partner=reseller, email="res@bench.test"),
        "customer": UserFactory(role=Role.CUSTOMER, email="customer@bench.test"),
    }
    version = AgreementVersion.objects.create(
        version=1, title_zh="协议", title_en="Agreement", body_zh="…", body_en="…"
    )
    t0 = time.monotonic()
    with connection.cursor() as cur:
        cur.execute("select setseed(0.42)")
        # 997 more partners: solution providers; 49 of them resellers of the distributor.
        _insert(
            cur,
            "accounts_partner",
            997,
            {
                "name": "'伙伴' || g || '科技有限公司'",
                "credit_code": "'91' || lpad(g::text, 16, '0')",
                "contact_email": "'p' || g || '@bench.test'",
                "is_active": "true",
                "created_at": "now() - interval '3 years'",
                "parent_distributor_id": f"case when g <= 49 then {dist.pk} end",
            },
        )
        cur.execute(
            "insert into accounts_partnertypemembership (partner_id, partner_type, joined_at) "
            "select id, case when parent_distributor_id is null then 'solution_provider' "
            "else 'reseller' end, now() from accounts_partner where id > %s",
            [reseller.pk],
        )
        cur.execute(
            "select id from accounts_partner where id not in (%s, %s, %s) order by id",
            [big.pk, dist.pk, reseller.pk],
        )
        others = _array([r[0] for r in cur.fetchall()])
        partner_of = f"case when g <= {n_big} then {big.pk} else {others} end"
        # HO leads, then the opportunities: POs, and one HO share per lead.
        _insert(
            cur,
            "opportunities_vendorlead",
            n_lead,
            {
                "customer_name": "'线索客户' || (g % 150000) || '有限公司'",
                "customer_key": "'线索客户' || (g % 150000)",
                "project_name": "'上云项目' || g",
                "products": "'[\"ecs\"]'::jsonb",
                "amount": "round((random() * 1000000)::numeric, 2)",
                "crm_id": "'CRM' || g",
                "crm_created_at": "now() - random() * interval '730 days'",
                "created_at": "now() - random() * interval '730 days'",
            },
        )
        cur.execute("select min(id) from opportunities_vendorlead")
        lead0 = cur.fetchone()[0]
        common = {
            "customer_name": "'客户' || (g % 200000) || '有限公司'",
            "customer_key": "'客户' || (g % 200000)",
            "project_name": "'项目' || g",
            "products": '\'["ecs", "obs"]\'::jsonb',
            "amount": "case when g % 10 = 0 then null "
            "else round((random() * 1000000)::numeric, 2) end",
            "expected_close_date": "(now() + random() * interval '365 days')::date",
            "created_at": "now() - random() * interval '730 days'",
            "partner_id": partner_of,
        }
        n_po = n_opp - n_lead
        po_state = (
            "case when g % 100 < 10 then 'draft' when g % 100 < 15 then 'submitted' "
            "when g % 100 < 18 then 'under_verification' when g % 100 < 20 then 'returned' "
            "when g % 100 < 70 then 'verified' else 'rejected' end"
        )
        _insert(
            cur,
            "opportunities_opportunity",
            n_po,
            {
                **common,
                "kind": "'po'",
                "state": po_state,
                "submitted_at": "case when g % 100 >= 10 then now() - interval '5 days' end",
                "deadline": "case when g % 100 between 10 and 19 "
                "then now() + (g % 20 - 5) * interval '1 day' end",
                "decision_rule": "case when g % 100 >= 70 then 'validity' else '' end",
                "decision_reason": "case when g % 100 >= 70 then 'other' else '' end",
            },
        )
        ho_state = (
            "case when g % 100 < 5 then 'pending' when g % 100 < 45 then 'accepted' "
            "when g % 100 < 75 then 'declined' else 'expired' end"
        )
        _insert(
            cur,
            "opportunities_opportunity",
            n_lead,
            {
                **common,
                # the big partner holds its share of HOs too
                "partner_id": partner_of.replace(
                    f"g <= {n_big}", f"g % 20 = 0 and g <= {n_big * 7}"
                ),
                "kind": "'ho'",
                "state": ho_state,
                "lead_id": f"{lead0} + g - 1",
                "shared_at": "now() - random() * interval '700 days'",
                "deadline": "case when g % 100 < 5 then now() + (g % 7 - 2) * interval '1 day' end",
                "decision_rule": "case when g % 100 >= 75 then 'sla_expired' "
                "when g % 100 >= 45 then 'partner_declined' else '' end",
            },
        )
        # Open duplicate pairs between live POs.
        cur.execute(
            "create temp table live_po as select row_number() over (order by id) as n, id "
            "from opportunities_opportunity where kind = 'po' and state in "
            "('submitted', 'under_verification', 'returned', 'draft')"
        )
        _insert(
            cur,
            "opportunities_duplicatepair",
            n_pairs,
            {
                "po_id": "a.id",
                "other_po_id": "b.id",
                "matched_on": "'name'",
                "products": "'[\"ecs\"]'::jsonb",
                "detected_at": "now() - random() * interval '300 days'",
                "status": "'open'",
            },
            source=f"generate_series(1, {n_pairs}) g join live_po a on a.n = 2 * g - 1 "
            "join live_po b on b.n = 2 * g",
        )
        # Customers, one association each (the big partner 5 %, the reseller 2 %),
        # reseller-model ones with their account; signatures of the latest agreement.
        _insert(
            cur,
            "customers_customer",
            n_cust,
            {
                "name": "'云客户' || g || '有限公司'",
                "account_name": "'cust' || g",
                "created_at": "now() - random() * interval '700 days'",
            },
        )
        cur.execute("select min(id) from customers_customer")
        cust0 = cur.fetchone()[0]
        assoc_partner = (
            f"case when g % 20 = 0 then {big.pk} when g % 50 = 1 then {reseller.pk} "
            f"else {others} end"
        )
        _insert(
            cur,
            "customers_association",
            n_cust,
            {
                "customer_id": f"{cust0} + g - 1",
                "partner_id": assoc_partner,
                "billing_model": "case when g % 3 = 0 or g % 50 = 1 then 'reseller' "
                "else 'referral' end",
                "state": "'active'",
                "associated_at": "now() - random() * interval '600 days'",
            },
        )
        cur.execute(
            "insert into customers_account (kind, balance, frozen, created_at, partner_id, "
            "association_id) select 'customer', 0, false, associated_at, partner_id, id "
            "from customers_association where billing_model = 'reseller'"
        )
        cur.execute(
            "insert into customers_account (kind, balance, frozen, created_at, partner_id) "
            "select k, 0, false, now() - interval '2 years', id from accounts_partner, "
            "unnest(array['reseller_funds', 'voucher_quota']) k "
            "where parent_distributor_id is not null"
        )
        cur.execute(
            "insert into customers_agreementsignature (signed_at, version_id, customer_id) "
            "select now() - interval '1 day', %s, id from customers_customer where id %% 2 = 0",
            [version.pk],
        )
        cur.execute(
            "update customers_customer set user_id = %s where id = %s",
            [users["customer"].pk, cust0],  # g = 1: one of the reseller's customers
        )
        # Ledger: the reseller's funds get 10 %, the customer accounts the rest.
        cur.execute(
            "select id from customers_account where partner_id = %s and kind = 'reseller_funds'",
            [reseller.pk],
        )
        funds = cur.fetchone()[0]
        cur.execute("select id from customers_account where kind = 'customer' order by id")
        accounts = _array([r[0] for r in cur.fetchall()])
        entry = {
            "transfer": "md5(g::text || 'x')::uuid",
            "amount": "(1 + g % 500)::numeric",
            "balance_after": "(1000 + g % 500)::numeric",
            "actor_label": "'system'",
            "created_at": "now() - interval '700 days' + g * interval '1 minute'",
        }
        _insert(
            cur,
            "customers_ledgerentry",
            n_reseller_ledger,
            {
                **entry,
                "account_id": str(funds),
                "entry_type": "case when g % 10 = 0 then 'distributor_fund' else 'fund' end",
            },
        )
        _insert(
            cur,
            "customers_ledgerentry",
            n_ledger - n_reseller_ledger,
            {
                **entry,
                "account_id": accounts,
                "entry_type": "'fund'",
            },
        )
        cur.execute(
            "update customers_account set balance = 100000 where kind in "
            "('reseller_funds', 'voucher_quota')"
        )
    print(f"  volume built in {time.monotonic() - t0:.0f} s", flush=True)
    with connection.cursor() as cur:
        cur.execute("vacuum analyze")

    cookies = {}
    for name, user in users.items():
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[
            -1
        ]  # the e-mail backend (the first is the lockout check, which has no get_user)
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies[name] = session.session_key
    return {"cookies": cookies, "reseller": reseller.pk}


# ---------------------------------------------------------------------------- pages


def pages(meta: dict) -> list[tuple[str, str, str]]:
    """(role, label, url): each role's landing page and menu entries, plus the variants the
    issue measured (sorts, search, deep page, the reseller funds page)."""
    from django.contrib.auth import get_user_model

    from partner_center.menus import menu_for

    seen = set()
    out = []
    for role, email in [
        ("partner", "big@bench.test"),
        ("bd", "bd@bench.test"),
        ("cert", "cert@bench.test"),
        ("distributor", "dist@bench.test"),
        ("reseller", "res@bench.test"),
        ("customer", "customer@bench.test"),
    ]:
        user = get_user_model().objects.get(email=email)
        out.append((role, "landing", "/"))
        for section in menu_for(user):
            for entry in section["entries"]:
                if (role, entry["url"]) not in seen:
                    seen.add((role, entry["url"]))
                    out.append((role, entry["url_name"], entry["url"]))
    rid = meta["reseller"]
    out += [
        ("partner", "opportunities sorted by amount", "/opportunities/?sort=-amount"),
        ("partner", "opportunities customer search", "/opportunities/?customer=%E5%AE%A21234"),
        ("partner", "opportunities page 500", "/opportunities/?page=500"),
        ("bd", "opportunities (all partners)", "/opportunities/"),
        ("bd", "review queue sorted by amount", "/opportunities/review/?sort=-amount"),
        ("bd", "HO pool, in the pool", "/opportunities/pool/?status=pool"),
        ("distributor", "reseller funds page", f"/customers/resellers/{rid}/"),
        ("bd", "reseller funds page", f"/customers/resellers/{rid}/"),
    ]
    return out


def measure_inprocess(meta: dict, rounds: int, only: str = "") -> list[dict]:
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    results = []
    wanted = [o for o in only.split(",") if o]
    for role, label, url in pages(meta):
        if wanted and not any(o in label or o in url for o in wanted):
            continue
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
        client.cookies[settings.SESSION_COOKIE_NAME] = meta["cookies"][role]
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        queries = len(ctx.captured_queries)
        slowest = max(ctx.captured_queries, key=lambda q: float(q["time"]), default=None)
        times = []
        for _ in range(rounds):
            t = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - t) * 1000)
        row = {
            "role": role,
            "label": label,
            "url": url,
            "status": response.status_code,
            "queries": queries,
            "ms": min(times),  # the least disturbed of the rounds (the machine is shared)
            "bytes": len(response.content),
            "slowest_ms": float(slowest["time"]) * 1000 if slowest else 0,
            "slowest_sql": slowest["sql"][:20000] if slowest else "",
        }
        print(
            f"  {role:11} {label[:40]:40} {row['status']} q={row['queries']:3} "
            f"{row['ms']:8.1f} ms (slowest query {row['slowest_ms']:.0f} ms)",
            flush=True,
        )
        results.append(row)
    return results


def wrk(url: str, seconds: int, cookie: str) -> dict:
    out = subprocess.run(  # noqa: S603
        [
            shutil.which("wrk") or "/usr/bin/wrk",
            "-t",
            "2",
            "-c",
            "4",
            "-d",
            f"{seconds}s",
            "--timeout",
            "30s",
            "--latency",
            "-H",
            f"Cookie: {cookie}",
            "-H",
            "Accept-Language: zh-CN",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def ms(label):
        m = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)\b", out)
        if not m:
            return None
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = "Non-2xx" in out
    return {"rps": rps, "p50": ms("50"), "p99": ms("99"), "errors": errors}


def _get(url: str, cookie: str) -> int:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers={"Cookie": cookie, "Accept-Language": "zh-CN"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def measure_wrk(meta: dict, rows: list[dict], seconds: int) -> dict:
    """Each page under wrk right after the bare view under the same load: the ratio is the
    page's req/s over the bare view's req/s measured next to it (the machine is shared, so
    the load changes from minute to minute; adjacent pairs see the same)."""
    from django.conf import settings

    server = Gunicorn(workers=2, settings="bench.settings")
    bare = []
    try:
        name = settings.SESSION_COOKIE_NAME
        for row in rows:  # each worker renders each page once before it is measured
            cookie = f"{name}={meta['cookies'][row['role']]}"
            for _ in range(2):
                _get(server.url + row["url"], cookie)
        for row in rows:
            cookie = f"{name}={meta['cookies'][row['role']]}"
            floor = wrk(f"{server.url}/bench/bare/", seconds, cookie)["rps"]
            bare.append(floor)
            row.update(wrk(server.url + row["url"], seconds, cookie))
            row["bare_rps"] = floor
            row["ratio"] = row["rps"] / floor if floor else 0.0
            print(
                f"  wrk {row['role']:11} {row['label'][:40]:40} {row['rps']:7.1f} req/s "
                f"(bare {floor:7.1f}) ratio {row['ratio']:.3f}",
                flush=True,
            )
    finally:
        server.stop()
    return {"bare": bare, "floor": statistics.median(bare)}


def run_scale(scale: int, reuse: bool, rounds: int, wrk_seconds: int, only: str) -> dict:
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{db_name(scale)}"
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/7")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from common import fresh_database
    from django.core.management import call_command

    meta_file = HERE / f".pages-{scale}.json"
    if reuse and meta_file.exists():
        meta = json.loads(meta_file.read_text())
        call_command("migrate", verbosity=0)  # new indexes land on the kept data
        with __import__("django.db").db.connection.cursor() as cur:
            cur.execute("analyze")
        print(f"  reusing {db_name(scale)}", flush=True)
    else:
        t = time.monotonic()
        fresh_database()
        meta = build(scale)
        meta_file.write_text(json.dumps(meta))
        print(f"  built {db_name(scale)} in {time.monotonic() - t:.0f} s", flush=True)
    from django.core.cache import cache

    cache.clear()
    rows = measure_inprocess(meta, rounds, only)
    floor = measure_wrk(meta, rows, wrk_seconds) if wrk_seconds else {}
    return {"scale": scale, "rows": rows, **floor}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, action="append")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--wrk-seconds", type=int, default=3, help="0: no wrk")
    parser.add_argument("--wrk-all-scales", action="store_true")
    parser.add_argument("--only", default="", help="labels or URLs containing one of these (a,b)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    scales = args.scale or [10_000, BIG]
    if args.child:
        result = run_scale(scales[0], args.reuse, args.rounds, args.wrk_seconds, args.only)
        (HERE / f".pages-result-{scales[0]}.json").write_text(json.dumps(result))
        return
    results = {}
    for scale in scales:
        print(f"== scale {scale:,}", flush=True)
        wrk_seconds = args.wrk_seconds if (scale == max(scales) or args.wrk_all_scales) else 0
        cmd = [sys.executable, "-W", "ignore", __file__, "--child", "--scale", str(scale)]
        cmd += ["--rounds", str(args.rounds), "--wrk-seconds", str(wrk_seconds)]
        cmd += ["--only", args.only] + (["--reuse"] if args.reuse else [])
        subprocess.run(cmd, check=True)  # noqa: S603 - a fresh Django per database
        results[scale] = json.loads((HERE / f".pages-result-{scale}.json").read_text())
    report(results)


def report(results: dict) -> None:
    scales = sorted(results)
    small, big = results[scales[0]], results[scales[-1]]
    base = {(r["role"], r["url"]): r for r in small["rows"]}
    floor = big.get("floor")
    if floor:
        print(
            f"\nbare view: {floor:.0f} req/s (median of {', '.join(f'{b:.0f}' for b in big['bare'])})"
        )
    print(
        f"\n| role | page | queries | ms at {scales[0]:,} | ms at {scales[-1]:,} | growth "
        "| req/s | bare req/s | p50 ms | p99 ms | ratio to bare |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in big["rows"]:
        b = base.get((r["role"], r["url"]))
        growth = r["ms"] / b["ms"] if b else float("nan")
        wrk_cols = (
            f"{r['rps']:.1f} | {r['bare_rps']:.0f} | {r['p50'] or 0:.0f} | {r['p99'] or 0:.0f} "
            f"| {r['ratio']:.3f}"
            if "rps" in r
            else "– | – | – | – | –"
        )
        flag = " **" if (r["status"] != 200) else ""
        print(
            f"| {r['role']} | {r['label']}{flag} | {r['queries']} | "
            f"{b['ms'] if b else float('nan'):.1f} | {r['ms']:.1f} | {growth:.2f} | {wrk_cols} |"
        )


if __name__ == "__main__":
    main()
