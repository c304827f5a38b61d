import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _cards(response):
    return {card.title: card.value for card in response.context["cards"]}


def test_partner_landing_counts_its_own_customers(owner, outsider, association, login):
    mine = _cards(login(owner).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en"))
    assert mine["Associated customers"] == "1"
    assert mine["Resources expiring within 30 days"] == "0"
    theirs = _cards(login(outsider).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en"))
    assert theirs["Associated customers"] == "0"
