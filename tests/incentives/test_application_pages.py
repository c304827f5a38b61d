"""The incentive pages: the partner's tabs, applying, checking and confirming, BD's queue and
steps; outsiders get 404 everywhere; fixed query counts on the lists."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incentives import services
from incentives.models import IncentiveApplication
from opportunities.catalog import Product
from partner_center.accounts.permissions import PartnerType, Role
from tests.factories import PartnerFactory, partner_user
from tests.incentives.conftest import deliver, linked_orders, shanghai
from tests.opportunities.conftest import make_po

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_march")]
S = IncentiveApplication.State


@pytest.fixture
def application(owner, opportunity):
    return services.incentive_apply(actor=owner, opportunity=opportunity, offering="ecs")


def _detail(app):
    return reverse("incentives:application_detail", args=[app.pk])


def _step(app, step):
    return reverse("incentives:application_step", args=[app.pk, step])


def test_apply_through_the_pages(login, owner, partner, opportunity):
    linked_orders(opportunity, partner, "800.00", formed_at=shanghai(2026, 3, 5, 9))
    client = login(owner)
    pending = client.get(reverse("incentives:applications"))
    assert pending.status_code == 200
    url = reverse("incentives:application_apply", args=[opportunity.pk, "ecs"])
    assert url in pending.content.decode()
    page = client.get(url)
    assert page.context["verdict"].ok and page.context["basis"] == 800
    response = client.post(url, {"note": "请审核"})
    app = IncentiveApplication.objects.get()
    assert response.status_code == 302 and response.url == _detail(app)
    again = client.get(url)
    assert again.context["verdict"].reason == "already_applied"
    assert again.context["existing"] == app
    assert client.post(url, {"note": "再来"}).status_code == 200
    assert IncentiveApplication.objects.count() == 1


def test_apply_page_explains_an_ineligible_opportunity(login, owner, bd, program):
    po = make_po(owner, state="verified", bd=bd, project_name="未打标项目")
    po = deliver(po, owner, bd, delivered_on=date(2026, 3, 10), core_label=False)
    response = login(owner).get(reverse("incentives:application_apply", args=[po.pk, "ecs"]))
    assert response.context["verdict"].reason == "no_core_label"
    assert 'data-testid="ineligible"' in response.content.decode()
    assert 'data-testid="apply-submit"' not in response.content.decode()


def test_check_confirm_and_request_payment_through_the_pages(login, owner, bd, application):
    services.incentive_publish(actor=bd, application=application)
    client = login(owner)
    applied = client.get(reverse("incentives:applications") + "?tab=applied&state=publicity")
    assert [a.pk for a in applied.context["page_obj"]] == [application.pk]
    assert 'data-testid="check"' in applied.content.decode()
    detail = client.get(_detail(application))
    assert "confirm" in detail.context["steps"] and "dispute" in detail.context["steps"]
    assert client.post(_step(application, "confirm")).status_code == 302
    bad = client.post(_step(application, "request_payment"), {"request_payment-invoice_no": ""})
    assert bad.status_code == 200 and bad.context["forms"]["request_payment"].errors
    ok = client.post(_step(application, "request_payment"), {"request_payment-invoice_no": "INV-1"})
    assert ok.status_code == 302
    application.refresh_from_db()
    assert application.state == S.PAYMENT_REQUESTED


def test_dispute_needs_a_reason_shown_next_to_the_field(login, owner, bd, application):
    services.incentive_publish(actor=bd, application=application)
    client = login(owner)
    response = client.post(_step(application, "dispute"), {"dispute-reason": ""})
    assert response.status_code == 200 and response.context["forms"]["dispute"].errors["reason"]
    response = client.post(_step(application, "dispute"), {"dispute-reason": "基数少算"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW and application.dispute_reason == "基数少算"


def test_bd_publishes_rejects_and_marks_paid_through_the_pages(login, bd, owner, opportunity):
    client = login(bd)
    first = services.incentive_apply(actor=owner, opportunity=opportunity, offering="ecs")
    second = services.incentive_apply(actor=owner, opportunity=opportunity, offering="rds")
    queue = client.get(reverse("incentives:review"))
    assert {a.pk for a in queue.context["page_obj"]} == {first.pk, second.pk}
    detail = client.get(_detail(first))
    assert detail.context["steps"] == {"publish", "reject"}
    bad = client.post(_step(first, "publish"), {"publish-basis": "10.00", "publish-note": ""})
    assert bad.status_code == 200 and bad.context["forms"]["publish"].errors["note"]
    ok = client.post(_step(first, "publish"), {"publish-basis": "", "publish-note": ""})
    assert ok.status_code == 302
    rejected = client.post(_step(second, "reject"), {"reject-reason": "重复申请"})
    assert rejected.status_code == 302
    services.incentive_confirm(actor=owner, application=first)
    services.incentive_request_payment(actor=owner, application=first, invoice_no="INV-9")
    paid = client.post(_step(first, "mark_paid"), {"mark_paid-reference": "PAY-1"})
    assert paid.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (S.COMPLETED, S.REJECTED)


def test_a_step_in_the_wrong_state_says_so(login, owner, application):
    response = login(owner).post(_step(application, "confirm"), follow=True)
    assert response.status_code == 200
    assert "not possible" in response.content.decode() or "不" in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW


# ---------------------------------------------------------------- who sees what


def test_outsider_gets_404_on_every_application_page(login, outsider, application, opportunity):
    client = login(outsider)
    assert client.get(_detail(application)).status_code == 404
    for step in ("confirm", "dispute", "request_payment", "publish", "reject", "mark_paid"):
        assert client.post(_step(application, step)).status_code == 404, step
    apply_url = reverse("incentives:application_apply", args=[opportunity.pk, "ecs"])
    assert client.get(apply_url).status_code == 404
    assert client.post(apply_url, {"note": ""}).status_code == 404
    for tab in ("pending", "applied"):
        html = client.get(reverse("incentives:applications") + f"?tab={tab}").content.decode()
        assert opportunity.project_name not in html


def test_partners_cannot_take_bd_steps_and_bd_cannot_apply(
    login, owner, bd, application, opportunity
):
    assert login(owner).post(_step(application, "publish")).status_code == 403
    assert login(owner).get(reverse("incentives:review")).status_code == 403
    assert login(bd).get(reverse("incentives:applications")).status_code == 403
    url = reverse("incentives:application_apply", args=[opportunity.pk, "rds"])
    assert login(bd).get(url).status_code == 403
    assert login(bd).post(_step(application, "confirm")).status_code == 403


def test_a_member_without_the_money_grant_sees_but_cannot_confirm(login, teammate, bd, application):
    services.incentive_publish(actor=bd, application=application)
    client = login(teammate)
    detail = client.get(_detail(application))
    assert detail.status_code == 200 and "confirm" not in detail.context["steps"]
    assert client.post(_step(application, "confirm")).status_code == 403


def test_unknown_step_is_404(login, owner, application):
    assert login(owner).post(_step(application, "approve")).status_code == 404


def test_anonymous_goes_to_login(client, application):
    for url in (
        reverse("incentives:applications"),
        _detail(application),
        reverse("incentives:review"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/login/")


def test_home_cards(login, owner, bd, application):
    from incentives.home import cards

    assert [c.value for c in cards(bd)] == ["1"]
    services.incentive_publish(actor=bd, application=application)
    (card,) = cards(owner)
    assert card.value == "1" and "publicity" in card.url
    assert (
        cards(partner_user(PartnerFactory(types=[PartnerType.LEARNING]), Role.PARTNER_ADMIN)) == []
    )


# ---------------------------------------------------------------- query counts


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


ALL = list(Product.values)


def _many_opportunities(owner, bd, n):
    with time_machine.travel(shanghai(2026, 3, 1, 9), tick=False):
        pos = [
            make_po(owner, state="verified", bd=bd, products=ALL, customer_name=f"客户{i}有限公司")
            for i in range(n)
        ]
    return [deliver(po, owner, bd, delivered_on=date(2026, 3, 10)) for po in pos]


def test_pending_tab_query_count_is_fixed_for_1_and_50_rows(login, owner, bd, program):
    with time_machine.travel(shanghai(2026, 3, 1, 9), tick=False):
        one = make_po(owner, state="verified", bd=bd, products=["ecs"])
    deliver(one, owner, bd, delivered_on=date(2026, 3, 10))
    client = login(owner)
    url = reverse("incentives:applications")
    first = _count(client, url)
    assert len(client.get(url).context["pending"].rows) == 1
    _many_opportunities(owner, bd, 4)
    assert len(client.get(url).context["pending"].rows) == 1 + 4 * len(ALL)
    assert _count(client, url) == first


def test_applied_tab_and_review_queue_query_counts_are_fixed(login, owner, bd, program):
    opps = _many_opportunities(owner, bd, 4)
    services.incentive_apply(actor=owner, opportunity=opps[0], offering=ALL[0])
    partner_client, bd_client = login(owner), login(bd)
    applied = reverse("incentives:applications") + "?tab=applied"
    queue = reverse("incentives:review")
    counts = (_count(partner_client, applied), _count(bd_client, queue))
    made = 1
    for opp in opps:
        for offering in ALL:
            if made >= 50:
                break
            if (opp, offering) == (opps[0], ALL[0]):
                continue
            services.incentive_apply(actor=owner, opportunity=opp, offering=offering)
            made += 1
    assert IncentiveApplication.objects.count() == 50
    assert (_count(partner_client, applied), _count(bd_client, queue)) == counts
