"""Issue [4], rules 1-4: deal protection that ends, leads BD can retire, deadlines that
follow the calendar, notifications when the sweep ends an item."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from opportunities import protection, services, sla
from opportunities.models import DuplicatePair, Opportunity
from opportunities.selectors import decision_text, duplicate_queue
from partner_center.audit.models import Event
from partner_center.errors import DomainError, NotAllowed
from partner_center.notifications.models import Notification
from partner_center.workcalendar import services as calendar
from partner_center.workcalendar.models import CalendarDay, CalendarYear

from .conftest import CONSENT, make_ho, make_po, sh

pytestmark = pytest.mark.django_db


S = Opportunity.State
END = (23, 59, 59, 999999)


def other_po(outsider, **overrides):
    """Another partner's PO for the same customer and a shared product (another project)."""
    return make_po(outsider, project_name="另一个项目", products=["ecs"], **overrides)


# ---- R4.1 Deal protection -----------------------------------------------------------------


def test_a_verified_po_protects_its_customer_until_closed_lost(owner, outsider, bd):
    mine = make_po(owner, state="verified", bd=bd)
    assert mine.protection == "live" and protection.is_live(mine)
    assert mine.protected_until == mine.verified_at + timedelta(days=protection.PROTECTION_DAYS)
    with pytest.raises(DomainError) as refused:
        other_po(outsider, state="submitted")
    assert refused.value.code == "duplicate"

    with pytest.raises(DomainError) as no_reason:
        services.opportunity_close(actor=owner, opportunity=mine, outcome="lost")
    assert no_reason.value.field == "lost_reason"
    closed = services.opportunity_close(
        actor=owner, opportunity=mine, outcome="lost", lost_reason="price", note="预算不够"
    )
    assert (closed.protection, closed.stage, closed.lost_reason) == ("lost", "lost", "price")
    assert Event.objects.filter(subject_id=mine.pk, verb="protection.lost").exists()

    # The customer is free: another partner's PO is accepted and verified.
    theirs = other_po(outsider, state="verified", bd=bd)
    assert theirs.state == S.VERIFIED
    # A closed deal cannot be closed again.
    with pytest.raises(DomainError):
        services.opportunity_close(actor=owner, opportunity=closed, outcome="won")


def test_a_progress_update_reporting_lost_frees_the_customer(owner, outsider, bd):
    mine = make_po(owner, state="verified", bd=bd)
    services.opportunity_update_progress(actor=owner, opportunity=mine, changes={"stage": "lost"})
    mine.refresh_from_db()
    assert mine.protection == "lost"
    assert other_po(outsider, state="verified", bd=bd).state == S.VERIFIED


def test_an_expired_protection_frees_the_customer(owner, outsider, bd, teammate):
    start = sh(2026, 3, 2, 10)
    with time_machine.travel(start, tick=False):
        mine = make_po(owner, state="verified", bd=bd)
    until = mine.protected_until
    # The reminder: 10 working days before the end, once.
    with time_machine.travel(mine.protection_remind_at + timedelta(minutes=1), tick=False):
        assert protection.send_reminders() == 1
        assert protection.send_reminders() == 0
    assert Notification.objects.filter(kind="opportunities.protection_reminder").count() == 2
    # After the end, the rule says "not live" even before the sweep ran; the sweep ends it.
    with time_machine.travel(until + timedelta(seconds=1), tick=False):
        assert not protection.is_live(Opportunity.objects.get(pk=mine.pk))
        assert protection.sweep_expired() == 1
        assert protection.sweep_expired() == 0
        theirs = other_po(outsider, state="verified", bd=bd)
    mine.refresh_from_db()
    assert mine.protection == "expired"
    assert Event.objects.filter(subject_id=mine.pk, verb="protection.expired").count() == 1
    assert theirs.state == S.VERIFIED
    notes = Notification.objects.filter(kind="opportunities.protection_expired")
    assert {n.recipient_id for n in notes} == {owner.pk, teammate.pk}


