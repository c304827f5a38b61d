"""Each list page's default query is served by the index made for it (issue [9]).

The tables are seeded with a few thousand rows (copies of rows made through the services)
and analysed; the page is requested, its list query is taken from the queries it ran and
EXPLAINed with sequential scans disabled, and the plan must read the intended index. A
change to a list's default order or filter that no index serves any more fails here,
instead of being found as a sequential scan over millions of rows in production."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from customers.models import Account, LedgerEntry
from partner_center.accounts.permissions import PartnerType, Role
from tests.factories import PartnerFactory, partner_user
from tests.opportunities.conftest import make_ho, make_lead, make_po

ROWS = 3000


def _copy(table: str, template_id: int, n: int, changes: dict[str, str]) -> None:
    """n copies of one row (made through the services), with some columns changed: SQL
    expressions over g (1..n) and the row's own columns."""
    with connection.cursor() as cur:
        cur.execute(
            "select column_name from information_schema.columns where table_name = %s "
            "and column_name <> 'id' order by ordinal_position",
            [table],
        )
        cols = [c for (c,) in cur.fetchall()]
        exprs = [changes.get(c, f't."{c}"').replace("%", "%%") for c in cols]
        cur.execute(
            f'insert into "{table}" ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in cols)}) '
            f'select {", ".join(exprs)} from "{table}" t, generate_series(1, {n}) g '
            "where t.id = %s",
            [template_id],
        )


def _analyze() -> None:
    with connection.cursor() as cur:
        cur.execute("analyze")


def _plan(client, url: str, table: str, contains: str = "", limit: bool = True) -> tuple[dict, str]:
    """The plan (JSON) of the page's list query on `table`: the query that reads the page's
    rows (LIMIT, not the bounded count; `limit=False` for a thread read whole)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    candidates = [
        q["sql"]
        for q in ctx.captured_queries
        if f'FROM "{table}"' in q["sql"]
        and ("LIMIT" in q["sql"] or not limit)
        and not q["sql"].startswith("SELECT COUNT")
        and contains in q["sql"]
    ]
    assert candidates, f"no list query on {table} for {url}"
    sql = candidates[0]
    with connection.cursor() as cur:
        cur.execute("set local enable_seqscan = off")
        cur.execute("explain (format json) " + sql)
        plan = cur.fetchone()[0]
        cur.execute("set local enable_seqscan = on")
    if isinstance(plan, str):
        plan = json.loads(plan)
    return plan[0]["Plan"], sql


def _nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def _index_name(model, fields: list[str]) -> str:
    return next(i.name for i in model._meta.indexes if list(i.fields) == fields)


def _column_index(table: str, column: str) -> str:
    """The name of a field's db_index=True index."""
    with connection.cursor() as cur:
        cur.execute(
            "select indexname from pg_indexes where tablename = %s and indexdef like %s",
            [table, f"%USING btree ({column})"],
        )
        return cur.fetchone()[0]


def assert_uses_index(
    client,
    url: str,
    table: str,
    *indexes: str,
    contains: str = "",
    limit: bool = True,
    reads: str = "",
) -> None:
    """The page's list query (from `table`) reads `reads` (default: `table`) through one of
    `indexes`, never sequentially."""
    plan, sql = _plan(client, url, table, contains, limit)
    reads = reads or table
    nodes = list(_nodes(plan))
    used = {n["Index Name"] for n in nodes if "Index Name" in n}
    scans = [n["Node Type"] for n in nodes if n.get("Relation Name") == reads]
    assert scans, f"{url}: {reads} is not read\n{sql}"
    assert "Seq Scan" not in scans, (url, scans)
    assert used & set(indexes), f"{url}: read through {used}, not {indexes}\n{sql}"


# ---------------------------------------------------------------- opportunities


