"""The "needs me" page (partner_center/todo.py): every actionable item of the user, nearest
deadline first, each with a next action that opens; nothing of another partner's."""

import pytest
from django.urls import reverse

from partner_center.todo import LIMIT
from tests.factories import partner_user
from tests.helpers import count_queries
from tests.opportunities.conftest import make_ho

pytestmark = pytest.mark.django_db


def todo(client, lang="en"):
    response = client.get(reverse("todo"), HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return response


def kinds(response) -> dict:
    found: dict = {}
    for item in response.context["todo_items"]:
        found.setdefault(item.kind, []).append(item)
    return found


def test_partner_sees_hos_returned_pos_and_drafts_nearest_deadline_first(
    login, owner, bd, partner, po_of, outsider
):
    late_ho = make_ho(bd, partner)
    returned = po_of("returned")
    draft = po_of("draft")
    make_ho(bd, outsider.partner)  # another partner's HO is not on this list
    client = login(owner)
    response = todo(client)
    found = kinds(response)
    assert [i.title.split(" · ")[0] for i in found["ho_to_accept"]] == [f"HO #{late_ho.pk}"]
    assert found["po_returned"][0].url == reverse("opportunities:po_edit", args=[returned.pk])
    assert found["po_draft"][0].url == reverse("opportunities:detail", args=[draft.pk])
    dated = [i.deadline for i in response.context["todo_items"] if i.deadline]
    assert dated == sorted(dated)
    assert response.context["todo_items"][-1].deadline is None  # undated items last
    for item in response.context["todo_items"]:  # every next action opens
        assert client.get(item.url).status_code == 200, item
    assert "Accept or decline" in response.content.decode()


def test_bd_sees_pos_to_review_and_verify(login, owner, bd, po_of):
    submitted = po_of("submitted")
    verifying = po_of("under_verification")
    client = login(bd)
    found = kinds(todo(client))
    assert [i.url for i in found["po_to_review"]] == [
        reverse("opportunities:detail", args=[submitted.pk])
    ]
    assert [i.url for i in found["po_to_verify"]] == [
        reverse("opportunities:detail", args=[verifying.pk])
    ]
    assert "ho_to_accept" not in found


def test_in_chinese_and_on_the_landing_page(login, owner, bd, partner):
    make_ho(bd, partner)
    client = login(owner)
    body = todo(client, "zh-hans").content.decode()
    assert "待您答复的 HO" in body and "接收或拒绝" in body
    home = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="todo-home"' in home and "1 项待您处理" in home


def test_a_user_with_nothing_to_do_gets_the_empty_state(login, partner):
    member = partner_user(partner, role="partner_member")
    client = login(member)
    response = todo(client)
    assert response.context["todo_items"] == []
    assert "All done" in response.content.decode()


def test_bounded_queries_and_rows_however_many_items(login, owner, bd, partner, po_of):
    make_ho(bd, partner)
    client = login(owner)
    few = count_queries(todo, client)
    for _ in range(LIMIT + 3):
        make_ho(bd, partner)
    assert count_queries(todo, client) == few
    response = todo(client)
    found = kinds(response)
    assert len(found["ho_to_accept"]) == LIMIT
    summary = {k.kind: k for k in response.context["todo_kinds"]}
    assert summary["ho_to_accept"].more and "20+" in response.content.decode()


def test_a_duplicate_opens_the_queue_at_its_decision_form(login, owner, bd):
    """The decide URL only takes a POST: the row opens the queue, narrowed to the pair."""
    from opportunities.models import DuplicatePair
    from tests.opportunities.conftest import make_lead, make_po

    make_lead(bd, customer_name="江南智造装备股份有限公司")
    make_po(owner, state="under_verification", bd=bd)
    pair = DuplicatePair.objects.get()
    client = login(bd)
    [item] = kinds(todo(client))["duplicate_to_decide"]
    assert item.url.endswith(f"#pair-{pair.pk}")
    page = client.get(item.url)
    assert page.status_code == 200
    body = page.content.decode()
    assert f'id="pair-{pair.pk}"' in body
    assert reverse("opportunities:duplicate_decide", args=[pair.pk]) in body


def test_titles_name_the_kind_the_same_way_in_chinese(login, owner, bd, partner, po_of):
    ho = make_ho(bd, partner)
    returned = po_of("returned")
    found = kinds(todo(login(owner), "zh-hans"))
    assert found["ho_to_accept"][0].title.split(" · ")[0] == f"HO #{ho.pk}"
    assert found["po_returned"][0].title.split(" · ")[0] == f"PO #{returned.pk}"
