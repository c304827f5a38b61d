"""Estimated incentives and indicators: written once when a period closes, sent to the
subscribers only, computed from the program period's rates (data, not constants)."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from customers.models import Order
from incentives.models import PeriodClose, PeriodStatement
from incentives.services import close_last_period, period_close, statements_send
from incentives.statements import estimated_incentive
from partner_center.accounts.permissions import Role
from partner_center.notifications.models import Notification, Topic
from partner_center.notifications.services import subscribe
from tests.factories import partner_user
from tests.incentives.conftest import make_customer, make_order, shanghai

pytestmark = pytest.mark.django_db


def test_estimate_applies_threshold_and_rate_in_decimal(program):
    assert estimated_incentive(Decimal("999.99"), program) == Decimal("0.00")
    assert estimated_incentive(Decimal("1000.00"), program) == Decimal("20.00")
    assert estimated_incentive(Decimal("12345.67"), program) == Decimal("246.91")  # half up
    assert estimated_incentive(Decimal("-50.00"), program) == Decimal("0.00")
    assert estimated_incentive(Decimal("5000.00"), None) == Decimal("0.00")


def test_rates_are_data_admins_change(program):
    program.performance_rate = Decimal("3.50")
    program.save()
    assert estimated_incentive(Decimal("2000.00"), program) == Decimal("70.00")


def test_program_periods_may_not_overlap(program):
    from incentives.models import ProgramPeriod

    other = ProgramPeriod(
        name="重叠",
        starts_on=date(2026, 12, 1),
        ends_on=date(2027, 5, 31),
        opportunity_rate=1,
        performance_rate=1,
    )
    with pytest.raises(ValidationError):
        other.full_clean()
    other.starts_on = date(2027, 1, 1)
    other.full_clean()


def _subscribe(user, *topics):
    for topic in topics:
        subscribe(actor=user, topic=topic)


def test_closing_a_period_writes_statements_once_and_sends_to_subscribers(
    partner, owner, teammate, program
):
    _subscribe(owner, Topic.ESTIMATED_INCENTIVES, Topic.INDICATOR_DETAILS)
    c1, c2 = make_customer(), make_customer()
    make_order(partner, c1, amount="500.00", formed_at=shanghai(2026, 2, 10, 9))
    make_order(partner, c1, amount="3000.00", formed_at=shanghai(2026, 3, 1, 0, 1))
    make_order(partner, c2, amount="1000.00", formed_at=shanghai(2026, 3, 31, 23, 59))
    make_order(
        partner,
        c2,
        amount="250.00",
        formed_at=shanghai(2026, 3, 20, 9),
        order_type=Order.Type.DOWNGRADE,
    )
    make_order(partner, c2, amount="777.00", formed_at=shanghai(2026, 4, 1, 0, 0))  # April
    with time_machine.travel(shanghai(2026, 4, 1, 3, 30), tick=False):
        result = close_last_period()
    assert result.period == "2026-03"
    statement = PeriodStatement.objects.get(partner=partner, period="2026-03")
    assert statement.performance == Decimal("3750.00")
    assert statement.previous_performance == Decimal("500.00")
    assert statement.order_count == 3
    assert statement.customer_count == 2
    assert statement.new_customer_count == 1  # c1 ordered in February already
    assert statement.rate == Decimal("2.00") and statement.program == program
    assert statement.estimated_incentive == Decimal("75.00")
    assert statement.achievement == Decimal("37.5")
    assert statement.growth == Decimal("650.0")
    assert statement.notified_at is not None
    kinds = sorted(Notification.objects.filter(recipient=owner).values_list("kind", flat=True))
    assert kinds == ["topic.estimated_incentives", "topic.indicator_details"]
    assert not Notification.objects.filter(recipient=teammate).exists()
    note = Notification.objects.get(recipient=owner, kind="topic.estimated_incentives")
    assert "75.00" in note.title and note.link == "/incentives/estimates/2026-03/"
    # the task runs again on the 2nd and 3rd: nothing is written or sent twice
    with time_machine.travel(shanghai(2026, 4, 2, 3, 30), tick=False):
        again = close_last_period()
    assert again.written == 0 and again.sent == 0
    assert Notification.objects.filter(recipient=owner).count() == 2
    assert PeriodClose.objects.filter(period="2026-03").count() == 1


def test_a_statement_for_every_selling_partner_and_a_late_run(partner, other_partner, program):
    make_order(partner, amount="10.00", formed_at=shanghai(2026, 1, 9, 9))
    with time_machine.travel(shanghai(2026, 3, 15, 12), tick=False):
        result = period_close(period="2026-01")  # weeks late
    assert result.written == 2
    figures = dict(
        PeriodStatement.objects.filter(period="2026-01").values_list("partner_id", "performance")
    )
    assert figures == {partner.pk: Decimal("10.00"), other_partner.pk: Decimal("0.00")}


def test_an_open_period_cannot_be_closed(partner):
    with time_machine.travel(shanghai(2026, 3, 15, 12), tick=False), pytest.raises(ValueError):
        period_close(period="2026-03")


def test_unsent_statements_are_sent_once(partner, owner, program):
    _subscribe(owner, Topic.ESTIMATED_INCENTIVES)
    with time_machine.travel(shanghai(2026, 4, 1, 3, 30), tick=False):
        period_close(period="2026-03")
    assert statements_send(period="2026-03") == 0
    assert Notification.objects.filter(recipient=owner).count() == 1


def test_performance_subscribers_hear_that_the_period_closed(partner, owner, program):
    _subscribe(owner, Topic.PERFORMANCE)
    make_order(partner, amount="88.00", formed_at=shanghai(2026, 3, 9, 9))
    with time_machine.travel(shanghai(2026, 4, 1, 3, 30), tick=False):
        period_close(period="2026-03")
    note = Notification.objects.get(recipient=owner)
    assert note.kind == "topic.performance" and "88.00" in note.title
    assert note.link == "/incentives/performance/?period=2026-03"


# ---------------------------------------------------------------- pages


def test_estimates_page_shows_the_running_period_and_closed_statements(
    login, owner, partner, program
):
    make_order(partner, amount="2000.00", formed_at=shanghai(2026, 2, 9, 9))
    make_order(partner, amount="1500.00", formed_at=shanghai(2026, 3, 9, 9))
    with time_machine.travel(shanghai(2026, 3, 20, 12), tick=False):
        period_close(period="2026-02")
        client = login(owner)
        response = client.get(reverse("incentives:estimates"))
        running = response.context["running"]
        assert running.period == "2026-03" and running.performance == Decimal("1500.00")
        assert running.estimated_incentive == Decimal("30.00")
        assert [s.period for s in response.context["page_obj"]] == ["2026-02"]
        closed = client.get(reverse("incentives:estimate_detail", args=["2026-02"]))
        assert closed.context["statement"].estimated_incentive == Decimal("40.00")
        assert not closed.context["running"]
        live = client.get(reverse("incentives:estimate_detail", args=["2026-03"]))
        assert live.context["running"]
        assert (
            client.get(reverse("incentives:estimate_detail", args=["2026-05"])).status_code == 404
        )
        assert (
            client.get(reverse("incentives:estimate_detail", args=["2026-13"])).status_code == 404
        )


def test_outsider_sees_no_other_statement(login, partner, outsider, program):
    make_order(partner, amount="4321.00", formed_at=shanghai(2026, 2, 9, 9))
    with time_machine.travel(shanghai(2026, 3, 20, 12), tick=False):
        period_close(period="2026-02")
        client = login(outsider)
        page = client.get(reverse("incentives:estimates")).content.decode()
        assert "4,321.00" not in page
        detail = client.get(reverse("incentives:estimate_detail", args=["2026-02"]))
        assert detail.context["statement"].partner_id == outsider.partner_id
        assert detail.context["statement"].performance == 0


def test_bd_opens_a_partners_statement(login, bd, partner, program):
    make_order(partner, amount="4321.00", formed_at=shanghai(2026, 2, 9, 9))
    with time_machine.travel(shanghai(2026, 3, 20, 12), tick=False):
        period_close(period="2026-02")
        client = login(bd)
        url = reverse("incentives:estimate_detail", args=["2026-02"])
        assert client.get(url).status_code == 404  # which partner?
        assert client.get(url + f"?partner={partner.pk}").context[
            "statement"
        ].performance == Decimal("4321.00")


def test_estimates_list_query_count_is_fixed_for_1_and_50_rows(login, owner, partner, program):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from incentives.models import PeriodStatement

    PeriodStatement.objects.create(partner=partner, period="2020-01", performance=Decimal("1"))
    client = login(owner)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("incentives:estimates")).status_code == 200
        return len(ctx.captured_queries)

    one = count()
    PeriodStatement.objects.bulk_create(
        PeriodStatement(
            partner=partner, period=f"20{20 + i // 12}-{i % 12 + 1:02d}", performance=Decimal("1")
        )
        for i in range(1, 50)
    )
    assert count() == one


def test_program_page_shows_the_rates_to_every_partner(login, db, program):
    from partner_center.accounts.permissions import PartnerType
    from tests.factories import PartnerFactory

    learning = partner_user(PartnerFactory(types=[PartnerType.LEARNING]), Role.PARTNER_ADMIN)
    html = login(learning).get(reverse("incentives:program")).content.decode()
    assert "5.00%" in html and program.name in html