@pytest.fixture
def many_opportunities(owner, bd):
    """As in production, the persona partner holds a small share of all opportunities: ROWS
    of its POs among ROWS * 10 of twenty other partners; some wait for review."""
    others = [PartnerFactory().pk for _ in range(20)]
    po = make_po(owner, state="draft")
    submitted = make_po(owner, state="submitted")
    spread = "now() - g * interval '37 minutes'"
    names = "'客户' || g || '有限公司'"
    _copy("opportunities_opportunity", po.pk, ROWS, {"created_at": spread, "customer_name": names})
    _copy(
        "opportunities_opportunity",
        po.pk,
        ROWS * 10,
        {
            "created_at": spread,
            "partner_id": f"('{{{','.join(map(str, others))}}}'::bigint[])[1 + g % 20]",
            "amount": "g",
            "deadline": "now() + g * interval '1 minute'",
            "customer_name": names,
        },
    )
    _copy(
        "opportunities_opportunity",
        submitted.pk,
        ROWS // 10,
        {"deadline": "now() + g * interval '1 hour'", "amount": "g * 10"},
    )
    ho = make_ho(bd, owner.partner, state="declined", user=owner)
    _copy(
        "opportunities_opportunity",
        ho.pk,
        ROWS // 3,
        {"deadline": "now() + g * interval '1 hour'"},
    )
    _analyze()


@pytest.mark.parametrize(
    ("persona", "url", "index"),
    [
        ("owner", "opportunities:list", "opportunity_partner_created"),
        ("owner", "opportunities:ho_inbox", "opportunity_ho_inbox_pending"),
        ("bd", "opportunities:list", "opportunity_created"),
        ("bd", "opportunities:review_queue", "opportunity_review_queue"),
    ],
)
def test_opportunity_lists_read_their_index(
    request, login, many_opportunities, persona, url, index
):
    client = login(request.getfixturevalue(persona))
    # (-created_at, -id) or the older created_at index: both give the order without a sort
    created = (
        _column_index("opportunities_opportunity", "created_at") if "created" in index else index
    )
    # "All": the bare list opens on the "Action needed" view (see the next test)
    assert_uses_index(
        client, reverse(url) + "?view=all", "opportunities_opportunity", index, created
    )


@pytest.mark.parametrize(
    ("persona", "url", "query", "indexes"),
    [
        # "Action needed", the lists' default view (issue [5]): the open states, nearest
        # deadline first (read by deadline, or by state when few rows are open)
        (
            "owner",
            "opportunities:list",
            "",
            (
                "opportunity_partner_action",
                "opportunity_partner_deadline",
                "opportunity_partner_state",
            ),
        ),
        ("bd", "opportunities:list", "", ("opportunity_bd_action",)),
        (
            "bd",
            "opportunities:review_queue",
            "",
            (
                "opportunity_review_queue",
                "opportunity_bd_action",
                "opportunity_partner_state",
                "opportunity_sla_open",
            ),
        ),
        # "Mine": owner / BD owner, then state (here one user owns every row, so the planner
        # may as well read the list's own index)
        (
            "owner",
            "opportunities:list",
            "?mine=on",
            ("opportunity_owner_created", "opportunity_owner_state", "opportunity_partner_created"),
        ),
        (
            "bd",
            "opportunities:list",
            "?mine=on",
            (
                "opportunity_bd_owner_state",
                "opportunities_opportunity_bd_owner_id_d38a8c0b",
                "opportunity_created",
                "opportunities_opportunity_created_at_282d962c",
            ),
        ),
        # A saved view applied (its query string): one state, nearest deadline first
        (
            "owner",
            "opportunities:list",
            "?state=submitted&sort=deadline",
            (
                "opportunity_partner_deadline",
                "opportunity_partner_state",
                "opportunity_bd_action",
                "opportunity_sla_open",
            ),
        ),
    ],
)
def test_default_views_and_mine_read_their_index(
    request, login, many_opportunities, persona, url, query, indexes
):
    client = login(request.getfixturevalue(persona))
    assert_uses_index(client, reverse(url) + query, "opportunities_opportunity", *indexes)