def test_progress_that_moves_the_stage_forward_extends_protection(owner, bd):
    start = sh(2026, 3, 2, 10)
    with time_machine.travel(start, tick=False):
        mine = make_po(owner, state="verified", bd=bd)
    later = start + timedelta(days=100)
    with time_machine.travel(later, tick=False):
        services.opportunity_update_progress(
            actor=owner, opportunity=mine, changes={"stage": "contacting"}
        )
        mine.refresh_from_db()
        assert mine.protected_until == later + timedelta(days=180)
        # Not forward (same stage, other fields): no extension.
        services.opportunity_update_progress(
            actor=owner, opportunity=mine, changes={"stage": "contacting"}, note="电话跟进"
        )
    with time_machine.travel(later + timedelta(days=10), tick=False):
        services.opportunity_update_progress(
            actor=owner, opportunity=mine, changes={"amount": "1000.00"}
        )
        mine.refresh_from_db()
        assert mine.protected_until == later + timedelta(days=180)


def test_the_partner_asks_bd_for_more_time(owner, bd, outsider):
    mine = make_po(owner, state="verified", bd=bd)
    until = mine.protected_until
    with pytest.raises(DomainError):
        services.protection_request_extension(actor=owner, opportunity=mine, note="")
    services.protection_request_extension(actor=owner, opportunity=mine, note="客户预算下季度批")
    with pytest.raises((PermissionDenied, NotAllowed)):
        services.protection_decide_extension(actor=owner, opportunity=mine, approve=True)
    with pytest.raises(DomainError) as no_reason:
        services.protection_decide_extension(actor=bd, opportunity=mine, approve=False)
    assert no_reason.value.field == "reason"
    services.protection_decide_extension(
        actor=bd, opportunity=mine, approve=False, reason="进展不足"
    )
    mine.refresh_from_db()
    assert mine.protected_until == until and mine.extension_requested_at is None
    services.protection_request_extension(actor=owner, opportunity=mine, note="已进入招标")
    services.protection_decide_extension(actor=bd, opportunity=mine, approve=True)
    mine.refresh_from_db()
    assert mine.protected_until == until + timedelta(days=protection.EXTENSION_DAYS)
    verbs = set(Event.objects.filter(subject_id=mine.pk).values_list("verb", flat=True))
    assert {"protection.extension_refused", "protection.extension_approved"} <= verbs


def test_an_accepted_ho_that_ended_no_longer_wins(owner, outsider, bd, partner):
    ho = make_ho(bd, partner, state="accepted", user=owner)
    assert protection.is_live(ho)
    po = make_po(outsider, state="under_verification", bd=bd, customer_name=ho.customer_name)
    with pytest.raises(DomainError):  # the vendor's HO, held by a partner, wins
        services.po_verify(actor=bd, po=po, account_manager="刘", confirmed_on=date.today())
    services.opportunity_close(actor=owner, opportunity=ho, outcome="lost", lost_reason="timing")
    po = services.po_verify(actor=bd, po=po, account_manager="刘", confirmed_on=date.today())
    assert po.state == S.VERIFIED


def test_the_duplicate_queue_and_verdicts_read_the_same_rule(owner, outsider, bd):
    mine = make_po(owner, state="verified", bd=bd)
    theirs = make_po(outsider, project_name="另一个项目", products=["ecs"])  # draft
    # A pair recorded while both were live shows in the queue; closing frees it.
    first, second = sorted((mine, theirs), key=lambda o: o.pk)
    DuplicatePair.objects.create(po=first, other_po=second, matched_on="name", products=["ecs"])
    services.opportunity_close(actor=owner, opportunity=mine, outcome="won")
    assert not duplicate_queue().filter(po=first, other_po=second).exists()


# ---- R4.2 Leads BD can retire -------------------------------------------------------------


def test_a_retired_lead_no_longer_wins(owner, outsider, bd, partner):
    ho = make_ho(bd, partner, state="declined", user=owner)
    lead = ho.lead
    po = make_po(outsider, state="under_verification", bd=bd, customer_name=lead.customer_name)
    with pytest.raises(DomainError) as ho_wins:
        services.po_verify(actor=bd, po=po, account_manager="刘", confirmed_on=date.today())
    assert ho_wins.value.code == "duplicate"
    assert duplicate_queue().filter(po=po, lead=lead).exists()

    with pytest.raises(DomainError) as other_needs_note:
        services.lead_retire(actor=bd, lead=lead, reason="other")
    assert other_needs_note.value.field == "note"
    with pytest.raises((PermissionDenied, NotAllowed)):
        services.lead_retire(actor=owner, lead=lead, reason="not_interested")
    services.lead_retire(actor=bd, lead=lead, reason="not_interested", note="客户放弃")
    lead.refresh_from_db()
    assert (lead.state, lead.close_reason) == ("closed", "not_interested")
    assert not duplicate_queue().filter(po=po, lead=lead).exists()
    with pytest.raises(DomainError):
        services.ho_share(actor=bd, lead=lead, partner=outsider.partner)
    po = services.po_verify(actor=bd, po=po, account_manager="刘", confirmed_on=date.today())
    assert po.state == S.VERIFIED


