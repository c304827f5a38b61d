"""The PCE opportunity-sharing incentive: eligibility and each reason, the delivery-day rule
across midnight in Asia/Shanghai, every transition and the dispute loop, amounts in Decimal,
notifications, and who may take which step."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from incentives import services
from incentives.eligibility import Reason
from incentives.models import IncentiveApplication, ProgramPeriod
from partner_center.accounts.permissions import Role
from partner_center.audit.selectors import timeline_for
from partner_center.errors import DomainError
from partner_center.notifications.models import Notification
from partner_center.programs.models import PCEApplication
from tests.factories import partner_user
from tests.incentives.conftest import (
    delivered_opportunity,
    linked_orders,
    make_customer,
    make_order,
    make_program,
    shanghai,
)
from tests.opportunities.conftest import make_po

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_march")]
S = IncentiveApplication.State
NOW = shanghai(2026, 3, 20, 10)


def _reason(owner, opportunity, offering="ecs"):
    with pytest.raises(DomainError) as caught:
        services.incentive_apply(actor=owner, opportunity=opportunity, offering=offering)
    return caught.value.code


# ---------------------------------------------------------------- eligibility


def test_an_eligible_opportunity_is_applied_for(owner, opportunity, bd, program):
    application = services.incentive_apply(
        actor=owner, opportunity=opportunity, offering="ecs", note="MES 上云已交付"
    )
    assert application.state == S.UNDER_REVIEW
    assert application.program == program
    assert application.delivery_completed_on == date(2026, 3, 10)
    event = timeline_for(application).get()
    assert (event.verb, event.from_state, event.to_state) == (
        "incentive.apply",
        "",
        "under_review",
    )
    assert Notification.objects.filter(recipient=bd, kind="incentives.applied").exists()


def test_reason_not_a_pce_member(owner, opportunity, partner):
    PCEApplication.objects.filter(partner=partner).update(state=PCEApplication.State.REJECTED)
    assert _reason(owner, opportunity) == Reason.NOT_PCE


def test_reason_not_verified_or_accepted(owner, bd, program):
    po = make_po(owner, state="submitted", bd=bd)
    assert _reason(owner, po) == Reason.NOT_COUNTED


def test_reason_no_core_label(owner, bd, program):
    po = delivered_opportunity(owner, bd, delivered_on=date(2026, 3, 10), core_label=False)
    assert _reason(owner, po) == Reason.NO_CORE_LABEL


def test_reason_delivery_not_completed(owner, bd, program):
    from opportunities import services as opportunity_services

    po = make_po(owner, state="verified", bd=bd)
    po = opportunity_services.opportunity_set_core_label(actor=bd, opportunity=po, core_label=True)
    assert po.delivery_completed_on is None
    assert _reason(owner, po) == Reason.DELIVERY_NOT_COMPLETED


def test_reason_delivery_ended_today(owner, bd, program):
    po = delivered_opportunity(owner, bd, delivered_on=date(2026, 3, 20))
    with pytest.raises(DomainError) as caught:
        services.incentive_apply(actor=owner, opportunity=po, offering="ecs")
    assert caught.value.code == Reason.DELIVERY_ENDED_TODAY
    assert "2026-03-21" in str(caught.value.message)


def test_reason_not_one_of_the_products(owner, opportunity):
    assert opportunity.products == ["ecs", "rds"]
    assert _reason(owner, opportunity, offering="cdn") == Reason.NOT_AN_OFFERING


def test_reason_already_applied_for_this_offering(owner, opportunity):
    services.incentive_apply(actor=owner, opportunity=opportunity, offering="ecs")
    assert _reason(owner, opportunity, offering="ecs") == Reason.ALREADY_APPLIED
    # another offering of the same opportunity is a separate application
    services.incentive_apply(actor=owner, opportunity=opportunity, offering="rds")
    assert IncentiveApplication.objects.count() == 2


def test_reason_no_program_period_covers_the_delivery(owner, bd):
    make_program(starts_on=date(2026, 4, 1), ends_on=date(2026, 12, 31))
    po = delivered_opportunity(owner, bd, delivered_on=date(2026, 3, 10))
    assert _reason(owner, po) == Reason.NO_PROGRAM


def test_another_partners_opportunity_cannot_be_applied_for(outsider, opportunity):
    assert _reason(outsider, opportunity) == "forbidden"


def test_the_database_allows_one_application_per_opportunity_and_offering(
    owner, opportunity, program
):
    from django.db import IntegrityError, transaction

    values = {
        "partner": opportunity.partner,
        "opportunity": opportunity,
        "offering": "ecs",
        "program": program,
        "delivery_completed_on": date(2026, 3, 10),
    }
    IncentiveApplication.objects.create(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        IncentiveApplication.objects.create(**values)


# ---------------------------------------------------------------- the delivery day, Asia/Shanghai


def test_application_opens_at_midnight_shanghai_after_the_delivery_day(owner, bd, program):
    with time_machine.travel(shanghai(2026, 3, 10, 9), tick=False):
        po = delivered_opportunity(owner, bd, delivered_on=date(2026, 3, 10))
    # 23:59:59 in Shanghai on the delivery day (15:59:59 UTC): still the delivery day
    with time_machine.travel(shanghai(2026, 3, 10, 23, 59, 59), tick=False):
        assert _reason(owner, po) == Reason.DELIVERY_ENDED_TODAY
    # 00:00:30 in Shanghai the next day is still 16:00:30 on the 10th in UTC: open
    with time_machine.travel(shanghai(2026, 3, 11, 0, 0, 30), tick=False):
        application = services.incentive_apply(actor=owner, opportunity=po, offering="ecs")
    assert application.applied_at.astimezone(shanghai(2026, 1, 1).tzinfo).date() == date(
        2026, 3, 11
    )
    assert application.applied_at.date() == date(2026, 3, 10)  # the UTC date


def test_pending_tab_explains_the_delivery_day_across_midnight(login, owner, bd, program):
    with time_machine.travel(shanghai(2026, 3, 10, 9), tick=False):
        delivered_opportunity(owner, bd, delivered_on=date(2026, 3, 10))
    url = reverse("incentives:applications")
    with time_machine.travel(shanghai(2026, 3, 10, 23, 59), tick=False):
        rows = login(owner).get(url).context["page_obj"].object_list
        assert {r.verdict.reason for r in rows} == {Reason.DELIVERY_ENDED_TODAY}
        assert rows[0].verdict.opens_on == date(2026, 3, 11)
    with time_machine.travel(shanghai(2026, 3, 11, 0, 1), tick=False):
        rows = login(owner).get(url).context["page_obj"].object_list
        assert all(r.verdict.ok for r in rows) and len(rows) == 2


def test_pending_lists_only_core_label_and_delivered_and_explains_the_others(
    login, owner, bd, program
):
    ready = delivered_opportunity(owner, bd, delivered_on=date(2026, 3, 10))
    unlabelled = delivered_opportunity(
        owner, bd, delivered_on=date(2026, 3, 10), core_label=False, project_name="无标签项目"
    )
    make_po(owner, state="submitted", bd=bd, project_name="审核中项目")
    services.incentive_apply(actor=owner, opportunity=ready, offering="rds")
    response = login(owner).get(reverse("incentives:applications"))
    rows = response.context["page_obj"].object_list
    assert [(r.verdict.opportunity.pk, r.verdict.offering) for r in rows] == [(ready.pk, "ecs")]
    not_listed = response.context["pending"].not_listed
    assert [(v.opportunity.pk, v.reason) for v in not_listed] == [
        (unlabelled.pk, Reason.NO_CORE_LABEL)
    ]
    html = response.content.decode()
    assert "无标签项目" in html and "审核中项目" not in html


# ---------------------------------------------------------------- the flow and the amounts


def test_basis_is_the_opportunitys_performance_for_the_offering_up_to_the_delivery_day(
    owner, partner, opportunity
):
    linked_orders(opportunity, partner, "1000.00", "234.56")
    linked_orders(opportunity, partner, "500.00", product_code="rds")  # other offering
    linked_orders(opportunity, partner, "70.00", formed_at=shanghai(2026, 3, 10, 23, 59))
    linked_orders(opportunity, partner, "999.00", formed_at=shanghai(2026, 3, 11, 0, 0))
    make_order(partner, make_customer(name="别的客户有限公司"), amount="888.00")
    assert services.performance_basis(opportunity.pk, "ecs", date(2026, 3, 10)) == Decimal(
        "1304.56"
    )
    assert services.performance_basis(opportunity.pk, "rds", date(2026, 3, 10)) == Decimal("500.00")


def test_full_flow_with_a_dispute_loop(owner, bd, partner, opportunity, program):
    linked_orders(opportunity, partner, "123456.78")
    app = services.incentive_apply(actor=owner, opportunity=opportunity, offering="ecs")
    app = services.incentive_publish(actor=bd, application=app)
    assert app.state == S.PUBLICITY
    assert app.basis == Decimal("123456.78")
    assert app.rate == Decimal("5.00")
    assert app.amount == Decimal("6172.84")  # 6172.839 rounded half up
    assert app.tax_rate == Decimal("6.00")
    assert app.tax == Decimal("370.37")
    assert app.total == Decimal("6543.21")
    assert all(isinstance(v, Decimal) for v in (app.basis, app.amount, app.tax, app.total))
    assert Notification.objects.filter(recipient=owner, kind="incentives.published").exists()

    app = services.incentive_dispute(
        actor=owner, application=app, reason="漏算了 3 月 9 日的订单 10,000 元"
    )
    assert app.state == S.UNDER_REVIEW and app.dispute_count == 1
    assert Notification.objects.filter(recipient=bd, kind="incentives.disputed").exists()
    with pytest.raises(DomainError) as caught:
        services.incentive_publish(actor=bd, application=app, basis="133456.78")
    assert caught.value.field == "note"  # a corrected basis needs a reason
    app = services.incentive_publish(
        actor=bd, application=app, basis="133456.78", note="补计 3 月 9 日订单"
    )
    assert app.state == S.PUBLICITY and app.amount == Decimal("6672.84")
    app = services.incentive_confirm(actor=owner, application=app)
    assert app.state == S.CONFIRMED
    app = services.incentive_request_payment(actor=owner, application=app, invoice_no="No.0098765")
    assert app.state == S.PAYMENT_REQUESTED and app.invoice_no == "No.0098765"
    assert Notification.objects.filter(recipient=bd, kind="incentives.payment_requested").exists()
    app = services.incentive_mark_paid(actor=bd, application=app, reference="PAY-2026-0042")
    assert app.state == S.COMPLETED and app.paid_at is not None
    steps = [(e.verb, e.from_state, e.to_state) for e in timeline_for(app)]
    assert steps == [
        ("incentive.apply", "", "under_review"),
        ("incentive.publish", "under_review", "publicity"),
        ("incentive.dispute", "publicity", "under_review"),
        ("incentive.publish", "under_review", "publicity"),
        ("incentive.confirm", "publicity", "confirmed"),
        ("incentive.request_payment", "confirmed", "payment_requested"),
        ("incentive.mark_paid", "payment_requested", "completed"),
    ]
    assert Notification.objects.filter(recipient=owner, kind="incentives.paid").exists()


def test_the_cap_of_the_program_period_limits_the_amount(owner, bd, partner, opportunity, program):
    ProgramPeriod.objects.filter(pk=program.pk).update(opportunity_cap=Decimal("5000.00"))
    linked_orders(opportunity, partner, "200000.00")
    app = services.incentive_apply(actor=owner, opportunity=opportunity, offering="ecs")
    app = services.incentive_publish(actor=bd, application=app)
    assert app.amount == Decimal("5000.00") and app.capped
    assert app.tax == Decimal("300.00") and app.total == Decimal("5300.00")


def test_a_rejected_application_is_final(owner, bd, opportunity):
    app = services.incentive_apply(actor=owner, opportunity=opportunity, offering="ecs")
    with pytest.raises(DomainError):
        services.incentive_reject(actor=bd, application=app, reason="  ")
    app = services.incentive_reject(actor=bd, application=app, reason="交付材料不足")
    assert app.state == S.REJECTED
    for call in (
        lambda: services.incentive_publish(actor=bd, application=app),
        lambda: services.incentive_confirm(actor=owner, application=app),
        lambda: services.incentive_mark_paid(actor=bd, application=app),
    ):
        with pytest.raises(DomainError) as caught:
            call()
        assert caught.value.code == "wrong_state"


@pytest.mark.parametrize(
    "step",
    ["confirm", "dispute", "request_payment", "mark_paid"],
)
def test_steps_out_of_order_are_refused(owner, bd, opportunity, step):
    app = services.incentive_apply(actor=owner, opportunity=opportunity, offering="ecs")
    calls = {
        "confirm": lambda: services.incentive_confirm(actor=owner, application=app),
        "dispute": lambda: services.incentive_dispute(actor=owner, application=app, reason="x"),
        "request_payment": lambda: services.incentive_request_payment(
            actor=owner, application=app, invoice_no="1"
        ),
        "mark_paid": lambda: services.incentive_mark_paid(actor=bd, application=app),
    }
    with pytest.raises(DomainError) as caught:
        calls[step]()
    assert caught.value.code == "wrong_state"
    app.refresh_from_db()
    assert app.state == S.UNDER_REVIEW


def test_a_dispute_needs_a_reason_and_a_payment_request_an_invoice(owner, bd, opportunity):
    app = services.incentive_apply(actor=owner, opportunity=opportunity, offering="ecs")
    app = services.incentive_publish(actor=bd, application=app)
    with pytest.raises(DomainError) as caught:
        services.incentive_dispute(actor=owner, application=app, reason="")
    assert caught.value.field == "reason"
    app = services.incentive_confirm(actor=owner, application=app)
    with pytest.raises(DomainError) as caught:
        services.incentive_request_payment(actor=owner, application=app, invoice_no=" ")
    assert caught.value.field == "invoice_no"


def test_who_takes_which_step(owner, teammate, outsider, bd, opportunity):
    app = services.incentive_apply(actor=teammate, opportunity=opportunity, offering="ecs")
    with pytest.raises(DomainError):
        services.incentive_publish(actor=owner, application=app)  # partners don't publish
    app = services.incentive_publish(actor=bd, application=app)
    with pytest.raises(DomainError):
        services.incentive_confirm(actor=teammate, application=app)  # no money grant
    with pytest.raises(DomainError):
        services.incentive_confirm(actor=outsider, application=app)
    with pytest.raises(DomainError):
        services.incentive_confirm(actor=bd, application=app)
    granted = partner_user(owner.partner, Role.PARTNER_MEMBER, can_move_money=True)
    assert services.incentive_confirm(actor=granted, application=app).state == S.CONFIRMED


# ---------------------------------------------------------------- performance linked to opportunities


def test_orders_are_linked_to_the_opportunity_they_belong_to(owner, bd, partner, program):
    po = delivered_opportunity(
        owner, bd, delivered_on=date(2026, 3, 15), customer_credit_code="", products=["ecs"]
    )
    verified_at = po.verified_at
    by_name = make_customer(name=po.customer_name.replace("有限公司", " 有限公司"))
    after = make_order(partner, by_name, amount="10.00", formed_at=verified_at + timedelta(hours=1))
    before = make_order(
        partner, by_name, amount="20.00", formed_at=verified_at - timedelta(hours=1)
    )
    other_product = make_order(
        partner, by_name, amount="30.00", product_code="obs", formed_at=verified_at
    )
    stranger = make_order(partner, make_customer(name="陌生客户有限公司"), amount="40.00")
    links = {o.pk: o.performance.opportunity_id for o in (after, before, other_product, stranger)}
    assert links == {after.pk: po.pk, before.pk: None, other_product.pk: None, stranger.pk: None}


def test_an_order_of_another_partner_is_never_linked(owner, bd, other_partner, opportunity):
    customer = make_customer(name=opportunity.customer_name)
    order = make_order(other_partner, customer, amount="10.00", formed_at=NOW)
    assert order.performance.opportunity_id is None