@pytest.mark.parametrize(
    ("persona", "query", "index"),
    [
        ("owner", "?sort=-amount", "opportunity_partner_amount"),
        ("owner", "?sort=deadline", ("opportunity_partner_deadline", "opportunity_deadline")),
        ("owner", "?sort=customer", "opportunity_partner_customer"),
        # Since the owners are joined, the planner may walk the partner's newest-first index
        # and filter (no sequential scan either way); issue [9] measures it at volume.
        (
            "owner",
            "?customer=%E5%AE%A2%E6%88%B712",
            ("opportunity_customer_trgm", "opportunity_partner_created"),
        ),
        ("bd", "?sort=-amount", "opportunity_amount"),
    ],
)
def test_opportunity_sorts_and_search_read_their_index(
    request, login, many_opportunities, persona, query, index
):
    client = login(request.getfixturevalue(persona))
    indexes = index if isinstance(index, tuple) else (index,)
    assert_uses_index(
        client, reverse("opportunities:list") + query, "opportunities_opportunity", *indexes
    )


def test_ho_pool_reads_its_index(login, bd):
    lead = make_lead(bd)
    _copy(
        "opportunities_vendorlead",
        lead.pk,
        ROWS,
        {"crm_id": "t.crm_id || '-' || g", "crm_created_at": "now() - g * interval '1 hour'"},
    )
    _analyze()
    client = login(bd)
    assert_uses_index(
        client, reverse("opportunities:pool"), "opportunities_vendorlead", "lead_pool_order"
    )
    assert_uses_index(
        client,
        reverse("opportunities:pool") + "?status=pool",
        "opportunities_vendorlead",
        "lead_pool_order",
    )


def test_duplicate_queue_reads_its_index(login, bd, many_opportunities):
    with connection.cursor() as cur:  # pairs of neighbouring POs, a tenth of them open
        cur.execute(
            "insert into opportunities_duplicatepair (po_id, other_po_id, matched_on, products, "
            "detected_at, status, decision_note) select id, next, 'name', '[]', "
            "now() - id * interval '1 minute', case when id % 10 = 0 then 'open' "
            "else 'dismissed' end, '' from (select id, lead(id) over (order by id) as next "
            "from opportunities_opportunity where kind = 'po') p where next is not null"
        )
    _analyze()
    assert_uses_index(
        login(bd),
        reverse("opportunities:duplicates"),
        "opportunities_duplicatepair",
        "duplicate_open",
    )


@pytest.fixture
def open_pairs_of_waiting_pos(owner, bd, many_opportunities):
    """As at 1,000,000 (bench/pages.py): thousands of POs wait for review and thousands are
    protected, one in four has an open pair; some open pairs are on drafts (stale)."""
    submitted = make_po(owner, state="submitted", customer_name="成对测试客户有限公司")
    _copy(
        "opportunities_opportunity",
        submitted.pk,
        ROWS,
        {"deadline": "now() + g * interval '7 minutes'", "amount": "g * 10"},
    )
    _copy(  # and as many verified POs still protected, their deadlines past
        "opportunities_opportunity",
        submitted.pk,
        ROWS,
        {
            "deadline": "now() - g * interval '7 minutes'",
            "state": "'verified'",
            "protection": "'live'",
            "protected_until": "now() + interval '90 days'",
        },
    )
    with connection.cursor() as cur:
        cur.execute(
            "insert into opportunities_duplicatepair (po_id, other_po_id, matched_on, products, "
            "detected_at, status, decision_note) select id, next, 'name', '[]', "
            "now() - id * interval '1 minute', 'open', '' from (select id, state, "
            "lead(id) over (order by id) as next from opportunities_opportunity "
            "where kind = 'po') p where next is not null and id % 4 = 0 "
            "and (state in ('submitted', 'verified') or id % 40 = 0)"
        )
    _analyze()