def test_a_reopened_lead_wins_again_and_a_pending_share_is_withdrawn(owner, outsider, bd, partner):
    ho = make_ho(bd, partner)
    lead = ho.lead
    services.lead_retire(actor=bd, lead=lead, reason="vendor_direct")
    ho.refresh_from_db()
    assert ho.state == S.DECLINED and ho.decision_rule == "lead_closed"
    assert "关闭了该线索" in decision_text(ho)  # the site language (zh-hans)
    assert Notification.objects.filter(kind="opportunities.ho_withdrawn").exists()
    with pytest.raises(DomainError):
        services.lead_reopen(actor=bd, lead=lead, note="")
    services.lead_reopen(actor=bd, lead=lead, note="客户重新联系")
    lead.refresh_from_db()
    assert lead.state == "pooled" and lead.closed_at is None
    po = make_po(outsider, state="under_verification", bd=bd, customer_name=lead.customer_name)
    with pytest.raises(DomainError):
        services.po_verify(actor=bd, po=po, account_manager="刘", confirmed_on=date.today())


def test_a_lead_held_by_a_partner_cannot_be_retired(owner, bd, partner):
    ho = make_ho(bd, partner, state="accepted", user=owner)
    with pytest.raises(DomainError) as held:
        services.lead_retire(actor=bd, lead=ho.lead, reason="duplicate")
    assert held.value.code == "accepted"


# ---- R4.3 Deadlines that follow the calendar ----------------------------------------------


def _submit(user, moment):
    with time_machine.travel(moment, tick=False):
        po = make_po(user)
        return services.po_submit(actor=user, po=po, consent=CONSENT)


def test_a_calendar_change_moves_a_running_deadline(owner, teammate, admin_user):
    po = _submit(owner, sh(2026, 12, 24, 10))
    assert po.deadline == sh(2027, 1, 8, *END)
    assert sla.is_provisional(po)
    with time_machine.travel(sh(2026, 12, 28, 9), tick=False):
        changed = calendar.calendar_day_set(
            actor=admin_user, day=date(2027, 1, 4), working=False, note="调整"
        )
    assert changed == [date(2027, 1, 4)]
    po.refresh_from_db()
    assert po.deadline == sh(2027, 1, 11, *END)
    assert po.remind_at == sh(2027, 1, 8)
    moved = Event.objects.get(subject_id=po.pk, verb="opportunity.deadline_moved")
    assert moved.reason == (
        "deadline moved from 2027-01-08 23:59 to 2027-01-11 23:59: calendar changed"
    )
    notes = Notification.objects.filter(kind="opportunities.deadline_moved")
    assert {n.recipient_id for n in notes} == {owner.pk, teammate.pk}
    # The sweep follows the new deadline.
    assert sla.sweep_overdue(now=sh(2027, 1, 9, 0, 0)).total == 0
    po.refresh_from_db()
    assert po.state == S.SUBMITTED
    assert sla.sweep_overdue(now=sh(2027, 1, 12, 0, 0)).rejected_pos == 1
    # Setting the same day again changes nothing.
    assert calendar.calendar_day_set(actor=admin_user, day=date(2027, 1, 4), working=False) == []


def test_deleting_a_calendar_day_moves_the_deadline_back(owner, admin_user):
    po = _submit(owner, sh(2026, 12, 24, 10))
    calendar.calendar_day_set(actor=admin_user, day=date(2027, 1, 4), working=False)
    calendar.calendar_days_delete(actor=admin_user, days=[date(2027, 1, 4)])
    po.refresh_from_db()
    assert po.deadline == sh(2027, 1, 8, *END)
    assert Event.objects.filter(subject_id=po.pk, verb="opportunity.deadline_moved").count() == 2


def test_an_item_outside_the_changed_day_keeps_its_deadline(owner, bd, partner, admin_user):
    po = _submit(owner, sh(2026, 12, 24, 10))
    calendar.calendar_day_set(actor=admin_user, day=date(2027, 2, 1), working=False)
    po.refresh_from_db()
    assert po.deadline == sh(2027, 1, 8, *END)
    assert not Event.objects.filter(verb="opportunity.deadline_moved").exists()


