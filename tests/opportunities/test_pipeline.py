"""Pipeline tools (issue [5]): PO/HO assessment, pipeline dashboards, lead routing — figures
on seeded data, outsiders, fixed query counts."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certification.models import CapabilityLabel, LabelApplication
from incentives.statements import opportunity_counts
from opportunities import assessment, dashboards, routing, services, sla
from opportunities.models import Opportunity
from opportunities.pipeline_models import HOProfile, StageProbability
from opportunities.services.pipeline import set_stage_probability, update_ho_profile
from partner_center.accounts.permissions import PartnerType, Role
from partner_center.errors import NotAllowed
from tests.factories import PartnerFactory, partner_user

from .conftest import CONSENT, make_lead, make_po, sh

pytestmark = pytest.mark.django_db
S = Opportunity.State


def submit(user, moment, **overrides):
    with time_machine.travel(moment, tick=False):
        po = make_po(user, **overrides)
        return services.po_submit(actor=user, po=po, consent=CONSENT)


def verify(bd, po, moment):
    with time_machine.travel(moment, tick=False):
        po = services.po_start_verification(actor=bd, po=po)
        return services.po_verify(
            actor=bd, po=po, account_manager="刘经理", confirmed_on=moment.date()
        )


def share(bd, partner, moment, **overrides):
    with time_machine.travel(moment, tick=False):
        lead = make_lead(bd, crm_created_at=moment - timedelta(days=1), **overrides)
        return services.ho_share(actor=bd, lead=lead, partner=partner)


def accept(user, ho, moment):
    with time_machine.travel(moment, tick=False):
        return services.ho_accept(actor=user, ho=ho)


@pytest.fixture
def seeded(owner, outsider, bd):
    """Around National Day 2026 (off 1-7 Oct, Saturday 10 Oct a make-up working day):
    three POs verified after 1, 2 and 5 working days, one rejected by BD, one expired by
    the sweep; one HO accepted after 3 working days, one declined automatically; and a
    verified PO of another partner."""
    p1 = verify(
        bd, submit(owner, sh(2026, 9, 29, 10), amount=Decimal("100000")), sh(2026, 9, 30, 15)
    )
    p2 = verify(
        bd,
        submit(
            owner, sh(2026, 9, 30, 10), amount=Decimal("200000"), customer_name="东方制造有限公司"
        ),
        sh(2026, 10, 9, 11),
    )
    p3 = verify(
        bd,
        submit(
            owner, sh(2026, 9, 28, 10), amount=Decimal("300000"), customer_name="南山医疗有限公司"
        ),
        sh(2026, 10, 10, 11),
    )
    rejected = submit(owner, sh(2026, 10, 12, 10), customer_name="北辰物流有限公司")
    with time_machine.travel(sh(2026, 10, 13, 10), tick=False):
        services.po_reject(actor=bd, po=rejected, reason="no_real_demand")
    late = submit(owner, sh(2026, 10, 12, 10), customer_name="西岭能源有限公司")
    ho = share(bd, owner.partner, sh(2026, 9, 30, 9), amount=Decimal("50000"))
    ho = accept(owner, ho, sh(2026, 10, 10, 9))  # 8, 9, 10 Oct: 3 working days
    expired = share(bd, owner.partner, sh(2026, 10, 12, 9), customer_name="远山教育有限公司")
    other = verify(
        bd,
        submit(
            outsider,
            sh(2026, 10, 12, 10),
            amount=Decimal("999000"),
            customer_name="外部客户有限公司",
        ),
        sh(2026, 10, 14, 10),
    )
    sla.sweep_overdue(now=sh(2026, 11, 30, 10))
    late.refresh_from_db()
    expired.refresh_from_db()
    assert late.state == S.REJECTED and expired.state == S.EXPIRED
    return {"pos": [p1, p2, p3], "ho": ho, "other": other}


# ---- Assessment --------------------------------------------------------------------------


def test_assessment_counts_verified_pos_and_accepted_hos_by_period(seeded, partner, other_partner):
    september = assessment.for_partner(partner.pk, "2026-09").current
    assert (september.po_count, september.po_amount) == (1, Decimal("100000.00"))
    assert september.ho_count == 0
    october = assessment.for_partner(partner.pk, "2026-10")
    assert (october.current.po_count, october.current.po_amount) == (2, Decimal("500000.00"))
    assert (october.current.ho_count, october.current.ho_amount) == (1, Decimal("50000.00"))
    assert [f.total_count for f in october.history[-2:]] == [1, 3]
    rows = {p.pk: p for p in assessment.overview("2026-10")}
    assert rows[partner.pk].total_count == 3 and rows[partner.pk].total_amount == Decimal("550000")
    assert rows[other_partner.pk].po_count == 1 and rows[other_partner.pk].ho_count == 0
    assert list(assessment.overview("2026-10"))[0].pk == partner.pk  # most counted first
    assert opportunity_counts("2026-10") == {partner.pk: 3, other_partner.pk: 1}
    # Region: only customers of that region count; partner type filters the partners.
    assert all(p.total_count == 0 for p in assessment.overview("2026-10", region="north"))
    assert not list(assessment.overview("2026-10", partner_type=PartnerType.DISTRIBUTOR))


def test_assessment_pages_and_export(seeded, partner, owner, outsider, bd, login):
    page = login(owner).get(reverse("opportunities:assessment") + "?period=2026-10")
    assert page.status_code == 200
    assert b'data-testid="stat-total">3<' in page.content
    overview = login(bd).get(reverse("opportunities:assessment_overview") + "?period=2026-10")
    assert (
        overview.status_code == 200 and overview.content.count(b'data-testid="assessment-row"') == 2
    )
    export = login(bd).get(
        reverse("opportunities:assessment_export", args=["csv"]) + "?period=2026-10"
    )
    text = b"".join(export.streaming_content).decode()
    assert "华云数智科技有限公司,2,500000.00,1,50000.00,3,550000.00" in text
    xlsx = login(bd).get(reverse("opportunities:assessment_export", args=["xlsx"]))
    assert xlsx.status_code == 200
    # Outsiders: partners never see the overview, the export or another partner's page.
    for name, args in (
        ("opportunities:assessment_overview", []),
        ("opportunities:assessment_export", ["csv"]),
        ("opportunities:assessment_partner", [partner.pk]),
    ):
        assert login(outsider).get(reverse(name, args=args)).status_code == 403
    mine = login(outsider).get(reverse("opportunities:assessment") + "?period=2026-10")
    assert b'data-testid="stat-total">1<' in mine.content


def test_assessment_api_is_tenant_isolated(seeded, partner, outsider, bd, login):
    rows = login(outsider).get("/api/v1/opportunities/assessment/?period=2026-10").json()
    assert [r["partner"] for r in rows["results"]] == [outsider.partner_id]
    assert login(outsider).get(f"/api/v1/opportunities/assessment/{partner.pk}/").status_code == 404
    all_rows = login(bd).get("/api/v1/opportunities/assessment/?period=2026-10").json()
    assert {r["partner"]: r["total_count"] for r in all_rows["results"]}[partner.pk] == 3
    one = login(bd).get(f"/api/v1/opportunities/assessment/{partner.pk}/?period=2026-10").json()
    assert one["current"]["po_amount"] == "500000.00" and len(one["history"]) == 12


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_assessment_overview_queries_do_not_grow(bd, login):
    client = login(bd)
    PartnerFactory(types=[PartnerType.SOLUTION_PROVIDER], pce=True)
    url = reverse("opportunities:assessment_overview")
    one = _count(client, url)
    for _ in range(49):
        PartnerFactory(types=[PartnerType.SOLUTION_PROVIDER], pce=True)
    assert _count(client, url) == one


# ---- Dashboards --------------------------------------------------------------------------


def test_sla_figures_and_medians_in_working_days_across_a_holiday(seeded):
    figures = dashboards.sla(dashboards.scoped(dashboards.Filters()))
    # Our partner: 3 verified, 1 rejected by BD, 1 expired; the other partner: 1 verified.
    assert (figures.po_verified, figures.po_rejected_by_bd, figures.po_auto_rejected) == (4, 1, 1)
    assert figures.po_decided_in_time == round(5 * 100 / 6, 1)
    assert (figures.ho_accepted, figures.ho_auto_declined) == (1, 1)
    # 1, 2, 5 working days (across National Day) and 2 for the other partner's PO.
    assert figures.median_days_to_verify == 2.0
    assert figures.median_days_to_accept == 3.0


def test_funnel_stages_and_weighted_pipeline(seeded, owner, partner, admin_user):
    p1, p2, _p3 = seeded["pos"]
    services.opportunity_update_progress(actor=owner, opportunity=p1, changes={"stage": "bidding"})
    services.opportunity_update_progress(actor=owner, opportunity=p2, changes={"stage": "won"})
    set_stage_probability(actor=admin_user, stage="bidding", probability=80)
    board = dashboards.partner_dashboard(partner.pk, dashboards.Filters())
    states = {(s.kind, s.state): s.count for s in board.funnel}
    assert states[("po", "verified")] == 3 and states[("po", "rejected")] == 2
    assert states[("ho", "accepted")] == 1 and states[("ho", "expired")] == 1
    stages = {r.stage: r for r in board.stages}
    assert stages["bidding"].weighted == Decimal("80000.00")
    # p3 (300,000) and the HO (50,000) have no stage yet: 10 %.
    assert stages[""].count == 2 and stages[""].weighted == Decimal("35000.00")
    assert board.weighted == Decimal("115000.00")  # won deals are not open
    assert (board.win.won, board.win.lost, board.win.rate) == (1, 0, 100.0)
    with pytest.raises(NotAllowed):
        set_stage_probability(actor=owner, stage="bidding", probability=90)
    assert StageProbability.objects.get(stage="bidding").probability == 80


def test_bd_dashboard_filters_lists_and_breakdown(seeded, owner, bd, partner):
    late = submit(owner, sh(2026, 12, 1, 10), customer_name="今日到期有限公司")
    with time_machine.travel(late.deadline - timedelta(hours=2), tick=False):
        board = dashboards.bd_dashboard(dashboards.Filters(), breakdown_by="region")
        assert [o.pk for o in board.due_today] == [late.pk] and board.overdue == []
    board = dashboards.bd_dashboard(dashboards.Filters(), now=late.deadline + timedelta(minutes=1))
    assert [o.pk for o in board.overdue] == [late.pk]
    # By BD owner (the default): every item in one row per owner, "Nobody" for unowned.
    assert sum(r.total for r in board.breakdown) == 9  # 7 POs and 2 HOs, no draft
    october = dashboards.bd_dashboard(dashboards.Filters(period="2026-10", region="east"))
    rows = {
        r.key: r.total for r in dashboards.breakdown(dashboards.scoped(october.filters), "region")
    }
    assert rows == {"east": 4}  # 2 POs, 1 HO and the other partner's PO of 12 Oct
    assert (
        dashboards.sla(dashboards.scoped(dashboards.Filters(industry="finance"))).po_verified == 0
    )


def test_dashboard_pages_outsiders_and_api(seeded, owner, outsider, bd, login):
    mine = login(owner).get(reverse("opportunities:dashboard"))
    assert mine.status_code == 200 and b"pc-pipe-chart" in mine.content
    assert b'style="' not in mine.content and b"<script>" not in mine.content
    assert login(bd).get(reverse("opportunities:bd_dashboard") + "?by=industry").status_code == 200
    assert login(owner).get(reverse("opportunities:bd_dashboard")).status_code == 403
    assert login(bd).get(reverse("opportunities:dashboard")).status_code == 403
    theirs = login(outsider).get("/api/v1/opportunities/dashboard/partner/").json()
    assert {(s["kind"], s["state"]): s["count"] for s in theirs["funnel"]}[("po", "verified")] == 1
    assert login(outsider).get("/api/v1/opportunities/dashboard/bd/").status_code == 403
    data = login(bd).get("/api/v1/opportunities/dashboard/bd/").json()
    assert data["sla"]["median_days_to_verify"] == 2.0


def _seed_many(owner, bd, n):
    for i in range(n):
        po = make_po(owner, state="verified", bd=bd, customer_name=f"客户{i}有限公司")
        if i % 2:
            services.opportunity_update_progress(
                actor=owner, opportunity=po, changes={"stage": "solution"}
            )


def test_dashboard_queries_do_not_grow(owner, bd, login):
    _seed_many(owner, bd, 1)
    partner_url, bd_url = reverse("opportunities:dashboard"), reverse("opportunities:bd_dashboard")
    one = (_count(login(owner), partner_url), _count(login(bd), bd_url))
    _seed_many(owner, bd, 30)
    assert (_count(login(owner), partner_url), _count(login(bd), bd_url)) == one


# ---- Routing -----------------------------------------------------------------------------


@pytest.fixture
def candidates(db, partner, owner, bd):
    """Three PCE partners: one serving the lead's industry, region and products with a
    label, one serving only the region, one with five HOs pending."""
    fit = partner
    update_ho_profile(
        actor=owner,
        partner_id=fit.pk,
        industries=["manufacturing"],
        regions=["east"],
        products=["ecs", "rds"],
    )
    label = CapabilityLabel.objects.create(code="mig", name_zh="迁移", name_en="Migration")
    LabelApplication.objects.create(partner=fit, label=label, state=LabelApplication.State.GRANTED)
    near = PartnerFactory(name="区域伙伴有限公司", types=[PartnerType.SOLUTION_PROVIDER], pce=True)
    HOProfile.objects.create(partner=near, regions=["east"])
    busy = PartnerFactory(name="忙碌伙伴有限公司", types=[PartnerType.SOLUTION_PROVIDER], pce=True)
    HOProfile.objects.create(
        partner=busy, industries=["manufacturing"], regions=["east"], products=["ecs", "rds"]
    )
    for i in range(routing.MAX_PENDING):
        services.ho_share(
            actor=bd, lead=make_lead(bd, customer_name=f"排队{i}有限公司"), partner=busy
        )
    return fit, near, busy


def test_routing_ranks_and_explains(candidates, bd):
    fit, near, busy = candidates
    lead = make_lead(
        bd, customer_industry="manufacturing", customer_region="east", products=["ecs", "obs"]
    )
    ranked = routing.rank(lead)
    assert [c.partner.pk for c in ranked] == [fit.pk, near.pk, busy.pk]
    best = {f.code: f.points for f in ranked[0].factors}
    # 25 industry + 20 region + 10 products (1 of 2) + 5 label + 7.5 + 5 (no HO ended yet).
    assert best == {
        "industry": 25,
        "region": 20,
        "products": 10.0,
        "labels": 5,
        "acceptance": 7.5,
        "sla": 5.0,
        "pos": 0,
        "load": 0,
    }
    assert ranked[0].score == 72.5
    assert ranked[1].score == 20 + 7.5 + 5.0
    assert not ranked[2].eligible and "5" in ranked[2].reason
    assert {f.code: f.points for f in ranked[2].factors}["load"] == -4 * routing.MAX_PENDING


def test_routing_on_the_share_form_and_api(candidates, bd, owner, login):
    fit, near, busy = candidates
    lead = make_lead(bd, customer_industry="manufacturing", customer_region="east")
    page = login(bd).get(reverse("opportunities:lead_detail", args=[lead.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index(f'value="{fit.pk}"') < html.index(f'value="{near.pk}"')
    assert html.index(f'data-partner="{near.pk}"') < html.index(f'data-partner="{busy.pk}"')
    assert f'value="{fit.pk}" selected' in html
    data = login(bd).get(f"/api/v1/opportunities/routing/{lead.pk}/").json()
    assert data["candidates"][0]["partner"] == fit.pk and data["max_score"] == routing.MAX_SCORE
    assert login(owner).get(f"/api/v1/opportunities/routing/{lead.pk}/").status_code == 403


def test_requirements_page_and_profile(partner, owner, teammate, outsider, bd, login):
    page = login(owner).get(reverse("opportunities:ho_profile"))
    assert page.status_code == 200
    assert b'data-requirement="profile" data-met="no"' in page.content
    saved = login(owner).post(
        reverse("opportunities:ho_profile"),
        {"industries": ["finance"], "regions": ["east", "south"], "products": ["ecs"]},
    )
    assert saved.status_code == 302
    assert HOProfile.objects.get(partner=partner).regions == ["east", "south"]
    reqs = {r.code: r.met for r in routing.requirements(partner.pk)}
    assert reqs["profile"] and reqs["pce"] and not reqs["labels"] and not reqs["pos"]
    # A member sees the requirements but cannot change the profile; BD has no such page.
    assert login(teammate).post(reverse("opportunities:ho_profile"), {}).status_code == 403
    assert login(bd).get(reverse("opportunities:ho_profile")).status_code == 403
    api = login(outsider).get("/api/v1/opportunities/routing/requirements/").json()
    assert api["profile"]["regions"] == [] and not api["all_met"]
    put = login(outsider).put(
        "/api/v1/opportunities/routing/profile/",
        {"industries": ["finance"], "regions": ["nowhere"], "products": []},
        content_type="application/json",
    )
    assert put.status_code == 400 and "regions" in put.json()["fields"]
    assert HOProfile.objects.filter(partner=partner).get().industries == ["finance"]


def test_profile_service_refuses_another_partner(partner, outsider):
    with pytest.raises(NotAllowed):
        update_ho_profile(
            actor=outsider, partner_id=partner.pk, industries=[], regions=[], products=[]
        )
    assert partner_user(partner, Role.PARTNER_MEMBER, email="m@huayun.test").role


def test_profile_and_probability_changes_are_recorded(partner, owner, admin_user):
    from partner_center.audit.models import Event
    from partner_center.audit.verbs import Verb

    kwargs = {"actor": owner, "partner_id": partner.pk, "industries": [], "products": []}
    update_ho_profile(regions=["east"], **kwargs)
    update_ho_profile(regions=["east"], **kwargs)  # nothing changed: nothing recorded
    update_ho_profile(regions=["east", "north"], **kwargs)
    events = Event.objects.filter(verb=Verb.HO_PROFILE_CHANGED).order_by("id")
    assert [e.data["after"]["regions"] for e in events] == [["east"], ["east", "north"]]
    assert events[1].data["before"]["regions"] == ["east"]
    assert {e.partner_id for e in events} == {partner.pk} and events[0].actor == owner
    set_stage_probability(actor=admin_user, stage="bidding", probability=70)
    set_stage_probability(actor=admin_user, stage="bidding", probability=70)
    set_stage_probability(actor=admin_user, stage="bidding", probability=80)
    changes = Event.objects.filter(verb=Verb.STAGE_PROBABILITY_CHANGED).order_by("id")
    assert [(e.data["before"], e.data["after"]) for e in changes][-1] == (70, 80)


def test_routing_queries_do_not_grow_with_partners(candidates, bd):
    lead = make_lead(bd, customer_industry="manufacturing", customer_region="east")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            routing.rank(lead)
        return len(captured)

    few = queries()
    for i in range(10):
        partner = PartnerFactory(types=[PartnerType.SOLUTION_PROVIDER], pce=True)
        HOProfile.objects.create(partner=partner, regions=["east"])
        make_lead(bd, customer_name=f"另一客户{i}有限公司")
    assert queries() == few
