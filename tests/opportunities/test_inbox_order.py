"""The HO inbox lists pending HOs first (nearest deadline first), then the handled ones; the
list's accept button asks for confirmation before it acts."""

import pytest
from django.urls import reverse

from tests.opportunities.conftest import make_ho

pytestmark = pytest.mark.django_db


def test_pending_first_then_handled_newest_first(login, owner, bd, partner):
    accepted = make_ho(bd, partner, state="accepted", user=owner)
    first = make_ho(bd, partner)
    second = make_ho(bd, partner)
    declined = make_ho(bd, partner, state="declined", user=owner)
    client = login(owner)
    response = client.get(reverse("opportunities:ho_inbox"))
    rows = [o.pk for o in response.context["page_obj"].object_list]
    assert set(rows[:2]) == {first.pk, second.pk}  # both pending, whatever their age
    assert rows[2:] == [declined.pk, accepted.pk]
    body = response.content.decode()
    assert body.count("data-confirm=") >= 2  # each pending row's accept asks first


def test_a_returned_po_is_fixed_and_resubmitted_in_one_step(login, owner, po_of):
    po = po_of("returned")  # BD unlocked contact_phone
    client = login(owner)
    page = client.get(reverse("opportunities:po_edit", args=[po.pk])).content.decode()
    assert 'data-testid="save-and-resubmit"' in page
    form = {"contact_phone": "13800138000", "resubmit": "1"}
    response = client.post(reverse("opportunities:po_edit", args=[po.pk]), form)
    assert response.status_code == 302
    po.refresh_from_db()
    assert po.state == "submitted" and po.contact_phone == "13800138000"


def test_a_refused_resubmission_saves_nothing(login, owner, po_of, monkeypatch):
    from opportunities.services import pos
    from partner_center.errors import DomainError

    po = po_of("returned")

    def refuse(**kwargs):
        raise DomainError("refused for the test")

    monkeypatch.setattr(pos, "po_resubmit", refuse)
    client = login(owner)
    client.post(
        reverse("opportunities:po_edit", args=[po.pk]),
        {"contact_phone": "13800138000", "resubmit": "1"},
    )
    po.refresh_from_db()
    assert po.state == "returned" and po.contact_phone != "13800138000"
