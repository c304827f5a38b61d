"""BD's bulk review (issue [5]): one action on many POs from the review queue, each through
its single-item service (own event, own notification), a refused PO does not stop the others."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from opportunities import services
from opportunities.models import Opportunity
from opportunities.services.bulk import MAX_BULK_IDS
from partner_center.audit.models import Event
from partner_center.errors import DomainError, NotAllowed
from partner_center.notifications.models import Notification
from tests.helpers import api_client as api
from tests.helpers import count_queries

from .conftest import make_po

pytestmark = pytest.mark.django_db
S = Opportunity.State


def _submitted(owner, bd, n):
    return [
        make_po(owner, state="submitted", bd=bd, customer_name=f"客户{i:03d}有限公司")
        for i in range(n)
    ]


def _events(pos, verb):
    ct = ContentType.objects.get_for_model(Opportunity)
    return Event.objects.filter(subject_type=ct, subject_id__in=[p.pk for p in pos], verb=verb)


def test_bd_passes_review_of_50_pos_and_a_refused_one_does_not_stop_the_others(owner, bd):
    pos = _submitted(owner, bd, 50)
    verified = make_po(owner, state="verified", bd=bd, customer_name="已验证客户有限公司")
    Notification.objects.all().delete()
    results = services.po_bulk_review(bd, [p.pk for p in pos] + [verified.pk], "pass_review")
    by_id = {r.id: r for r in results}
    assert all(by_id[p.pk].ok for p in pos)
    refused = by_id[verified.pk]
    assert not refused.ok and refused.code == "wrong_state" and refused.message
    assert set(
        Opportunity.objects.filter(pk__in=[p.pk for p in pos]).values_list("state", flat=True)
    ) == {S.UNDER_VERIFICATION}
    assert Opportunity.objects.get(pk=verified.pk).state == S.VERIFIED
    assert _events(pos, "po.review_passed").count() == 50  # one event per PO
    notes = Notification.objects.filter(recipient=owner, kind="opportunities.review_passed")
    assert notes.count() == 50  # one notification per PO
    assert sorted(int(n.link.rstrip("/").rsplit("/", 1)[1]) for n in notes) == sorted(
        p.pk for p in pos
    )


def test_bulk_reject_with_one_reason(owner, bd):
    pos = _submitted(owner, bd, 3)
    results = services.po_bulk_review(
        bd, [p.pk for p in pos], "reject", reason="no_real_demand", comment="客户无预算"
    )
    assert all(r.ok for r in results)
    for po in Opportunity.objects.filter(pk__in=[p.pk for p in pos]):
        assert po.state == S.REJECTED
        assert po.decision_reason == "no_real_demand" and po.decision_note == "客户无预算"
    assert _events(pos, "po.rejected").count() == 3
    assert Notification.objects.filter(recipient=owner, kind="opportunities.rejected").count() == 3


def test_bulk_reject_without_reason_refuses_each_item(owner, bd):
    pos = _submitted(owner, bd, 2)
    results = services.po_bulk_review(bd, [p.pk for p in pos], "reject")
    assert [r.ok for r in results] == [False, False]
    assert Opportunity.objects.filter(pk__in=[p.pk for p in pos], state=S.SUBMITTED).count() == 2


def test_bulk_return_for_changes_unlocks_the_fields(owner, bd):
    pos = _submitted(owner, bd, 2)
    draft = make_po(owner, customer_name="草稿客户有限公司")
    results = services.po_bulk_review(
        bd,
        [p.pk for p in pos] + [draft.pk, 999999],
        "return_for_changes",
        fields=["contact_phone", "amount"],
        comment="请核对电话和金额",
    )
    by_id = {r.id: r for r in results}
    assert by_id[pos[0].pk].ok and by_id[pos[1].pk].ok
    assert not by_id[draft.pk].ok and not by_id[999999].ok
    assert by_id[999999].code == "not_found"
    for po in Opportunity.objects.filter(pk__in=[p.pk for p in pos]):
        assert po.state == S.RETURNED
        assert po.unlocked_fields == ["amount", "contact_phone"]
        assert po.return_comment == "请核对电话和金额"
    assert Notification.objects.filter(recipient=owner, kind="opportunities.returned").count() == 2


def test_partner_may_not_bulk_review_and_limits_hold(owner, bd):
    po = make_po(owner, state="submitted", bd=bd)
    with pytest.raises(NotAllowed):
        services.po_bulk_review(owner, [po.pk], "pass_review")
    with pytest.raises(DomainError):
        services.po_bulk_review(bd, list(range(1, MAX_BULK_IDS + 2)), "pass_review")
    with pytest.raises(DomainError):
        services.po_bulk_review(bd, [po.pk], "verify")
    with pytest.raises(DomainError):
        services.po_bulk_review(bd, [], "pass_review")


def test_query_count_grows_only_with_the_per_item_service_work(owner, bd):
    few = _submitted(owner, bd, 2)
    many = _submitted(owner, bd, 6)
    q_few = count_queries(services.po_bulk_review, bd, [p.pk for p in few], "pass_review")
    q_many = count_queries(services.po_bulk_review, bd, [p.pk for p in many], "pass_review")
    per_item = (q_many - q_few) / 4
    # The same work per PO as the single action, nothing more.
    single = make_po(owner, state="submitted", bd=bd, customer_name="单个客户有限公司")
    q_single = count_queries(services.po_start_verification, actor=bd, po=single)
    assert per_item <= q_single + 3  # + the savepoint's statements


# ---- API -----------------------------------------------------------------------------------


def test_api_bulk_review(owner, bd, outsider):
    pos = _submitted(owner, bd, 3)
    rejected = make_po(owner, state="rejected", bd=bd, customer_name="已驳回客户有限公司")
    url = "/api/v1/opportunities/po/bulk-review/"
    ids = [p.pk for p in pos] + [rejected.pk]
    response = api(bd).post(url, {"ids": ids, "action": "pass_review"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["done"] == 3 and body["refused"] == 1
    refused = [r for r in body["results"] if not r["ok"]]
    assert refused[0]["id"] == rejected.pk and refused[0]["message"]
    for user in (owner, outsider):
        assert (
            api(user).post(url, {"ids": ids, "action": "reject"}, format="json").status_code == 403
        )
    response = api(bd).post(url, {"ids": [], "action": "reject"}, format="json")
    assert response.status_code == 400 and "ids" in response.json()["fields"]


# ---- Page ----------------------------------------------------------------------------------


def test_review_queue_has_checkboxes_and_the_bulk_form_gives_a_summary(client, owner, bd):
    pos = _submitted(owner, bd, 2)
    verified = make_po(owner, state="verified", bd=bd, customer_name="已验证客户有限公司")
    client.force_login(bd)
    page = client.get(reverse("opportunities:review_queue")).content.decode()
    assert 'data-testid="select-all"' in page and f'data-testid="select-{pos[0].pk}"' in page
    response = client.post(
        reverse("opportunities:review_bulk"),
        {
            "ids": [p.pk for p in pos] + [verified.pk],
            "action": "reject",
            "reason": "no_real_demand",
            "comment": "",
            "next_query": "view=all",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith("?view=all")
    text = response.content.decode()
    assert ("Done: 2 POs." in text and "Refused: 1 POs." in text) or (
        "已完成：2 个 PO。" in text and "被拒绝：1 个 PO。" in text
    )
    assert f"PO #{verified.pk}" in text
    assert Opportunity.objects.filter(pk__in=[p.pk for p in pos], state=S.REJECTED).count() == 2


def test_partner_lists_have_no_checkboxes_and_partners_may_not_post(client, owner, bd):
    po = make_po(owner, state="submitted", bd=bd)
    client.force_login(owner)
    page = client.get(reverse("opportunities:list") + "?view=all").content.decode()
    assert 'data-testid="select-all"' not in page and f"/opportunities/{po.pk}/" in page
    response = client.post(
        reverse("opportunities:review_bulk"), {"ids": [po.pk], "action": "pass_review"}
    )
    assert response.status_code == 403
    assert Opportunity.objects.get(pk=po.pk).state == S.SUBMITTED
