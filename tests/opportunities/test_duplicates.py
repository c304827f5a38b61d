from datetime import UTC

import pytest
import time_machine
from django.utils import timezone, translation

from opportunities import services
from opportunities.duplicates import normalize_customer_name, verdict_for
from opportunities.models import DuplicatePair, Opportunity
from opportunities.selectors import decision_text, duplicate_hints, duplicate_queue
from partner_center.accounts.uscc import make_uscc
from partner_center.errors import DomainError

from .conftest import CONSENT, make_lead, make_po, sh

pytestmark = pytest.mark.django_db
S = Opportunity.State
CODE = make_uscc("91320500MA1X2Y3W4")


def verify(bd, po):
    return services.po_verify(
        actor=bd, po=po, account_manager="刘经理", confirmed_on=timezone.localdate()
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("华云数智科技(北京)有限公司", "华云数智科技 （北京） 有限公司"),
        ("华云数智科技有限公司", "华云数智科技有限责任公司"),
        ("Acme Cloud Co., Ltd.", "ACME CLOUD CO LTD"),
        ("Ａｃｍｅ Cloud Limited", "acme cloud"),
    ],
)
def test_customer_names_are_normalized(a, b):
    assert normalize_customer_name(a) == normalize_customer_name(b)


def test_different_customers_stay_apart():
    assert normalize_customer_name("华云数智") != normalize_customer_name("华云数据")


def test_first_verified_wins_and_pending_duplicates_of_others_are_rejected(
    owner, outsider, bd, teammate
):
    mine = make_po(owner, state="under_verification", bd=bd)
    theirs = make_po(outsider, state="submitted", bd=bd, customer_name="江南智造装备股份有限公司 ")
    own_twin = make_po(teammate, state="submitted", bd=bd, products=["rds"])
    verify(bd, mine)
    theirs.refresh_from_db()
    own_twin.refresh_from_db()
    assert theirs.state == S.REJECTED and theirs.decision_rule == "duplicate"
    detail = theirs.decision_detail
    assert detail["winner_kind"] == "po" and detail["winner_basis"] == "verified"
    with translation.override("en"):
        text = decision_text(theirs)
    assert "passed verification at" in text and owner.partner.name not in text
    assert "验证通过" in decision_text(theirs)  # the default language
    # The same partner's own twin is left to BD (queue), not rejected by the rule.
    assert own_twin.state == S.SUBMITTED
    assert DuplicatePair.objects.filter(status="open").exists()


def test_once_verified_a_duplicate_is_refused_at_submission(owner, outsider, bd):
    verify(bd, make_po(owner, state="under_verification", bd=bd, customer_credit_code=CODE))
    # Same credit code under another name, one product in common: refused.
    po = make_po(
        outsider, customer_name="苏州分公司", customer_credit_code=CODE, products=["ecs", "obs"]
    )
    with pytest.raises(DomainError) as exc:
        services.po_submit(actor=outsider, po=po, consent=CONSENT)
    assert exc.value.code == "duplicate"
    assert owner.partner.name not in str(exc.value.message)
    # No product in common: not a duplicate.
    other = make_po(outsider, customer_credit_code=CODE, products=["cdn"])
    assert services.po_submit(actor=outsider, po=other, consent=CONSENT).state == S.SUBMITTED


def test_hints_show_duplicates_without_the_other_partner(owner, outsider, bd):
    verify(bd, make_po(owner, state="under_verification", bd=bd, project_name="机密项目甲"))
    po = make_po(outsider)
    hints = duplicate_hints(po)
    assert len(hints) == 1
    hint = hints[0]
    assert hint.blocking and not hint.own and hint.opportunity_id is None
    rendered = repr(hint.__dict__)
    assert owner.partner.name not in rendered and "机密项目甲" not in rendered


def test_ho_created_earlier_in_the_crm_wins_against_a_later_verification(owner, bd):
    lead = make_lead(bd, customer_name="江南智造装备股份有限公司", crm_created_at=sh(2026, 1, 5, 9))
    po = make_po(owner, state="under_verification", bd=bd)
    with pytest.raises(DomainError) as exc:
        verify(bd, po)
    assert exc.value.code == "duplicate" and lead.crm_id in str(exc.value.message)
    pair = DuplicatePair.objects.get(po=po, lead=lead)
    verdict = verdict_for(pair)
    assert verdict.winner == lead and verdict.loser == po
    services.duplicate_decide(actor=bd, pair=pair, decision="apply", note="CRM 先建")
    po.refresh_from_db()
    assert po.state == S.REJECTED and po.decision_detail["winner_kind"] == "ho"
    assert "2026-01-05 09:00" in decision_text(po)


