"""SLA clocks: deadlines in working days (holidays and make-up days), the sweep run on time,
late and twice, and the reminder one working day before the deadline."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone, translation

from opportunities import services, sla, tasks
from opportunities.models import Opportunity
from opportunities.selectors import decision_text, lead_status, pool_leads
from partner_center.audit.models import Event
from partner_center.errors import DomainError
from partner_center.notifications.models import Notification

from .conftest import CONSENT, make_lead, make_po, sh

pytestmark = pytest.mark.django_db
S = Opportunity.State
END = (23, 59, 59, 999999)
SWEEPS = [pytest.param(sla._sweep_sql, id="sql"), pytest.param(sla._sweep_portable, id="orm")]


def submit_at(user, moment, **overrides):
    with time_machine.travel(moment, tick=False):
        po = make_po(user, **overrides)
        return services.po_submit(actor=user, po=po, consent=CONSENT)


def share_at(bd, partner, moment, **overrides):
    with time_machine.travel(moment, tick=False):
        lead = make_lead(bd, crm_created_at=moment - timedelta(days=1), **overrides)
        return services.ho_share(actor=bd, lead=lead, partner=partner)


@pytest.mark.parametrize(
    ("moment", "po_deadline", "ho_deadline"),
    [
        # Spring Festival 2026: off 15-23 Feb; Saturdays 14 and 28 Feb are working days.
        (sh(2026, 2, 13, 10), sh(2026, 3, 5, *END), sh(2026, 2, 25, *END)),
        # National Day 2026: off 1-7 Oct; Saturday 10 Oct is a make-up working day.
        (sh(2026, 9, 30, 10), sh(2026, 10, 20, *END), sh(2026, 10, 10, *END)),
        # Year end: 1 Jan 2027 off, no packaged calendar for 2027 yet (computed).
        (sh(2026, 12, 28, 10), sh(2027, 1, 12, *END), sh(2026, 12, 31, *END)),
        (sh(2026, 12, 30, 16), sh(2027, 1, 14, *END), sh(2027, 1, 5, *END)),
        # 23:30 UTC on 30 Sep is 1 Oct in Beijing: counting starts from the Beijing day.
        (sh(2026, 10, 1, 7, 30), sh(2026, 10, 20, *END), sh(2026, 10, 10, *END)),
    ],
)
def test_deadlines_across_holidays_and_the_year_end(
    owner, bd, partner, moment, po_deadline, ho_deadline
):
    po = submit_at(owner, moment)
    assert po.deadline == po_deadline
    ho = share_at(bd, partner, moment)
    assert ho.deadline == ho_deadline


def test_the_reminder_is_one_working_day_before_the_deadline(owner, bd, partner):
    po = submit_at(owner, sh(2026, 9, 30, 10))
    assert po.remind_at == sh(2026, 10, 19, 0, 0)  # the 9th working day; the 10th is the 20th
    ho = share_at(bd, partner, sh(2026, 9, 30, 10))
    assert ho.remind_at == sh(2026, 10, 9, 0, 0)  # deadline Saturday 10 Oct (make-up day)


@pytest.mark.parametrize("sweep", SWEEPS)
def test_nothing_is_rejected_a_second_early(owner, sweep):
    po = submit_at(owner, sh(2026, 11, 23, 10))
    deadline = po.deadline
    assert sweep(deadline, 1000).total == 0
    assert sweep(deadline - timedelta(microseconds=1), 1000).total == 0
    po.refresh_from_db()
    assert po.state == S.SUBMITTED
    assert sweep(deadline + timedelta(microseconds=1), 1000).rejected_pos == 1
    po.refresh_from_db()
    assert po.state == S.REJECTED


def _end_state(opp):
    opp.refresh_from_db()
    ct = ContentType.objects.get_for_model(Opportunity)
    events = [
        (e.created_at, e.verb, e.from_state, e.to_state, e.reason, e.actor_id, e.data["rule"])
        for e in Event.objects.filter(subject_type=ct, subject_id=opp.pk, verb__endswith="expired")
    ]
    return (opp.state, opp.decided_at, opp.decided_by_id, opp.decision_rule, events)


@pytest.mark.parametrize("sweep", SWEEPS)
@pytest.mark.parametrize(
    "late", [timedelta(microseconds=1), timedelta(minutes=5), timedelta(days=4)], ids=str
)
def test_a_late_or_repeated_sweep_ends_in_the_on_time_state(owner, bd, partner, sweep, late):
    po = submit_at(owner, sh(2026, 11, 23, 10))
    with time_machine.travel(sh(2026, 11, 24, 9), tick=False):
        po = services.po_start_verification(actor=bd, po=po)
    ho = share_at(bd, partner, sh(2026, 11, 23, 10))
    result = sweep(ho.deadline + late if late < timedelta(days=1) else po.deadline + late, 2)
    # The HO's deadline (26 Nov) comes before the PO's (7 Dec).
    expected_ho = (
        S.EXPIRED,
        ho.deadline,
        None,
        "sla_expired",
        [
            (
                ho.deadline,
                "ho.expired",
                "pending",
                "expired",
                sla.EXPIRED_REASON["ho"],
                None,
                "sla_expired",
            )
        ],
    )
    assert _end_state(ho) == expected_ho
    if late >= timedelta(days=1):
        assert (result.rejected_pos, result.expired_hos) == (1, 1)
        expected_po = (
            S.REJECTED,
            po.deadline,
            None,
            "sla_expired",
            [
                (
                    po.deadline,
                    "po.expired",
                    "under_verification",
                    "rejected",
                    "verification SLA expired",
                    None,
                    "sla_expired",
                )
            ],
        )
        assert _end_state(po) == expected_po
    # Twice: nothing more happens.
    assert sweep(po.deadline + timedelta(days=30), 2).total == (
        0 if late >= timedelta(days=1) else 1
    )
    assert sweep(po.deadline + timedelta(days=31), 2).total == 0
    assert _end_state(ho) == expected_ho
    assert lead_status(pool_leads().get(pk=ho.lead_id)) == "pool"


def test_batches_sweep_everything_due(owner):
    pos = [
        submit_at(owner, sh(2026, 11, 23, 10), customer_name=f"客户{i}有限公司") for i in range(5)
    ]
    result = sla.sweep_overdue(now=pos[0].deadline + timedelta(seconds=1), batch_size=2)
    assert result.rejected_pos == 5
    assert Opportunity.objects.filter(state=S.REJECTED, decision_rule="sla_expired").count() == 5


def test_expired_items_say_which_rule_decided(owner, bd, partner):
    po = submit_at(owner, sh(2026, 11, 23, 10))
    ho = share_at(bd, partner, sh(2026, 11, 23, 10))
    sla.sweep_overdue(now=po.deadline + timedelta(seconds=1))
    po.refresh_from_db()
    ho.refresh_from_db()
    with translation.override("en"):
        assert "10 working days" in decision_text(po) and "2026-12-07 23:59" in decision_text(po)
        assert "3 working days" in decision_text(ho) and "reclaimed" in decision_text(ho)
    assert "10 个工作日" in decision_text(po) and "回收" in decision_text(ho)


def test_a_reclaimed_ho_can_be_shared_with_another_partner(owner, bd, partner, other_partner):
    ho = share_at(bd, partner, sh(2026, 11, 23, 10))
    sla.sweep_overdue(now=ho.deadline + timedelta(seconds=1))
    with time_machine.travel(ho.deadline + timedelta(hours=1), tick=False):
        again = services.ho_share(actor=bd, lead=ho.lead, partner=other_partner)
    assert again.state == S.PENDING
    with pytest.raises(DomainError):  # not back to the partner that let it expire
        services.ho_share(actor=bd, lead=ho.lead, partner=partner)


def test_nobody_acts_on_an_item_past_its_deadline(owner, bd, partner):
    """Between the deadline and a late sweep nothing changes: the end state is the same."""
    po = submit_at(owner, sh(2026, 11, 23, 10))
    ho = share_at(bd, partner, sh(2026, 11, 23, 10))
    with time_machine.travel(po.deadline + timedelta(minutes=1), tick=False):
        with pytest.raises(DomainError) as exc:
            services.po_start_verification(actor=bd, po=po)
        assert exc.value.code == "deadline"
        with pytest.raises(DomainError):
            services.ho_accept(actor=owner, ho=ho)
        with pytest.raises(DomainError):
            services.ho_decline(actor=owner, ho=ho, reason="晚了")


def test_the_sweep_is_served_by_the_partial_index(owner):
    submit_at(owner, sh(2026, 11, 23, 10))
    due_select = sla.sweep_sql().split("), moved AS")[0].replace("WITH due AS (", "")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN " + due_select,
            {"now": timezone.now(), "batch": 10, "after": sla.EPOCH, "after_id": 0},
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "opportunity_sla_open" in plan


def test_reminder_once_to_the_partner_for_an_ho(bd, partner, owner, teammate):
    ho = share_at(bd, partner, sh(2026, 11, 23, 10))  # deadline Thu 26 Nov, reminder Wed 25
    assert sla.send_due_reminders(now=sh(2026, 11, 24, 23, 59)) == 0
    assert sla.send_due_reminders(now=sh(2026, 11, 25, 0, 0)) == 1
    assert sla.send_due_reminders(now=sh(2026, 11, 25, 9, 0)) == 0
    assert sla.send_due_reminders(now=sh(2026, 11, 26, 9, 0)) == 0
    notes = Notification.objects.filter(kind="opportunities.deadline_reminder")
    assert sorted(n.recipient_id for n in notes) == sorted([owner.pk, teammate.pk])
    ho.refresh_from_db()
    assert ho.reminded_at == sh(2026, 11, 25, 0, 0)


def test_reminder_to_bd_for_a_po(owner, bd):
    po = submit_at(owner, sh(2026, 11, 23, 10))
    assert sla.send_due_reminders(now=po.remind_at) == 1
    notes = Notification.objects.filter(kind="opportunities.deadline_reminder")
    assert [n.recipient_id for n in notes] == [bd.pk]
    assert sla.send_due_reminders(now=po.remind_at + timedelta(hours=3)) == 0


def test_no_reminder_once_the_deadline_passed_or_the_item_is_decided(owner, bd, partner):
    po = submit_at(owner, sh(2026, 11, 23, 10))
    ho = share_at(bd, partner, sh(2026, 11, 23, 10))
    with time_machine.travel(sh(2026, 11, 23, 11), tick=False):
        services.ho_accept(actor=owner, ho=ho)
    assert sla.send_due_reminders(now=po.deadline + timedelta(seconds=1)) == 0


def test_the_periodic_task_sweeps_then_reminds(owner, bd, partner):
    with time_machine.travel(sh(2026, 11, 23, 10), tick=False):
        po = make_po(owner)
        po = services.po_submit(actor=owner, po=po, consent=CONSENT)
    with time_machine.travel(po.deadline + timedelta(hours=1), tick=False):
        assert tasks.sweep_deadlines() == {"rejected_pos": 1, "expired_hos": 0, "reminded": 0}


def test_the_schedule_is_declared_for_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["opportunities-sla-sweep"]
    assert entry["task"] == "opportunities.tasks.sweep_deadlines"
    assert entry["schedule"] <= timedelta(minutes=10)
