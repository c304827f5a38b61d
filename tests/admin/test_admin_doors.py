"""Django admin is one more door into the services in every app: refusals are form errors
or messages (never a 500), records can't be deleted, config edits leave a history."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission

from billing.models import Bill
from customers.models import AgreementVersion
from incentives.models import ProgramPeriod
from partner_center.accounts.permissions import PartnerType, Role
from partner_center.audit.models import Event
from partner_center.helpcenter.models import FAQEntry
from partner_center.members.models import Membership
from partner_center.notifications.services import notify
from partner_center.programs.models import PCEApplication
from partner_center.workcalendar.models import CalendarDay
from tests.billing.factories import make_bill
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_staff_user_without_the_capability_gets_a_form_error_not_a_500(login):
    """customers: adding an agreement version publishes it through agreement_publish,
    which refuses a BD user even with Django's model permission."""
    staff = UserFactory(role=Role.BD, is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_agreementversion", "view_agreementversion"])
    )
    before = AgreementVersion.objects.count()
    response = login(staff).post(
        "/admin/customers/agreementversion/add/",
        {"title_zh": "须知", "title_en": "Notice", "body_zh": "正文", "body_en": "Text"},
    )
    assert response.status_code == 200
    assert "You are not allowed to do this." in response.content.decode()
    assert AgreementVersion.objects.count() == before


def test_records_cannot_be_deleted_in_admin(login, admin_user, partner, owner):
    """billing, programs, members: bills, PCE applications and member links are records."""
    client = login(admin_user)
    bill = make_bill(partner, "2026-04", lines=2)
    application = PCEApplication.objects.get(partner=partner)
    membership = Membership.objects.create(
        partner=partner, user=UserFactory(), state=Membership.State.INVITED, token="t-1"
    )
    for url in (
        f"/admin/billing/bill/{bill.pk}/delete/",
        f"/admin/programs/pceapplication/{application.pk}/delete/",
        f"/admin/members/membership/{membership.pk}/delete/",
    ):
        assert client.post(url, {"post": "yes"}).status_code == 403, url
    assert Bill.objects.filter(pk=bill.pk).exists()


def test_pce_approval_in_admin_goes_through_the_service(login, admin_user):
    """programs: the approve action records the decision event."""
    newcomer = PartnerFactory(types=[PartnerType.SOLUTION_PROVIDER])
    application = PCEApplication.objects.create(partner=newcomer)
    response = login(admin_user).post(
        "/admin/programs/pceapplication/",
        {"action": "approve", "_selected_action": [application.pk]},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == PCEApplication.State.APPROVED
    assert Event.objects.filter(subject_id=application.pk, verb="pce.approved").exists()


def test_notifications_are_read_only_in_admin(login, admin_user, owner):
    notify(recipients=[owner], kind="demo", title="Hello")
    from partner_center.notifications.models import Notification

    note = Notification.objects.get(recipient=owner)
    client = login(admin_user)
    url = f"/admin/notifications/notification/{note.pk}/change/"
    assert client.get(url).status_code == 200  # view only
    client.post(url, {"title": "Changed", "kind": "demo", "recipient": owner.pk})
    note.refresh_from_db()
    assert note.title == "Hello"
    assert client.post(url.replace("change", "delete"), {"post": "yes"}).status_code == 403


def test_config_edits_in_admin_keep_who_when_what(login, admin_user):
    """incentives, workcalendar, helpcenter: history rows name the admin and the values."""
    client = login(admin_user)
    response = client.post(
        "/admin/workcalendar/calendarday/add/",
        {"date": "2027-02-07", "is_working_day": "on", "note": "调休"},
    )
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=date(2027, 2, 7))
    record = day.history.get()
    assert record.history_user == admin_user and record.history_type == "+"

    period = ProgramPeriod.objects.create(
        name="2027",
        starts_on=date(2027, 1, 1),
        ends_on=date(2027, 12, 31),
        opportunity_rate="5.00",
        performance_rate="2.00",
    )
    data = {
        "name": "2027",
        "starts_on": "2027-01-01",
        "ends_on": "2027-12-31",
        "opportunity_rate": "6.00",
        "opportunity_cap": "",
        "performance_rate": "2.00",
        "performance_threshold": "0.00",
        "monthly_target": "0.00",
        "tax_rate": "6.00",
        "rules_zh": "",
        "rules_en": "",
    }
    response = client.post(f"/admin/incentives/programperiod/{period.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:500]
    latest = period.history.first()
    assert latest.history_user == admin_user and str(latest.opportunity_rate) == "6.00"
    assert str(latest.prev_record.opportunity_rate) == "5.00"
    page = client.get(f"/admin/incentives/programperiod/{period.pk}/history/")
    assert page.status_code == 200 and str(admin_user) in page.content.decode()

    entry = FAQEntry.objects.first()
    if entry is not None:
        entry.is_published = not entry.is_published
        entry.save()
        assert entry.history.count() >= 1


def test_a_refused_pdm_assignment_is_a_form_error(login, admin_user, partner, owner):
    """certification: a partner user can't be a PDM; admin shows it next to the field."""
    from certification.models import PartnerManager

    response = login(admin_user).post(
        "/admin/certification/partnermanager/add/", {"partner": partner.pk, "user": owner.pk}
    )
    assert response.status_code == 200  # the form again, with the error (not a 500)
    assert response.context["adminform"].form.errors
    assert not PartnerManager.objects.filter(partner=partner).exists()


def test_a_refused_opportunity_edit_in_admin_is_a_form_error(login, admin_user, owner, bd):
    """opportunities: a submitted PO's partner fields can't change; the form says why."""
    from tests.opportunities.conftest import make_po

    po = make_po(owner, state="submitted", bd=bd)
    client = login(admin_user)
    url = f"/admin/opportunities/opportunity/{po.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {
        name: (form.initial.get(name) if form.initial.get(name) is not None else "")
        for name in form.fields
    }
    data["customer_name"] = "改过的客户有限公司"
    response = client.post(url, data)
    po.refresh_from_db()
    assert po.customer_name != "改过的客户有限公司"
    assert response.status_code in (200, 302)