def test_po_verified_before_the_ho_was_created_wins_and_the_ho_is_closed(owner, bd, partner):
    po = make_po(owner, state="under_verification", bd=bd)
    with time_machine.travel(sh(2026, 11, 2, 10), tick=False):
        po = verify(bd, po)
    with time_machine.travel(sh(2026, 11, 3, 10), tick=False):
        lead = make_lead(
            bd, customer_name="江南智造装备股份有限公司", crm_created_at=sh(2026, 11, 3, 9)
        )
        with pytest.raises(DomainError) as exc:
            services.ho_share(actor=bd, lead=lead, partner=partner)
        assert exc.value.code == "duplicate"
        pair = DuplicatePair.objects.get(po=po, lead=lead)
        assert verdict_for(pair).winner == po
        services.duplicate_decide(actor=bd, pair=pair, decision="apply")
    lead.refresh_from_db()
    assert lead.closed_at and lead.close_detail["winner_kind"] == "po"
    with pytest.raises(DomainError):
        services.ho_share(actor=bd, lead=lead, partner=partner)


def test_ho_older_than_a_verified_po_takes_the_verification_back(owner, bd):
    with time_machine.travel(sh(2026, 11, 2, 10), tick=False):
        po = verify(bd, make_po(owner, state="under_verification", bd=bd))
    with time_machine.travel(sh(2026, 11, 3, 10), tick=False):
        # Entered into the pool later, but created in the CRM before the verification.
        lead = make_lead(
            bd, customer_name="江南智造装备股份有限公司", crm_created_at=sh(2026, 10, 30, 9)
        )
        pair = DuplicatePair.objects.get(po=po, lead=lead)
        assert verdict_for(pair).winner == lead
        services.duplicate_decide(actor=bd, pair=pair, decision="apply")
    po.refresh_from_db()
    assert po.state == S.REJECTED and po.decision_detail["loser_basis"] == "verified"
    with translation.override("en"):
        assert "before this one passed verification (2026-11-02 10:00)" in decision_text(po)


def test_bd_dismisses_a_pair_and_the_rules_ignore_it(owner, bd):
    lead = make_lead(bd, customer_name="江南智造装备股份有限公司")
    po = make_po(owner, state="under_verification", bd=bd)
    pair = DuplicatePair.objects.get(po=po, lead=lead)
    assert pair in duplicate_queue()
    services.duplicate_decide(actor=bd, pair=pair, decision="dismiss", note="不同项目")
    assert pair not in duplicate_queue()
    assert verify(bd, po).state == S.VERIFIED
    with pytest.raises(DomainError):
        services.duplicate_decide(actor=bd, pair=pair, decision="apply")


def test_undecided_po_pairs_cannot_be_applied(owner, outsider, bd):
    make_po(owner, state="submitted", bd=bd)
    make_po(outsider, state="submitted", bd=bd)
    pair = duplicate_queue().get()
    assert not verdict_for(pair).decided
    with pytest.raises(DomainError) as exc:
        services.duplicate_decide(actor=bd, pair=pair, decision="apply")
    assert exc.value.code == "undecided"


def test_pairs_of_dead_items_leave_the_queue(owner, outsider, bd):
    a = make_po(owner, state="submitted", bd=bd)
    make_po(outsider, state="submitted", bd=bd)
    assert duplicate_queue().count() == 1
    services.po_reject(actor=bd, po=a, reason="no_real_demand")
    assert duplicate_queue().count() == 0


def test_a_returned_po_renamed_onto_a_verified_customer_cannot_resubmit(owner, outsider, bd):
    verify(bd, make_po(owner, state="under_verification", bd=bd))
    po = make_po(outsider, state="submitted", bd=bd, customer_name="别的客户有限公司")
    po = services.po_return_for_changes(
        actor=bd, po=po, fields=["customer_name"], comment="请写全称"
    )
    services.po_edit(actor=outsider, po=po, changes={"customer_name": "江南智造装备股份有限公司"})
    with pytest.raises(DomainError) as exc:
        services.po_resubmit(actor=outsider, po=po)
    assert exc.value.code == "duplicate"


