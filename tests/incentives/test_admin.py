"""Django admin: program periods are edited there (rates are data); records and statements
are read-only; the admin pages open with their filters and searches."""

from datetime import date

import pytest
from django.urls import reverse

from incentives.models import ProgramPeriod
from tests.incentives.conftest import make_order

pytestmark = pytest.mark.django_db


def test_admin_changes_a_rate_and_refuses_an_overlap(login, admin_user, program):
    client = login(admin_user)
    url = reverse("admin:incentives_programperiod_change", args=[program.pk])
    form = {
        "name": program.name,
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "opportunity_rate": "7.50",
        "opportunity_cap": "",
        "tax_rate": "6.00",
        "performance_rate": "2.00",
        "performance_threshold": "1000.00",
        "monthly_target": "10000.00",
        "rules_zh": "新规则",
        "rules_en": "New rules",
    }
    assert client.post(url, form).status_code == 302
    program.refresh_from_db()
    assert str(program.opportunity_rate) == "7.50"
    add = reverse("admin:incentives_programperiod_add")
    response = client.post(add, {**form, "name": "重叠", "starts_on": "2026-06-01"})
    assert response.status_code == 200
    assert ProgramPeriod.objects.count() == 1
    response = client.post(
        add, {**form, "name": "2027", "starts_on": "2027-01-01", "ends_on": "2027-12-31"}
    )
    assert response.status_code == 302
    assert ProgramPeriod.objects.filter(starts_on=date(2027, 1, 1)).exists()


def test_admin_lists_open(login, admin_user, partner, program):
    make_order(partner, amount="10.00")
    client = login(admin_user)
    for name in ("performancerecord", "periodclose", "periodstatement", "programperiod"):
        url = reverse(f"admin:incentives_{name}_changelist")
        assert client.get(url + "?q=x").status_code == 200, name
        assert client.get(url).status_code == 200, name


def test_performance_records_are_read_only_in_admin(login, admin_user, partner):
    make_order(partner, amount="10.00")
    assert (
        login(admin_user).get(reverse("admin:incentives_performancerecord_add")).status_code == 403
    )


def test_admin_publishes_and_marks_paid_through_the_services(login, admin_user, owner, bd):
    import time_machine

    from incentives import services
    from incentives.models import IncentiveApplication
    from tests.incentives.conftest import deliver, make_program, shanghai
    from tests.opportunities.conftest import make_po

    make_program()
    with time_machine.travel(shanghai(2026, 3, 1, 9), tick=False):
        po = make_po(owner, state="verified", bd=bd)
    with time_machine.travel(shanghai(2026, 3, 20, 9), tick=False):
        po = deliver(po, owner, bd, delivered_on=date(2026, 3, 10))
        app = services.incentive_apply(actor=owner, opportunity=po, offering="ecs")
    client = login(admin_user)
    changelist = reverse("admin:incentives_incentiveapplication_changelist")
    assert client.get(changelist + "?q=MES").status_code == 200
    assert (
        client.get(
            reverse("admin:incentives_incentiveapplication_change", args=[app.pk])
        ).status_code
        == 200
    )
    client.post(changelist, {"action": "action_publish", "_selected_action": [app.pk]})
    app.refresh_from_db()
    assert app.state == IncentiveApplication.State.PUBLICITY and app.published_by == admin_user
    # marking paid is refused while the partner has not requested the payment
    client.post(changelist, {"action": "action_mark_paid", "_selected_action": [app.pk]})
    app.refresh_from_db()
    assert app.state == IncentiveApplication.State.PUBLICITY
    services.incentive_confirm(actor=owner, application=app)
    services.incentive_request_payment(actor=owner, application=app, invoice_no="INV")
    client.post(changelist, {"action": "action_mark_paid", "_selected_action": [app.pk]})
    app.refresh_from_db()
    assert app.state == IncentiveApplication.State.COMPLETED
    assert reverse("admin:incentives_incentiveapplication_add")
    assert client.get(reverse("admin:incentives_incentiveapplication_add")).status_code == 403