def test_load_calendar_command_loads_a_year_and_recomputes_once(owner, tmp_path):
    po = _submit(owner, sh(2026, 12, 24, 10))
    path = tmp_path / "2027.csv"
    path.write_text(
        "date,working,note\n2027-01-01,0,元旦\n2027-01-04,0,调休\n2027-01-09,1,补班\n",
        encoding="utf-8",
    )
    call_command("load_calendar", str(path), "--complete")
    assert CalendarDay.objects.filter(date__year=2027).count() == 3
    assert CalendarYear.objects.get(year=2027).official_complete
    po.refresh_from_db()
    # 4 Jan off, Saturday 9 Jan working: the tenth working day is still 8 Jan... then 9th.
    assert po.deadline == sh(2027, 1, 9, *END)
    assert Event.objects.filter(subject_id=po.pk, verb="opportunity.deadline_moved").count() == 1
    # The year is confirmed: the deadline is no longer provisional.
    assert not sla.is_provisional(po)


def test_a_schedule_file_in_json_and_bad_files(admin_user):
    days, complete = calendar.parse_schedule(
        '{"year": 2027, "complete": true, "days": [{"date": "2027-02-06", "working": true}]}',
        "x.json",
    )
    assert days == [(date(2027, 2, 6), True, "")] and complete
    with pytest.raises(DomainError):
        calendar.parse_schedule("date,working\n2027-13-01,1\n", "x.csv")
    with pytest.raises(DomainError):
        calendar.parse_schedule("date,working\n2027-01-01,0\n2028-01-01,0\n", "x.csv")


def test_a_provisional_deadline_is_marked_in_the_api_and_on_the_page(owner, api, login):
    po = _submit(owner, sh(2026, 12, 24, 10))
    with time_machine.travel(sh(2026, 12, 28, 9), tick=False):
        data = api(owner).get(f"/api/v1/opportunities/po/{po.pk}/").json()
        assert data["deadline_provisional"] is True
        page = login(owner).get(f"/opportunities/{po.pk}/").content.decode()
        listing = login(owner).get("/opportunities/?view=all").content.decode()
        listed = api(owner).get("/api/v1/opportunities/po/").json()["results"]
    assert 'data-provisional="1"' in page
    assert 'data-provisional="1"' in listing
    assert [row["deadline_provisional"] for row in listed] == [True]
    early = _submit(owner, sh(2026, 11, 2, 10))
    with time_machine.travel(sh(2026, 11, 3, 9), tick=False):
        data = api(owner).get(f"/api/v1/opportunities/po/{early.pk}/").json()
        assert data["deadline_provisional"] is False
        page = login(owner).get(f"/opportunities/{early.pk}/").content.decode()
    assert 'data-provisional="1"' not in page


# ---- R4.4 The sweep's notifications -------------------------------------------------------


@pytest.mark.parametrize("sweep", [sla._sweep_sql, sla._sweep_portable], ids=["sql", "orm"])
def test_the_sweeps_rejection_notifies_once(owner, teammate, bd, partner, sweep):
    po = _submit(owner, sh(2026, 11, 2, 10))
    with time_machine.travel(sh(2026, 11, 2, 10), tick=False):
        ho = make_ho(bd, partner)
    later = po.deadline + timedelta(seconds=1)
    sweep(later, 1000)
    sweep(later, 1000)
    rejected = Notification.objects.filter(kind="opportunities.sla_rejected")
    assert sorted(n.recipient_id for n in rejected) == sorted([owner.pk, teammate.pk])
    assert str(po.pk) in rejected.first().title
    declined = Notification.objects.filter(kind="opportunities.sla_declined")
    assert sorted(n.recipient_id for n in declined) == sorted([owner.pk, teammate.pk])
    reclaimed = Notification.objects.filter(kind="opportunities.ho_reclaimed")
    assert [n.recipient_id for n in reclaimed] == [bd.pk]
    assert str(ho.pk) in reclaimed.first().title


def test_a_calendar_change_moves_a_pending_protection_reminder(owner, bd, admin_user):
    with time_machine.travel(sh(2026, 7, 10, 10), tick=False):
        mine = make_po(owner, state="verified", bd=bd)
    before = mine.protection_remind_at
    assert before.astimezone(sh(2026, 1, 1).tzinfo).date() == date(2026, 12, 22)
    calendar.calendar_day_set(actor=admin_user, day=date(2026, 12, 30), working=False)
    mine.refresh_from_db()
    assert mine.protection_remind_at == sh(2026, 12, 21)
