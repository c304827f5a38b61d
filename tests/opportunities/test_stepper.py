"""The deal page's status stepper: where a PO or HO stands, the deadline on the waiting step."""

import pytest
from django.urls import reverse
from django.utils import translation

from opportunities.stepper import steps
from tests.opportunities.conftest import make_ho

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def shape(opp):
    return [(s.label, s.status, s.deadline is not None) for s in steps(opp)]


def test_po_steps(po_of):
    assert [s.status for s in steps(po_of("draft"))] == ["current", "todo", "todo", "todo"]
    assert shape(po_of("submitted"))[1] == ("Review", "current", True)
    assert shape(po_of("returned"))[1] == ("Returned for changes", "returned", True)
    assert [s.status for s in steps(po_of("under_verification"))] == [
        "done",
        "done",
        "current",
        "todo",
    ]
    assert [s.status for s in steps(po_of("verified"))] == ["done"] * 4
    rejected = shape(po_of("rejected"))
    assert rejected[-1] == ("Rejected", "failed", False)


def test_ho_steps(bd, partner, owner):
    assert shape(make_ho(bd, partner)) == [
        ("Shared with you", "current", True),
        ("Accepted", "todo", False),
    ]
    assert [s.status for s in steps(make_ho(bd, partner, state="accepted", user=owner))] == [
        "done",
        "done",
    ]
    declined = shape(make_ho(bd, partner, state="declined", user=owner))
    assert declined[-1] == ("Declined", "failed", False)


def test_the_deal_page_shows_it_in_both_languages(login, owner, po_of):
    po = po_of("submitted")
    client = login(owner)
    url = reverse("opportunities:detail", args=[po.pk])
    zh = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="stepper"' in zh and "审核" in zh
    en = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'aria-current="step"' in en and "Verification" in en
