import pytest
from django.urls import reverse

from tests.helpers import count_queries
from tests.opportunities.conftest import make_ho, make_po

pytestmark = pytest.mark.django_db


def _cards(response):
    return {card.title: card for card in response.context["cards"]}


def test_partner_landing_counts_what_waits_for_it(owner, outsider, bd, login):
    make_ho(bd, owner.partner)
    make_ho(bd, owner.partner)
    make_ho(bd, outsider.partner)
    make_po(owner, state="returned", bd=bd)
    make_po(owner, state="submitted", bd=bd)
    cards = _cards(login(owner).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en"))
    assert cards["HOs waiting for your answer"].value == "2"
    assert cards["POs returned for changes"].value == "1"
    assert cards["POs in review"].value == "2"
    outsider_cards = _cards(login(outsider).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en"))
    assert outsider_cards["HOs waiting for your answer"].value == "1"
    assert outsider_cards["POs returned for changes"].value == "0"


def test_bd_landing_counts_the_review_queue(owner, bd, login):
    make_po(owner, state="submitted", bd=bd)
    cards = _cards(login(bd).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en"))
    assert cards["POs to review"].value == "1"


def test_landing_page_query_count_does_not_grow(owner, bd, login):
    client = login(owner)
    make_ho(bd, owner.partner)  # one dated to-do item: the countdowns' one calendar query
    client.get(reverse("home"))
    before = count_queries(client.get, reverse("home"))
    for _ in range(5):
        make_ho(bd, owner.partner)
        make_po(owner, state="submitted", bd=bd)
    assert count_queries(client.get, reverse("home")) == before
