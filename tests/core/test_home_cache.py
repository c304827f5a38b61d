"""The landing page's cards are cached per user and language, and recomputed as soon as the
user's partner records an event; vendor staff's as soon as any event is recorded."""

import pytest
import time_machine
from django.urls import reverse

from opportunities import services
from opportunities.models import Opportunity
from tests.helpers import count_queries
from tests.opportunities.conftest import make_ho, make_lead, make_po

pytestmark = pytest.mark.django_db

PENDING = "HOs waiting for your answer"


@pytest.fixture(autouse=True)
def cards_cached(settings):
    settings.HOME_CARDS_CACHE_SECONDS = 60


def cards(client, lang="en") -> dict[str, str]:
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=lang)
    return {card.title: card.value for card in response.context["cards"]}


def test_cached_cards_save_their_queries(owner, login):
    client = login(owner)
    first = count_queries(client.get, reverse("home"))
    assert count_queries(client.get, reverse("home")) <= first - 4  # the cards' own queries


def test_an_event_of_the_partner_shows_at_once(
    owner, bd, login, django_capture_on_commit_callbacks
):
    client = login(owner)
    assert cards(client)[PENDING] == "0"
    with django_capture_on_commit_callbacks(execute=True):
        ho = make_ho(bd, owner.partner)  # the share records an event of the partner
    assert cards(client)[PENDING] == "1"
    # a change that records no event waits for the cache to expire
    Opportunity.objects.filter(pk=ho.pk).update(state=Opportunity.State.ACCEPTED)
    assert cards(client)[PENDING] == "1"


def test_another_partners_event_leaves_the_cache_alone(
    owner, outsider, bd, login, django_capture_on_commit_callbacks
):
    client = login(owner)
    client.get(reverse("home"))
    with django_capture_on_commit_callbacks(execute=True):
        make_ho(bd, outsider.partner)
    before = count_queries(client.get, reverse("home"))
    assert cards(client)[PENDING] == "0"
    assert count_queries(client.get, reverse("home")) == before


def test_each_user_and_language_has_its_own_cards(owner, outsider, bd, login, settings):
    make_ho(bd, outsider.partner)
    mine, theirs = login(owner), login(outsider)
    assert cards(mine)[PENDING] == "0"
    assert cards(theirs)[PENDING] == "1"
    assert cards(mine, "zh-hans")["待您接收的 HO"] == "0"
    assert PENDING not in cards(mine, "zh-hans")


def test_cards_expire_after_the_configured_time(owner, bd, login, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    client = login(owner)
    with time_machine.travel("2026-11-23 10:00 +0800", tick=False) as traveller:
        assert cards(client)[PENDING] == "0"
        make_ho(bd, owner.partner)  # its event's stamp change waits for a commit never made
        assert cards(client)[PENDING] == "0"
        traveller.shift(61)
        assert cards(client)[PENDING] == "1"


def test_vendor_staff_cards_are_kept_until_any_event(
    owner, outsider, bd, login, django_capture_on_commit_callbacks
):
    client = login(bd)
    first = count_queries(client.get, reverse("home"))
    kept = count_queries(client.get, reverse("home"))
    assert kept <= first - 4  # the cards' and the to-do list's own queries
    with django_capture_on_commit_callbacks(execute=True):
        make_ho(bd, outsider.partner)  # any partner's event
    assert count_queries(client.get, reverse("home")) == first
    assert count_queries(client.get, reverse("home")) == kept
    with django_capture_on_commit_callbacks(execute=True):
        make_lead(bd)  # an event of no partner
    assert count_queries(client.get, reverse("home")) == first


def test_the_cache_can_be_turned_off(owner, login, settings):
    settings.HOME_CARDS_CACHE_SECONDS = 0
    client = login(owner)
    client.get(reverse("home"))
    first = count_queries(client.get, reverse("home"))
    assert count_queries(client.get, reverse("home")) == first


def todo_kinds(client) -> list[str]:
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    return [item.kind for item in response.context["todo_items"]]


def test_the_todo_list_is_kept_like_the_cards(owner, bd, login, django_capture_on_commit_callbacks):
    client = login(owner)
    assert todo_kinds(client) == []
    with django_capture_on_commit_callbacks(execute=True):
        ho = make_ho(bd, owner.partner)  # the share records an event of the partner
    assert "ho_to_accept" in todo_kinds(client)
    # a change that records no event waits for the cache to expire ...
    Opportunity.objects.filter(pk=ho.pk).update(state=Opportunity.State.ACCEPTED)
    assert "ho_to_accept" in todo_kinds(client)
    # ... and the next event of the partner shows it
    with django_capture_on_commit_callbacks(execute=True):
        make_ho(bd, owner.partner)
    assert todo_kinds(client).count("ho_to_accept") == 1


def test_vendor_staff_todo_shows_another_bd_users_work_at_once(
    owner, bd, login, django_capture_on_commit_callbacks
):
    from partner_center.accounts.permissions import Role
    from tests.factories import UserFactory

    client = login(bd)
    with django_capture_on_commit_callbacks(execute=True):
        po = make_po(owner, state="submitted", bd=bd)
    assert "po_to_review" in todo_kinds(client)
    with django_capture_on_commit_callbacks(execute=True):  # another BD user takes it
        services.po_start_verification(actor=UserFactory(role=Role.BD), po=po)
    kinds = todo_kinds(client)
    assert "po_to_review" not in kinds and "po_to_verify" in kinds