def _no_full_sort(client, url: str, parts: tuple[str, ...], *indexes: str) -> None:
    """The page's key walk over duplicate pairs (the query that selects only their keys and
    contains `parts`) reads one of `indexes` in order: no Sort node (an Incremental Sort
    of one deadline's rows is fine)."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    keys = 'SELECT "opportunities_duplicatepair"."id" AS "pk"'
    found = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith(keys) and all(part in q["sql"] for part in parts)
    ]
    assert found, f"no key walk with {parts} on {url}"
    with connection.cursor() as cur:
        cur.execute("set local enable_seqscan = off")
        cur.execute("explain (format json) " + found[0])
        plan = cur.fetchone()[0]
        cur.execute("set local enable_seqscan = on")
    if isinstance(plan, str):
        plan = json.loads(plan)
    nodes = list(_nodes(plan[0]["Plan"]))
    assert "Sort" not in [n["Node Type"] for n in nodes], found[0]
    used = {n["Index Name"] for n in nodes if "Index Name" in n}
    assert used & set(indexes), f"{url}: read through {used}, not {indexes}\n{found[0]}"


def test_bd_todo_walks_duplicate_pairs_by_deadline(login, bd, open_pairs_of_waiting_pos):
    """The waiting POs' walk (most open pairs are on POs waiting for review). The protected
    POs' walk is left to the planner: open pairs on protected POs are few (a verified PO's
    rivals are rejected), and then reading those pairs first is the right plan."""
    by_deadline = 'ORDER BY "opportunities_opportunity"."deadline" ASC'
    waiting = "'under_verification'"
    _no_full_sort(login(bd), "/todo/", (by_deadline, waiting), "opportunity_review_queue")


def test_duplicate_queue_walks_its_index_without_sorting(login, bd, open_pairs_of_waiting_pos):
    _no_full_sort(login(bd), reverse("opportunities:duplicates"), (), "duplicate_open")


# ---------------------------------------------------------------- pipeline pages (issue [5])


@pytest.fixture
def counted(owner, bd, many_opportunities):
    """Verified POs and accepted HOs of the persona partner spread over three years, and
    partners enough for the assessment overview."""
    from partner_center.accounts.models import Partner

    po = make_po(owner, state="verified", bd=bd)
    ho = make_ho(bd, owner.partner, state="accepted", user=owner)
    spread = "now() - g * interval '7 hours'"
    _copy("opportunities_opportunity", po.pk, ROWS, {"verified_at": spread})
    lead = ho.lead
    _copy("opportunities_vendorlead", lead.pk, ROWS // 3, {"crm_id": "t.crm_id || '-c' || g"})
    _copy(
        "opportunities_opportunity",
        ho.pk,
        ROWS // 3,
        {
            "accepted_at": spread,
            "lead_id": "(select l.id from opportunities_vendorlead l "
            f"where l.crm_id = '{lead.crm_id}-c' || g)",
        },
    )
    assert Partner.objects.count() > 20
    _analyze()


@pytest.mark.parametrize("sort", ["", "-amount", "-po", "-ho", "name"])
def test_assessment_overview_reads_the_counted_month_indexes(login, bd, counted, sort):
    """Each partner's counted items are an index range of the month (not a join of every
    opportunity), whatever the sort."""
    for index in ("opportunity_verified_month", "opportunity_accepted_month"):
        assert_uses_index(
            login(bd),
            reverse("opportunities:assessment_overview") + (f"?sort={sort}" if sort else ""),
            "accounts_partner",
            index,
            contains=index.split("_")[1] + "_at",
            reads="opportunities_opportunity",
        )


def test_deal_thread_reads_its_indexes(login, owner, bd, many_opportunities):
    """A deal's comments, next steps and timeline: read by the deal, not scanned."""
    from opportunities.collab import services as collab
    from opportunities.collab.models import DealComment, NextStep
    from partner_center.audit.models import Event

    deal = make_po(owner, state="verified", bd=bd)
    other = make_po(owner, state="submitted")
    comment = collab.comment_post(actor=owner, opportunity=other, body="请确认预算")
    step = collab.next_step_add(
        actor=owner, opportunity=other, text="方案交流", due_on=timezone.localdate()
    )
    collab.comment_post(actor=bd, opportunity=deal, body="已确认")
    for table, pk in (
        ("opportunities_dealcomment", comment.pk),
        ("opportunities_nextstep", step.pk),
        ("audit_event", Event.objects.filter(subject_id=other.pk).first().pk),
    ):
        _copy(table, pk, ROWS, {})
    _analyze()
    client = login(owner)
    url = reverse("opportunities:detail", args=[deal.pk])
    # (next steps are read by the deal in the page's order: open first, by due date)
    for table, indexes, column in (
        (
            "opportunities_dealcomment",
            (_index_name(DealComment, ["opportunity", "created_at", "id"]),),
            "opportunity_id",
        ),
        (
            "opportunities_nextstep",
            (
                _index_name(NextStep, ["opportunity", "due_on", "id"]),
                _column_index("opportunities_nextstep", "opportunity_id"),
            ),
            "opportunity_id",
        ),
        (
            "audit_event",
            (_index_name(Event, ["subject_type", "subject_id", "created_at"]),),
            "subject_id",
        ),
    ):
        assert_uses_index(
            client, url, table, *indexes, contains=f'"{table}"."{column}" =', limit=False
        )


