"""Texts that state an SLA read its length from the rule (SLA_WORKING_DAYS)."""

import pytest
from django.urls import reverse

from opportunities import transitions

pytestmark = pytest.mark.django_db


@pytest.fixture
def longer_slas(monkeypatch):
    monkeypatch.setitem(transitions.SLA_WORKING_DAYS, transitions.K.PO, 12)
    monkeypatch.setitem(transitions.SLA_WORKING_DAYS, transitions.K.HO, 5)


@pytest.mark.parametrize(
    ("lang", "po_text", "ho_text"),
    [("en", "12 working days", "5 working days"), ("zh-hans", "12 个工作日", "5 个工作日")],
)
def test_bd_pages_state_the_rule(login, bd, longer_slas, lang, po_text, ho_text):
    client = login(bd)
    client.cookies["django_language"] = lang
    queue = client.get(reverse("opportunities:review_queue"), HTTP_ACCEPT_LANGUAGE=lang)
    assert po_text in queue.content.decode()
    pool = client.get(reverse("opportunities:pool"), HTTP_ACCEPT_LANGUAGE=lang)
    assert ho_text in pool.content.decode()


def test_pce_page_states_both_rules(login, owner, longer_slas):
    client = login(owner)
    page = client.get(reverse("programs:pce"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "12 working days" in page and "5 working days" in page
