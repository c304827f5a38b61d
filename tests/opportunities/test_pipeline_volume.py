"""Every pipeline page (issue [5]) runs the same number of queries with 10 and with 100 rows
behind it (issue [9]; bench/pages.py measures the same pages at 10,000 and 100,000).

The rows are made through the services once (each state, owners, a comment thread, a next
step, an event trail) and then copied in SQL, so the second count sees ten times the rows of
every kind the pages read."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opportunities.collab import services as collab
from opportunities.models import Opportunity
from opportunities.services import saved_views
from partner_center.accounts.permissions import PartnerType
from partner_center.periods import current_period
from tests.core.test_list_indexes import _copy
from tests.factories import PartnerFactory

from .conftest import make_ho, make_lead, make_po

pytestmark = pytest.mark.django_db
_tags = iter(range(1, 1000))


@pytest.fixture
def pipeline(owner, bd):
    """One row of each kind the pipeline pages read, made through the services."""
    rows = [
        make_po(owner, state="draft"),
        make_po(owner, state="submitted"),
        make_po(owner, state="returned", bd=bd),
        make_po(owner, state="verified", bd=bd),
        make_ho(bd, owner.partner, state="pending"),
        make_ho(bd, owner.partner, state="accepted", user=owner),
    ]
    deal = rows[3]
    collab.comment_post(actor=owner, opportunity=deal, body="请确认预算")
    collab.comment_post(actor=bd, opportunity=deal, body="已确认")
    collab.next_step_add(
        actor=owner, opportunity=deal, text="方案交流", due_on=timezone.localdate()
    )
    saved_views.saved_view_save(
        actor=owner, list_key="opportunities", name="退回", query="state=returned"
    )
    lead = make_lead(bd, customer_name="路由客户有限公司")
    return {"rows": rows, "deal": deal, "lead": lead}


def _grow(pipeline, times: int) -> None:
    """`times` more copies of every row, comment, next step and event, and of a PCE partner."""
    tag = next(_tags)
    for row in pipeline["rows"]:
        lead = "null"
        if row.lead_id:  # an HO share: each copy gets a lead of its own
            crm = f"{row.lead.crm_id}-{tag}-"
            _copy("opportunities_vendorlead", row.lead_id, times, {"crm_id": f"'{crm}' || g"})
            lead = f"(select l.id from opportunities_vendorlead l where l.crm_id = '{crm}' || g)"
        _copy(
            "opportunities_opportunity",
            row.pk,
            times,
            {
                "lead_id": lead,
                "created_at": "t.created_at - g * interval '1 minute'",
            },
        )
    deal = pipeline["deal"].pk
    with connection.cursor() as cur:
        for table in ("opportunities_dealcomment", "opportunities_nextstep"):
            cur.execute(f"select id from {table} where opportunity_id = %s", [deal])
            for (pk,) in cur.fetchall():
                _copy(table, pk, times, {})
        cur.execute("select id from audit_event where subject_id = %s", [deal])
        for (pk,) in cur.fetchall():
            _copy("audit_event", pk, times, {})
    for _ in range(times // 10 or 1):
        PartnerFactory(types=[PartnerType.SOLUTION_PROVIDER], pce=True)


def _pages(pipeline) -> list[tuple[str, str]]:
    deal, lead = pipeline["deal"], pipeline["lead"]
    partner = deal.partner_id
    period = current_period()
    return [
        ("owner", "/opportunities/"),
        ("owner", "/opportunities/?view=all"),
        ("owner", "/opportunities/?mine=on"),
        ("owner", "/opportunities/?state=returned"),  # the saved view applied
        ("owner", "/opportunities/inbox/"),
        ("owner", f"/opportunities/{deal.pk}/"),  # the deal with its thread
        ("owner", "/opportunities/dashboard/"),
        ("owner", f"/opportunities/dashboard/?period={period}"),
        ("owner", "/opportunities/assessment/"),
        ("owner", "/opportunities/ho-profile/"),
        ("owner", "/opportunities/export.csv?view=all"),
        ("owner", "/todo/"),
        ("owner", "/search/?q=%E5%AE%A2%E6%88%B7"),
        ("bd", "/opportunities/"),
        ("bd", "/opportunities/?mine=on"),
        ("bd", "/opportunities/review/"),
        ("bd", "/opportunities/review/?view=all"),
        ("bd", "/opportunities/review/?mine=on"),
        ("bd", "/opportunities/review/?sort=-amount"),
        ("bd", "/opportunities/pool/?mine=on"),
        ("bd", f"/opportunities/{deal.pk}/"),
        ("bd", "/opportunities/dashboard/bd/"),
        ("bd", "/opportunities/dashboard/bd/?by=region"),
        ("bd", f"/opportunities/dashboard/bd/?period={period}"),
        ("bd", "/opportunities/assessment/partners/"),
        ("bd", "/opportunities/assessment/partners/?sort=-amount"),
        ("bd", f"/opportunities/assessment/partners/{partner}/"),
        ("bd", "/opportunities/assessment/partners/export.csv"),
        ("bd", f"/opportunities/pool/{lead.pk}/"),  # lead routing: the partners ranked
        ("bd", "/opportunities/review/export.csv?view=all"),
        ("bd", "/todo/"),
        ("bd", "/search/?q=%E5%AE%A2%E6%88%B7"),
    ]


def _counts(clients, pages) -> dict:
    found = {}
    for persona, url in pages:
        client = clients[persona]
        client.get(url)  # the per-user caches (menu, capabilities) filled once
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
        assert response.status_code == 200, (persona, url, response.status_code)
        found[(persona, url)] = len(ctx.captured_queries)
    return found


def test_pipeline_pages_run_the_same_queries_with_10_and_100_rows(login, owner, bd, pipeline):
    clients = {"owner": login(owner), "bd": login(bd)}
    pages = _pages(pipeline)
    _grow(pipeline, 1)  # 12 opportunities, 4 comments, 2 next steps
    ten = _counts(clients, pages)
    _grow(pipeline, 16)  # 108 opportunities, 68 comments, 34 next steps
    assert Opportunity.objects.count() >= 100
    hundred = _counts(clients, pages)
    assert {k: v for k, v in hundred.items() if v != ten[k]} == {}, ten


def test_dashboard_figures_are_cached_until_the_partner_acts(
    settings, owner, bd, django_capture_on_commit_callbacks
):
    """The grouped scans are cached (issue [9]): a partner's figures until its next recorded
    event, BD's for the cache time."""
    from django.core.cache import cache

    from opportunities import dashboards

    settings.PIPELINE_FIGURES_CACHE_SECONDS = 60
    cache.clear()
    filters = dashboards.Filters()

    def total(board) -> int:
        return sum(step.count for step in board.funnel)

    with django_capture_on_commit_callbacks(execute=True):
        make_po(owner, state="submitted")
    first = dashboards.partner_dashboard(owner.partner_id, filters)
    with CaptureQueriesContext(connection) as cached:
        assert total(dashboards.partner_dashboard(owner.partner_id, filters)) == total(first)
    assert len(cached) == 1  # the stage probabilities only
    with django_capture_on_commit_callbacks(execute=True):
        make_po(owner, state="submitted")  # an event of the partner: a new stamp
    assert total(dashboards.partner_dashboard(owner.partner_id, filters)) == total(first) + 1

    dashboards.bd_dashboard(filters)
    with CaptureQueriesContext(connection) as cached:
        dashboards.bd_dashboard(filters)
    assert len(cached) == 3  # probabilities, the overdue and the due-today lists