def test_lost_reason_filter_reads_its_index(login, owner, many_opportunities):
    with connection.cursor() as cur:  # a few of the partner's deals lost on price
        cur.execute(
            "update opportunities_opportunity set lost_reason = 'price' "
            "where partner_id = %s and id %% 50 = 0",
            [owner.partner_id],
        )
    _analyze()
    assert_uses_index(
        login(owner),
        reverse("opportunities:list") + "?lost_reason=price",
        "opportunities_opportunity",
        "opportunity_partner_lost",
    )


def test_bd_review_queue_mine_reads_the_bd_owner_index(login, bd, many_opportunities):
    with connection.cursor() as cur:  # BD owns a few of the POs waiting for review
        cur.execute(
            "update opportunities_opportunity set bd_owner_id = %s "
            "where state = 'submitted' and id %% 7 = 0",
            [bd.pk],
        )
    _analyze()
    assert_uses_index(
        login(bd),
        reverse("opportunities:review_queue") + "?mine=on",
        "opportunities_opportunity",
        "opportunity_review_mine",
        "opportunity_bd_owner_state",
        _column_index("opportunities_opportunity", "bd_owner_id"),
        "opportunity_review_queue",
    )


def test_bd_todo_reads_the_extension_index(login, bd, many_opportunities):
    with connection.cursor() as cur:  # one extension asked among thousands
        cur.execute(
            "update opportunities_opportunity set extension_requested_at = now(), "
            "protected_until = now() + interval '3 days' "
            "where id = (select max(id) from opportunities_opportunity)"
        )
    _analyze()
    assert_uses_index(
        login(bd),
        "/todo/",
        "opportunities_opportunity",
        "opportunity_extension_asked",
        contains="extension_requested_at",
    )


def test_bd_dashboard_due_lists_read_the_open_clock_index(login, bd, many_opportunities):
    assert_uses_index(
        login(bd),
        reverse("opportunities:bd_dashboard"),
        "opportunities_opportunity",
        "opportunity_sla_open",
        "opportunity_deadline",
        "opportunity_review_queue",
        contains='"deadline" <',
    )


@pytest.mark.parametrize("persona", ["owner", "bd"])
def test_global_search_reads_the_trigram_indexes(request, login, many_opportunities, persona):
    """A word of the search is looked up in the trigram indexes of the three columns it
    matches, not by walking the partner's list (issue [9])."""
    assert_uses_index(
        login(request.getfixturevalue(persona)),
        "/search/?q=%E5%AE%A2%E6%88%B71234",
        "opportunities_opportunity",
        "opportunity_customer_trgm",
        "opportunity_project_trgm",
        contains="LIKE",
    )


def test_routing_statistics_read_by_partner(login, bd, many_opportunities):
    """Lead routing (the lead page ranks the PCE partners): each partner's HO statistics
    are read through a partner index, never by a scan of every opportunity."""
    lead = make_lead(bd, customer_name="路由客户有限公司")
    assert_uses_index(
        login(bd),
        reverse("opportunities:lead_detail", args=[lead.pk]),
        "opportunities_opportunity",
        "opportunity_partner_state",
        "opportunity_partner_created",
        "opportunity_ho_inbox_pending",
        "opportunity_verified_month",
        "opportunity_accepted_month",
        contains="GROUP BY",
        limit=False,
    )


# ---------------------------------------------------------------- customers and ledger


