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
Environment: REDIS_URL (cache and sessions; default redis://127.0.0.1:6379/7), BENCH_DB_PREFIX
(the databases' names before the scale; default pc_bench_).
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

from common import Gunicorn, signed_in_session  # noqa: E402

BIG = 1_000_000


def db_name(scale: int) -> str:
    """`pc_bench_<scale>`; BENCH_DB_PREFIX sets another prefix (two runs at once on one
    server, each on its own databases)."""
    return f"{os.environ.get('BENCH_DB_PREFIX', 'pc_bench_')}{scale}"


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


def _array(ids: list[int], row: str = "g") -> str:
    """One of `ids` for row `row` (g, 1..n), as SQL (a constant array, folded once)."""
    return f"('{{{','.join(map(str, ids))}}}'::bigint[])[1 + {row} % {len(ids)}]"


def build(scale: int) -> dict:
    """The personas through the product's own factories, the volume in SQL."""
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
    from customers.ledger import rebuild_totals

    rebuild_totals()  # the entries above bypassed `ledger.move`, which keeps the totals
    pipeline = build_pipeline(scale, big, users)
    print(f"  volume built in {time.monotonic() - t0:.0f} s", flush=True)
    with connection.cursor() as cur:
        cur.execute("vacuum analyze")

    cookies = {}
    for name, user in users.items():
        cookies[name] = signed_in_session(user)
    return {"cookies": cookies, "reseller": reseller.pk, "big": big.pk, **pipeline}


def build_pipeline(scale: int, big, users: dict) -> dict:
    """What the pipeline pages read (issue [5]), at the scale's proportions: owners (a
    partner-side owner on the big partner's deals, a BD owner on 80 % of all), customer region
    and industry, stages, the verification / acceptance times the assessment counts by,
    PCE members (30 % of the partners) with their HO profiles, saved views, comments with
    @mentions (two on every tenth deal) and next steps (one on every twentieth), one event
    per opportunity, and one deal with a long thread for its collaboration page."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from opportunities.models import Opportunity
    from partner_center.accounts.permissions import Role
    from tests.factories import UserFactory

    f = scale / BIG
    sellers = [users["partner"]] + [
        UserFactory(role=Role.PARTNER_MEMBER, partner=big, email=f"sales{i}@bench.test")
        for i in range(4)
    ]
    bds = [users["bd"]] + [UserFactory(role=Role.BD, email=f"bd{i}@bench.test") for i in range(5)]
    seller_ids = _array([u.pk for u in sellers], "o.id").replace("%", "%%")
    bd_ids = _array([u.pk for u in bds], "o.id").replace("%", "%%")
    regions = "(array['north','east','south','central','southwest','northwest','northeast'])"
    industries = "(array['government','finance','manufacturing','retail','education','internet'])"
    stages = "(array['','contacting','solution','bidding','won','lost'])"
    with connection.cursor() as cur:
        cur.execute("set statement_timeout = 0")  # the web's limit is not the builder's
        # Owners, region, industry, stage and the assessment's clocks, in one pass.
        cur.execute(
            "update opportunities_opportunity o set "
            f"owner_id = case when o.partner_id = %s and o.id %% 10 <> 0 then {seller_ids} end, "
            f"bd_owner_id = case when o.id %% 5 <> 0 then {bd_ids} end, "
            f"customer_region = {regions}[1 + o.id %% 7], "
            f"customer_industry = {industries}[1 + o.id %% 6], "
            "stage = case when o.state in ('verified', 'accepted') then "
            f"{stages}[1 + o.id %% 6] else '' end, "
            "verified_at = case when o.state = 'verified' then "
            "now() - (o.id %% 700) * interval '1 day' end, "
            "reviewed_at = case when o.state in ('under_verification', 'verified') then "
            "now() - (o.id %% 700) * interval '1 day' - interval '2 days' end, "
            "accepted_at = case when o.state = 'accepted' then "
            "coalesce(o.shared_at, now()) + interval '1 day' end, "
            "submitted_at = case when o.state = 'verified' then "
            "now() - (o.id %% 700) * interval '1 day' - interval '5 days' else o.submitted_at end",
            [big.pk],
        )
        # PCE members (the big partner among them) and their HO profiles.
        cur.execute(
            "insert into programs_pceapplication (partner_id, state, motivation, industries, "
            "decision_reason, applied_at, decided_at) select id, 'approved', '', '', '', "
            "now() - interval '1 year', "
            "now() - interval '300 days' from accounts_partner where id %% 10 < 3 or id = %s",
            [big.pk],
        )
        cur.execute(
            "insert into opportunities_hoprofile (partner_id, industries, regions, products, "
            "updated_at) select partner_id, "
            f"jsonb_build_array({industries}[1 + partner_id % 6]), "
            f'jsonb_build_array({regions}[1 + partner_id % 7]), \'["ecs", "obs"]\'::jsonb, '
            "now() from programs_pceapplication where state = 'approved'"
        )
        # Comments (two on every tenth deal, one @mentioning the owner), next steps.
        cur.execute(
            "insert into opportunities_dealcomment (opportunity_id, author_id, by_vendor, body, "
            "mentioned, created_at) select o.id, case when k = 1 then o.owner_id else "
            "o.bd_owner_id end, k = 2, '请确认客户预算 @' || coalesce(o.owner_id, 0), "
            "case when k = 1 and o.owner_id is not null then jsonb_build_array(o.owner_id) "
            "else '[]'::jsonb end, o.created_at + k * interval '1 hour' "
            "from opportunities_opportunity o, generate_series(1, 2) k where o.id % 10 = 0"
        )
        cur.execute(
            "insert into opportunities_nextstep (opportunity_id, text, due_on, assignee_id, "
            "created_by_id, created_at) select id, '安排方案交流', "
            "(now() + (id % 30 - 10) * interval '1 day')::date, owner_id, owner_id, created_at "
            "from opportunities_opportunity where id % 20 = 0"
        )
        # One event per opportunity (the timeline's table at volume).
        ct = ContentType.objects.get_for_model(Opportunity).pk
        cur.execute(
            "insert into audit_event (created_at, actor_label, partner_id, subject_type_id, "
            "subject_id, verb, from_state, to_state, reason, data) select created_at, 'system', "
            "partner_id, %s, id, 'created', '', state, '', '{}'::jsonb "
            "from opportunities_opportunity",
            [ct],
        )
        # The deal whose collaboration page is measured: one of the big partner's verified
        # POs, with a thread of 30 comments and 5 next steps at every scale.
        cur.execute(
            "select id from opportunities_opportunity where partner_id = %s and kind = 'po' "
            "and state = 'verified' order by id limit 1",
            [big.pk],
        )
        deal = cur.fetchone()[0]
        cur.execute(
            "insert into opportunities_dealcomment (opportunity_id, author_id, by_vendor, body, "
            "mentioned, created_at) select %s, case when k %% 2 = 0 then %s else %s end, "
            "k %% 2 = 1, '第' || k || '条：请 @销售 跟进客户的采购流程', '[]'::jsonb, "
            "now() - (40 - k) * interval '1 hour' from generate_series(1, 30) k",
            [deal, users["partner"].pk, users["bd"].pk],
        )
        cur.execute(
            "insert into opportunities_nextstep (opportunity_id, text, due_on, assignee_id, "
            "created_by_id, created_at) select %s, '下一步 ' || k, current_date + k, %s, %s, "
            "now() from generate_series(1, 5) k",
            [deal, users["partner"].pk, users["partner"].pk],
        )
        # A lead back in the pool (its share declined) for the routing page.
        cur.execute(
            "select l.id from opportunities_vendorlead l where not exists (select 1 from "
            "opportunities_opportunity o where o.lead_id = l.id and o.state in "
            "('pending', 'accepted')) order by l.id limit 1"
        )
        lead = cur.fetchone()[0]
        # Saved views: two of the partner's, two of BD's.
        cur.execute(
            "insert into opportunities_savedview (user_id, list_key, name, query, created_at) "
            "values (%s, 'opportunities', '退回待改', 'state=returned&sort=deadline', now()), "
            "(%s, 'opportunities', '金额最大', 'sort=-amount', now()), "
            "(%s, 'review_queue', '我的审核', 'mine=on&sort=deadline', now()), "
            "(%s, 'review_queue', '大单', 'sort=-amount', now()) returning id",
            [users["partner"].pk, users["partner"].pk, users["bd"].pk, users["bd"].pk],
        )
        views = [r[0] for r in cur.fetchall()]
        cur.execute("reset statement_timeout")
    print(f"  pipeline data at {f:.0%} of the million's proportions", flush=True)
    return {"deal": deal, "lead": lead, "partner_view": views[0], "bd_view": views[2]}


# ---------------------------------------------------------------------------- pages


PERSONAS = [
    ("partner", "big@bench.test"),
    ("bd", "bd@bench.test"),
    ("cert", "cert@bench.test"),
    ("distributor", "dist@bench.test"),
    ("reseller", "res@bench.test"),
    ("customer", "customer@bench.test"),
]


def pages(meta: dict) -> list[tuple[str, str, str]]:
    """(role, label, url): each role's landing page and menu entries, plus the variants the
    issue measured (sorts, search, deep page, the reseller funds page)."""
    from django.contrib.auth import get_user_model

    from partner_center.menus import menu_for

    seen = set()
    out = []
    for role, email in PERSONAS:
        user = get_user_model().objects.get(email=email)
        out.append((role, "landing", "/"))
        for section in menu_for(user):
            for entry in section["entries"]:
                if (role, entry["url"]) not in seen:
                    seen.add((role, entry["url"]))
                    out.append((role, entry["url_name"], entry["url"]))
    return out + extra_pages(meta)


def extra_pages(meta: dict) -> list[tuple[str, str, str]]:
    """The pages besides each persona's landing page and menu entries: the variants the
    issue measured, the pipeline pages, the to-do page and global search of every role."""
    rid = meta["reseller"]
    out = [
        ("partner", "opportunities sorted by amount", "/opportunities/?sort=-amount"),
        ("partner", "opportunities customer search", "/opportunities/?customer=%E5%AE%A21234"),
        ("partner", "opportunities page 500", "/opportunities/?page=500"),
        ("bd", "opportunities (all partners)", "/opportunities/"),
        ("bd", "review queue sorted by amount", "/opportunities/review/?sort=-amount"),
        ("bd", "HO pool, in the pool", "/opportunities/pool/?status=pool"),
        ("distributor", "reseller funds page", f"/customers/resellers/{rid}/"),
        ("bd", "reseller funds page", f"/customers/resellers/{rid}/"),
        ("partner", "incentives home", "/incentives/"),
    ]
    out += pipeline_pages(meta)
    for role, _email in PERSONAS:  # the to-do page and global search of every role
        out += [
            (role, "to-do", "/todo/"),
            (role, "global search", "/search/?q=%E5%AE%A2%E6%88%B71234"),
            (role, "notifications", "/notifications/"),
        ]
    return out


def pipeline_pages(meta: dict) -> list[tuple[str, str, str]]:
    """The pipeline pages of issue [5] that are not menu entries of their own (the partner's
    and BD's dashboards and assessment pages and the HO profile are: `pages` reaches them
    through the menu): saved views applied, the owner filters, a deal's collaboration page,
    the bulk review queue, lead routing, the assessment of one partner, the list exports."""
    if "deal" not in meta:  # a volume built before the pipeline data: rebuild without --reuse
        return []
    deal, lead, big = meta["deal"], meta["lead"], meta["big"]
    return [
        ("partner", "opportunities, all (no default view)", "/opportunities/?view=all"),
        ("partner", "opportunities, mine", "/opportunities/?mine=on"),
        ("partner", "opportunities, saved view", "/opportunities/?state=returned&sort=deadline"),
        ("partner", "opportunities, lost reason", "/opportunities/?lost_reason=price"),
        ("partner", "deal with its thread (collaboration)", f"/opportunities/{deal}/"),
        ("partner", "pipeline dashboard, one period", "/opportunities/dashboard/?period=2026-06"),
        ("partner", "opportunity list export (CSV)", "/opportunities/export.csv"),
        ("partner", "opportunity list export, all (CSV)", "/opportunities/export.csv?view=all"),
        ("bd", "deal with its thread (collaboration)", f"/opportunities/{deal}/"),
        ("bd", "opportunities, mine", "/opportunities/?mine=on"),
        ("bd", "review queue, mine", "/opportunities/review/?mine=on"),
        ("bd", "review queue, saved view", "/opportunities/review/?sort=-amount"),
        ("bd", "review queue, all (bulk review)", "/opportunities/review/?view=all"),
        ("bd", "HO pool, mine", "/opportunities/pool/?mine=on"),
        ("bd", "BD dashboard by region", "/opportunities/dashboard/bd/?by=region"),
        ("bd", "BD dashboard, one period", "/opportunities/dashboard/bd/?period=2026-06"),
        ("bd", "assessment sorted by amount", "/opportunities/assessment/partners/?sort=-amount"),
        ("bd", "assessment of one partner", f"/opportunities/assessment/partners/{big}/"),
        ("bd", "lead routing (a lead, partners ranked)", f"/opportunities/pool/{lead}/"),
        ("bd", "review queue export (CSV)", "/opportunities/review/export.csv"),
        ("bd", "assessment export (CSV)", "/opportunities/assessment/partners/export.csv"),
    ]


# URL names that are not pages to measure: actions (POST only), downloads of one file,
# pages reached only with a token, sign-in and sign-out, and pages measured under another
# name (with arguments). `uncovered()` lists every other URL name no persona reaches here.
NOT_PAGES = {
    name: why
    for why, names in {
        "signed out, or signs out": (
            "healthz login logout password_reset password_reset_done password_reset_confirm "
            "password_reset_complete set_language security:sign_out_everywhere "
            "security:sign_out_others security:forget_trusted"
        ),
        "an action (POST) or its form on one object": (
            "apikeys:revoke billing:bill_refresh billing:bill_request_invoice "
            "billing:bill_export_pdf customers:auto_renew customers:budget customers:fund "
            "customers:invitation_revoke customers:money_request_approve "
            "customers:money_request_cancel customers:money_request_refuse customers:my_renew "
            "customers:reclaim customers:renew customers:unbind customers:voucher_revoke "
            "certification:bank-card-new certification:enterprise-new "
            "certification:enterprise-setup certification:label-apply "
            "incentives:application_apply incentives:application_step members:contact_change "
            "members:contact_change_cancel members:contact_change_start members:invite "
            "members:legal_representative members:money members:unlink members:withdraw "
            "notifications:mark_all_read notifications:mark_read notifications:open "
            "notifications:preferences programs:deregister programs:path_exit programs:path_join "
            "security:mfa_disable security:mfa_setup security:mfa_verify security:recovery_codes "
            "security:partner_policy webhooks:create webhooks:delete webhooks:edit "
            "webhooks:rotate_secret webhooks:delivery_redeliver "
            "opportunities:attachment_delete opportunities:attachment_upload "
            "opportunities:bd_owner opportunities:close opportunities:comment_post "
            "opportunities:core_label opportunities:duplicate_decide opportunities:ho_accept "
            "opportunities:ho_decline opportunities:lead_bd_owner opportunities:lead_close "
            "opportunities:lead_create opportunities:lead_reopen opportunities:lead_share "
            "opportunities:next_step_add "
            "opportunities:next_step_done opportunities:next_step_reopen opportunities:owner "
            "opportunities:po_create opportunities:po_edit opportunities:po_reject "
            "opportunities:po_resubmit opportunities:po_return "
            "opportunities:po_start_verification opportunities:po_submit opportunities:po_verify "
            "opportunities:progress opportunities:protection_decide "
            "opportunities:protection_request opportunities:review_bulk "
            "opportunities:saved_view_delete opportunities:saved_view_save"
        ),
        "a download of one file": (
            "billing:export_download certification:file-download opportunities:consent_file "
            "opportunities:attachment_download opportunities:import_template"
        ),
        "reached with an invitation token": (
            "customers:invite customers:invite_register customers:invite_verify members:invitation"
        ),
        "one object's page, its size fixed (not a list that grows with the volume)": (
            "certification:bank-card-detail certification:enterprise-detail "
            "certification:label-application-detail customers:order_detail "
            "incentives:application_detail incentives:estimate_detail helpcenter:entry "
            "programs:pce_review webhooks:detail webhooks:delivery_detail security:overview "
            "opportunities:import_detail opportunities:import_failed billing:invoice"
        ),
        # Not measured yet (other owners' pages with arguments: a sample object is needed).
        "not measured yet: needs a sample (customers, billing, incentives)": (
            "customers:detail billing:bill_overview billing:bill_details "
            "billing:bill_details_csv billing:bill_details_xlsx incentives:dashboard_reseller "
            "incentives:dashboard_reseller_export incentives:dashboard_export "
            "incentives:performance_details incentives:performance_export "
            "opportunities:ho_pool_export"
        ),
    }.items()
    for name in names.split()
}


def url_names() -> set[str]:
    """Every URL name of the URLconf outside admin and the API (the pages and actions)."""
    from django.urls import URLResolver, get_resolver

    def walk(resolver, prefix: str, ns: str):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                yield from walk(
                    p, prefix + str(p.pattern), ns + (f"{p.namespace}:" if p.namespace else "")
                )
            elif p.name and not (prefix + str(p.pattern)).startswith(("admin/", "api/", "bench/")):
                yield ns + p.name

    return set(walk(get_resolver(), "", ""))


def uncovered(page_urls: list[str]) -> list[str]:
    """URL names neither measured (a menu entry, or one of the extra pages' URLs) nor listed
    in NOT_PAGES: the pages this benchmark forgets. A new page joins `pages()` (or its
    module's menu), an action or download joins NOT_PAGES."""
    from django.urls import Resolver404, resolve

    from partner_center.menus import all_entries

    covered = {e.url_name for e in all_entries()}
    for url in page_urls:
        try:
            match = resolve(url.split("?")[0])
        except Resolver404:
            continue
        covered.add(match.view_name)
    return sorted(url_names() - covered - set(NOT_PAGES))


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def measure_inprocess(meta: dict, rounds: int, only: str = "") -> list[dict]:
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    results = []
    measured = pages(meta)
    missing = uncovered([url for _role, _label, url in measured])
    if missing:
        print(f"  NOT MEASURED (add to pages() or NOT_PAGES): {', '.join(missing)}", flush=True)
    wanted = [o for o in only.split(",") if o]
    for role, label, url in measured:
        if wanted and not any(o in label or o in url for o in wanted):
            continue
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
        client.cookies[settings.SESSION_COOKIE_NAME] = meta["cookies"][role]
        reset_queries()
        t = time.perf_counter()
        with CaptureQueriesContext(connection) as cold:
            _body(client.get(url))
        cold_ms = (time.perf_counter() - t) * 1000
        # Counted on the second request: the first one also fills the per-user caches
        # (menu, capabilities, cached figures), which a later request does not repeat.
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
            body = _body(response)  # a streamed export runs its queries while it is read
        queries = len(ctx.captured_queries)
        # (read now: every request of the test client empties the connection's query log)
        sql_ms = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
        slowest = max(ctx.captured_queries, key=lambda q: float(q["time"]), default=None)
        times = []
        for _ in range(rounds):
            t = time.perf_counter()
            _body(client.get(url))
            times.append((time.perf_counter() - t) * 1000)
        row = {
            "role": role,
            "label": label,
            "url": url,
            "status": response.status_code,
            "queries": queries,
            "cold_queries": len(cold.captured_queries),
            "cold_ms": cold_ms,
            "sql_ms": sql_ms,
            "ms": min(times),  # the least disturbed of the rounds (the machine is shared)
            "bytes": len(body),
            "slowest_ms": float(slowest["time"]) * 1000 if slowest else 0,
            "slowest_sql": slowest["sql"][:20000] if slowest else "",
        }
        print(
            f"  {role:11} {label[:40]:40} {row['status']} q={row['queries']:3} "
            f"{row['ms']:8.1f} ms (cold {cold_ms:.0f} ms, SQL {row['sql_ms']:.0f} ms, "
            f"slowest query {row['slowest_ms']:.0f} ms)",
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
    from django.db import connection

    meta_file = HERE / f".pages-{db_name(scale)}.json"
    # Migrating and building at 1,000,000 rows take statements longer than the web process's
    # statement_timeout (bench.settings, as production): lifted for them, back for measuring.
    options = connection.settings_dict.setdefault("OPTIONS", {})
    web_options = options.get("options", "")
    connection.close()
    options["options"] = "-c statement_timeout=0"
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
    connection.close()
    options["options"] = web_options
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
        f"\n| role | page | queries at {scales[0]:,} / {scales[-1]:,} | ms at {scales[0]:,} "
        f"| ms at {scales[-1]:,} | growth | SQL ms at {scales[0]:,} / {scales[-1]:,} "
        "| first request ms | req/s | bare req/s | p50 ms | p99 ms | ratio to bare |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in big["rows"]:
        b = base.get((r["role"], r["url"]))
        growth = r["ms"] / b["ms"] if b else float("nan")
        wrk_cols = (
            f"{r['rps']:.1f} | {r['bare_rps']:.0f} | {r['p50'] or 0:.0f} | {r['p99'] or 0:.0f} "
            f"| {r['ratio']:.3f}"
            if "rps" in r
            else "– | – | – | – | –"
        )
        flag = " **" if r["status"] not in (200, 302) else ""
        if b and b["queries"] != r["queries"]:
            flag += " (queries differ)"
        print(
            f"| {r['role']} | {r['label']}{flag} | {b['queries'] if b else '–'} / {r['queries']} "
            f"| {b['ms'] if b else float('nan'):.1f} | {r['ms']:.1f} | {growth:.2f} "
            f"| {b.get('sql_ms', 0) if b else 0:.1f} / {r.get('sql_ms', 0):.1f} "
            f"| {r.get('cold_ms', 0):.0f} | {wrk_cols} |"
        )


if __name__ == "__main__":
    main()