def test_assessment_and_running_estimate_are_cached_until_the_partner_acts(
    settings, owner, bd, django_capture_on_commit_callbacks
):
    """A partner's assessment history and its running incentive estimate read every deal it
    counted (issue [9]): kept against the partner's stamp, computed afresh at its next
    recorded event."""
    from django.core.cache import cache

    from incentives.selectors import running_estimate
    from opportunities import assessment

    settings.PIPELINE_FIGURES_CACHE_SECONDS = 60
    cache.clear()
    period = current_period()
    with django_capture_on_commit_callbacks(execute=True):
        make_po(owner, state="verified", bd=bd)
    first = assessment.for_partner(owner.partner_id, period)
    estimate = running_estimate(owner.partner_id, period)
    with CaptureQueriesContext(connection) as cached:
        assert assessment.for_partner(owner.partner_id, period) == first
        assert running_estimate(owner.partner_id, period).pk == estimate.pk
    assert len(cached) == 0
    with django_capture_on_commit_callbacks(execute=True):
        make_po(owner, state="verified", bd=bd, customer_name="第二客户有限公司")
    assert assessment.for_partner(owner.partner_id, period).current.po_count == (
        first.current.po_count + 1
    )
    with CaptureQueriesContext(connection) as fresh:
        running_estimate(owner.partner_id, period)
    assert len(fresh) > 0