def test_dismissed_pairs_let_both_be_verified(owner, outsider, bd):
    mine = make_po(owner, state="under_verification", bd=bd)
    theirs = make_po(outsider, state="under_verification", bd=bd)
    pair = DuplicatePair.objects.get()
    services.duplicate_decide(actor=bd, pair=pair, decision="dismiss")  # BD: not duplicates
    verify(bd, mine)
    theirs.refresh_from_db()
    assert theirs.state == S.UNDER_VERIFICATION  # dismissed: the rule leaves it alone
    assert verify(bd, theirs).state == S.VERIFIED


def test_the_two_duplicate_rules_are_one_function_each():
    """first_verified: earliest verification wins, ties to the lower id, unverified never;
    ho_wins: the HO wins when created in the CRM before the PO's verification."""
    from datetime import datetime, timedelta

    from opportunities import duplicates as dup
    from opportunities.models import Opportunity, VendorLead

    t0 = datetime(2026, 5, 1, tzinfo=UTC)
    FAR = datetime(2100, 1, 1, tzinfo=UTC)  # protection still running
    S = Opportunity.State
    a = Opportunity(pk=2, state=S.VERIFIED, verified_at=t0, protection="live", protected_until=FAR)
    b = Opportunity(pk=1, state=S.VERIFIED, verified_at=t0, protection="live", protected_until=FAR)
    c = Opportunity(
        pk=3,
        state=S.VERIFIED,
        verified_at=t0 - timedelta(hours=1),
        protection="live",
        protected_until=FAR,
    )
    pending = Opportunity(pk=4, state=S.SUBMITTED, verified_at=None)
    # Verified earliest, but its protection ended (lost): it wins nothing any more.
    lost = Opportunity(
        pk=5, state=S.VERIFIED, verified_at=t0 - timedelta(days=1), protection="lost"
    )
    assert dup.first_verified([a, b]) is b
    assert dup.first_verified([a, b, c, pending, lost]) is c
    assert dup.first_verified([pending]) is None
    assert dup.first_verified([lost]) is None
    lead = VendorLead(crm_created_at=t0)
    assert dup.ho_wins(lead, None)
    assert dup.ho_wins(lead, t0 + timedelta(minutes=1))
    assert not dup.ho_wins(lead, t0)  # a tie goes to the PO, on every path
    assert not dup.ho_wins(lead, t0 - timedelta(minutes=1))


def test_bd_todo_walk_gives_the_queue_by_deadline(owner, outsider, bd):
    """`duplicates_by_deadline` (two index walks, keys checked in batches) gives exactly the
    live pairs of `duplicate_queue()` by their PO's deadline, protected POs included, stale
    pairs skipped, at every limit; `checked_pairs` slices like the queue even one key at a
    time."""
    from datetime import timedelta

    from opportunities.selectors import checked_pairs, duplicates_by_deadline, open_pairs
    from partner_center.paging import CheckedWalk

    for n in range(6):
        name = f"并行测试客户{n}有限公司"
        make_po(owner, state="submitted", bd=bd, customer_name=name)
        make_po(outsider, state="under_verification", bd=bd, customer_name=name)
    make_lead(bd, customer_name="江南智造装备股份有限公司")
    make_po(owner, state="submitted", bd=bd, customer_name="江南智造装备股份有限公司")
    pairs = list(open_pairs().order_by("pk"))
    assert len(pairs) == 7
    now = timezone.now()
    for i, pair in enumerate(pairs):  # deadlines out of key order
        Opportunity.objects.filter(pk=pair.po_id).update(deadline=now + timedelta(hours=7 - i))
    # one PO verified and protected (its deadline long past), one pair gone stale
    Opportunity.objects.filter(pk=pairs[3].po_id).update(
        state=S.VERIFIED,
        protection=Opportunity.Protection.LIVE,
        protected_until=now + timedelta(days=30),
        deadline=now - timedelta(days=20),
    )
    services.po_reject(actor=bd, po=pairs[5].other_po, reason="no_real_demand")

    live = list(duplicate_queue())
    assert len(live) == 6 and pairs[5] not in live
    expected = sorted(live, key=lambda p: (p.po.deadline, p.po_id, p.pk))
    assert expected[0] == pairs[3]
    for limit in range(1, 9):
        assert duplicates_by_deadline(limit) == expected[:limit]

    keys = open_pairs().order_by("-detected_at", "-id").values_list("pk", flat=True)
    walk = CheckedWalk(keys, duplicate_queue().in_bulk, batch=1)
    for start, stop in [(0, 1), (0, 6), (2, 4), (5, 9), (7, 9)]:
        assert walk[start:stop] == list(duplicate_queue()[start:stop])
    assert checked_pairs(open_pairs().order_by("-detected_at", "-id"))[0:20] == live
