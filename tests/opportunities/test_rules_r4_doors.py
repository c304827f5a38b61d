"""Issue [4] rules through every door: API endpoints, pages and Django admin (with
outsider checks: another partner's item is a 404)."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from opportunities.models import Opportunity, VendorLead
from partner_center.accounts.models import Role
from partner_center.audit.models import Event
from partner_center.workcalendar.models import CalendarDay
from tests.factories import UserFactory
from tests.helpers import api_client as api

from .conftest import CONSENT, make_ho, make_po, sh

pytestmark = pytest.mark.django_db
END = (23, 59, 59, 999999)


@pytest.fixture
def staff_bd(db):
    return UserFactory(role=Role.BD, email="bd-admin@vendor.test", is_staff=True, is_superuser=True)


# ---- API -------------------------------------------------------------------------------------


def test_api_close_a_deal_and_outsiders_get_404(owner, outsider, bd):
    po = make_po(owner, state="verified", bd=bd)
    url = f"/api/v1/opportunities/po/{po.pk}/close/"
    assert api(outsider).post(url, {"outcome": "won"}, format="json").status_code == 404
    refused = api(owner).post(url, {"outcome": "lost"}, format="json")
    assert refused.status_code == 400 and "lost_reason" in refused.json()["fields"]
    done = api(owner).post(url, {"outcome": "lost", "lost_reason": "competitor"}, format="json")
    assert done.status_code == 200
    body = done.json()
    assert (body["protection"], body["protection_live"], body["lost_reason"]) == (
        "lost",
        False,
        "competitor",
    )


def test_api_extension_request_and_bd_decision(owner, outsider, bd, partner):
    ho = make_ho(bd, partner, state="accepted", user=owner)
    base = f"/api/v1/opportunities/ho/{ho.pk}/"
    assert (
        api(outsider).post(base + "request-extension/", {"note": "x"}, format="json").status_code
        == 404
    )
    assert api(owner).post(base + "request-extension/", {"note": "客户在走流程"}).status_code == 200
    assert api(owner).post(base + "decide-extension/", {"approve": True}).status_code == 403
    refused = api(bd).post(base + "decide-extension/", {"approve": False}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()["fields"]
    before = Opportunity.objects.get(pk=ho.pk).protected_until
    ok = api(bd).post(base + "decide-extension/", {"approve": True}, format="json")
    assert ok.status_code == 200
    assert Opportunity.objects.get(pk=ho.pk).protected_until > before


def test_api_close_and_reopen_a_lead(owner, bd, partner):
    ho = make_ho(bd, partner, state="declined", user=owner)
    url = f"/api/v1/opportunities/leads/{ho.lead_id}/"
    assert api(owner).post(url + "close/", {"reason": "duplicate"}).status_code in (403, 404)
    assert api(bd).post(url + "close/", {"reason": "nonsense"}).status_code == 400
    closed = api(bd).post(url + "close/", {"reason": "vendor_direct"}, format="json")
    assert closed.status_code == 200
    assert (closed.json()["state"], closed.json()["close_reason"]) == ("closed", "vendor_direct")
    assert closed.json()["status"] == "closed"
    again = api(bd).post(url + "close/", {"reason": "vendor_direct"}, format="json")
    assert again.status_code == 400
    reopened = api(bd).post(url + "reopen/", {"note": "客户回来了"}, format="json")
    assert reopened.status_code == 200 and reopened.json()["state"] == "pooled"


# ---- Pages -------------------------------------------------------------------------------


def test_partner_closes_and_asks_for_more_time_from_the_page(login, owner, outsider, bd):
    po = make_po(owner, state="verified", bd=bd)
    page = login(owner).get(reverse("opportunities:detail", args=[po.pk])).content.decode()
    assert 'data-testid="close-form"' in page and 'data-testid="extension-request-form"' in page
    assert (
        login(outsider).post(reverse("opportunities:close", args=[po.pk]), {"outcome": "won"})
    ).status_code == 404
    login(owner).post(
        reverse("opportunities:protection_request", args=[po.pk]), {"note": "招标推迟"}
    )
    bd_page = login(bd).get(reverse("opportunities:detail", args=[po.pk])).content.decode()
    assert 'data-testid="extension-decide-form"' in bd_page
    login(bd).post(
        reverse("opportunities:protection_decide", args=[po.pk]), {"approve": "0", "reason": "不批"}
    )
    assert Event.objects.filter(subject_id=po.pk, verb="protection.extension_refused").exists()
    login(owner).post(
        reverse("opportunities:close", args=[po.pk]), {"outcome": "lost", "lost_reason": "price"}
    )
    po.refresh_from_db()
    assert po.protection == "lost"
    page = login(owner).get(reverse("opportunities:detail", args=[po.pk])).content.decode()
    assert 'data-testid="close-form"' not in page


def test_bd_closes_and_reopens_a_lead_from_its_page(login, owner, bd, partner):
    ho = make_ho(bd, partner, state="declined", user=owner)
    url = reverse("opportunities:lead_detail", args=[ho.lead_id])
    assert 'data-testid="lead-close-form"' in login(bd).get(url).content.decode()
    assert login(owner).get(url).status_code in (403, 404)
    assert (
        login(owner).post(
            reverse("opportunities:lead_close", args=[ho.lead_id]), {"reason": "other"}
        )
    ).status_code in (403, 404)
    login(bd).post(
        reverse("opportunities:lead_close", args=[ho.lead_id]),
        {"reason": "not_interested", "note": ""},
    )
    assert VendorLead.objects.get(pk=ho.lead_id).state == "closed"
    page = login(bd).get(url).content.decode()
    assert 'data-testid="lead-reopen-form"' in page
    login(bd).post(reverse("opportunities:lead_reopen", args=[ho.lead_id]), {"note": "重新跟进"})
    assert VendorLead.objects.get(pk=ho.lead_id).state == "pooled"


# ---- Django admin ------------------------------------------------------------------------


def test_admin_calendar_day_save_and_delete_move_running_deadlines(login, admin_user, owner):
    with time_machine.travel(sh(2026, 12, 24, 10), tick=False):
        po = make_po(owner)
        from opportunities import services

        po = services.po_submit(actor=owner, po=po, consent=CONSENT)
    client = login(admin_user)
    client.post(
        reverse("admin:workcalendar_calendarday_add"),
        {"date": "2027-01-04", "is_working_day": "", "note": "调整"},
    )
    assert CalendarDay.objects.filter(date=date(2027, 1, 4)).exists()
    po.refresh_from_db()
    assert po.deadline == sh(2027, 1, 11, *END)
    day = CalendarDay.objects.get(date=date(2027, 1, 4))
    client.post(reverse("admin:workcalendar_calendarday_delete", args=[day.pk]), {"post": "yes"})
    po.refresh_from_db()
    assert po.deadline == sh(2027, 1, 8, *END)


def test_admin_loads_a_schedule_file(login, admin_user, owner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(admin_user)
    url = reverse("admin:workcalendar_calendarday_load")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"file": SimpleUploadedFile("x.csv", b"date,working\nnope,1\n")})
    assert bad.status_code == 200 and not CalendarDay.objects.exists()
    upload = SimpleUploadedFile(
        "2027.json",
        b'{"year": 2027, "complete": true, "days": [{"date": "2027-02-06", "working": true}]}',
    )
    assert client.post(url, {"file": upload}).status_code == 302
    assert CalendarDay.objects.get(date=date(2027, 2, 6)).is_working_day


def test_admin_lead_actions_close_and_reopen(login, staff_bd, owner, bd, partner):
    ho = make_ho(bd, partner, state="declined", user=owner)
    client = login(staff_bd)
    changelist = reverse("admin:opportunities_vendorlead_changelist")
    client.post(
        changelist,
        {"action": "action_close", "_selected_action": [ho.lead_id], "close_reason": "duplicate"},
    )
    assert VendorLead.objects.get(pk=ho.lead_id).state == "closed"
    client.post(
        changelist,
        {"action": "action_reopen", "_selected_action": [ho.lead_id], "comment": "误关"},
    )
    assert VendorLead.objects.get(pk=ho.lead_id).state == "pooled"