def test_customer_list_reads_its_index(login, owner):
    from tests.customers.conftest import associate, make_customer

    association = associate(owner, make_customer(name="云客户有限公司", account_name="c0"))
    customer_id = association.customer_id
    _copy(
        "customers_customer",
        customer_id,
        ROWS * 10,
        {"account_name": "t.account_name || '-' || g", "user_id": "null"},
    )
    with connection.cursor() as cur:
        cur.execute(
            "insert into customers_association (billing_model, state, associated_at, "
            "unbind_reason, partner_id, customer_id) select 'referral', 'active', "
            "now() - (id %% 1000) * interval '1 hour', '', %s, id from customers_customer "
            "where id <> %s",
            [owner.partner_id, customer_id],
        )
    _analyze()
    assert_uses_index(
        login(owner), reverse("customers:list"), "customers_association", "association_partner_list"
    )
    # the global search looks up a word in the customers' trigram indexes (PostgreSQL)
    assert_uses_index(
        login(owner),
        "/search/?q=%E5%AE%A2%E6%88%B7c0-23456",  # 客户c0-23456: one in 30,000
        "customers_association",
        "customer_name_trgm",
        "customer_account_trgm",
        contains="LIKE",
        reads="customers_customer",
    )


def test_reseller_ledger_page_reads_only_its_window(db, login):
    distributor = PartnerFactory(types=[PartnerType.DISTRIBUTOR])
    reseller = PartnerFactory(types=[PartnerType.RESELLER], parent_distributor=distributor)
    admin = partner_user(reseller, Role.PARTNER_ADMIN)
    funds = Account.objects.create(kind=Account.Kind.RESELLER_FUNDS, partner=reseller)
    Account.objects.create(kind=Account.Kind.VOUCHER_QUOTA, partner=reseller)
    other = Account.objects.create(kind=Account.Kind.RESELLER_FUNDS, partner=distributor)
    for account in (funds, other):
        entry = LedgerEntry.objects.create(
            account=account,
            transfer="00000000-0000-0000-0000-000000000001",
            entry_type=LedgerEntry.Type.DISTRIBUTOR_FUND,
            amount=10,
            balance_after=10,
        )
        _copy(
            "customers_ledgerentry",
            entry.pk,
            ROWS,
            {"created_at": "now() - g * interval '1 minute'"},
        )
    from customers.ledger import rebuild_totals

    rebuild_totals()  # the rows above bypassed `ledger.move`, which keeps the running totals
    _analyze()
    assert_uses_index(
        login(admin),
        reverse("customers:funds"),
        "customers_ledgerentry",
        "ledger_account_page",
        _index_name(LedgerEntry, ["account", "-created_at"]),
        contains='AS "created_at"',  # the page's window (keys first), not the figures
    )


def test_the_check_can_fail(login, owner, many_opportunities):
    """The check itself: a plan that does not read the named index is caught."""
    with pytest.raises(AssertionError):
        assert_uses_index(
            login(owner),
            reverse("opportunities:list") + "?sort=-amount",
            "opportunities_opportunity",
            "opportunity_partner_created",
        )


def test_sorted_lists_end_with_the_id_and_deep_pages_read_keys_first(login, owner, bd):
    """Rows that tie on the sort field keep one order across pages (the id breaks the tie, in
    the sort's direction), and a page past DEEP_OFFSET rows reads its keys first, then its
    rows: every row shows exactly once whatever the page size."""
    from partner_center.paging import DEEP_OFFSET

    po = make_po(owner, state="draft", amount=500)
    _copy("opportunities_opportunity", po.pk, DEEP_OFFSET + 40, {})  # every amount the same
    client = login(owner)
    for sort in ("amount", "-amount"):
        seen = []
        for page in range(1, 12):  # 100 a page (the most): the eleventh starts at DEEP_OFFSET
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(
                    reverse("opportunities:list"), {"sort": sort, "page": page, "page_size": 100}
                )
            seen += [row.pk for row in response.context["page_obj"].object_list]
            keys_first = [
                q["sql"]
                for q in ctx.captured_queries
                if q["sql"].startswith('SELECT "opportunities_opportunity"."id" AS "pk"')
                and "OFFSET" in q["sql"]
            ]
            assert bool(keys_first) == (page == 11), page
        ids = sorted(seen, reverse=sort.startswith("-"))
        assert seen == ids and len(set(seen)) == DEEP_OFFSET + 41
