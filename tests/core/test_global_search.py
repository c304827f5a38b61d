"""Global search (top bar): the user's own customers, opportunities, bills, invoices, help and
menu pages; scoped like the lists, everyday words and glossary terms alike."""

import pytest
from django.urls import reverse

from tests.helpers import count_queries
from tests.opportunities.conftest import make_po

pytestmark = pytest.mark.django_db


def search(client, q, lang="en"):
    response = client.get(reverse("search"), {"q": q}, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return response


def hits(response, key):
    for section in response.context["sections"]:
        if section.key == key:
            return [h.title for h in section.hits]
    return None


def test_finds_own_opportunities_by_customer_project_or_number_never_another_partners(
    login, owner, outsider, bd
):
    mine = make_po(owner, customer_name="青石湾物流有限公司", project_name="仓储调度上云")
    make_po(outsider, customer_name="青石湾物流有限公司", project_name="别家的项目")
    client = login(owner)
    found = hits(search(client, "青石湾"), "opportunities")
    assert found == [f"PO #{mine.pk} · 青石湾物流有限公司"]
    assert hits(search(client, "调度"), "opportunities") == found
    assert hits(search(client, f"#{mine.pk}"), "opportunities") == found
    assert hits(search(client, "别家"), "opportunities") == []
    # BD sees every partner's
    assert len(hits(search(login(bd), "青石湾"), "opportunities")) == 2


def test_help_and_menu_pages_with_everyday_words(login, owner):
    client = login(owner)
    response = search(client, "商机 考核", "zh-hans")
    assert any("考核" in t for t in hits(response, "help"))
    from django.utils import translation

    from partner_center.menus import menu_for

    with translation.override("en"):
        entry = menu_for(owner)[-1]["entries"][-1]
        label = str(entry["label"])
    pages = search(client, label.lower()).context["pages"]
    assert entry["url"] in [p.url for p in pages]


def test_sections_follow_what_the_user_may_see(login, bd, customer_user):
    assert hits(search(login(bd), "2026"), "bills") is None  # vendor staff have no bills
    response = search(login(customer_user), "anything")
    assert hits(response, "opportunities") is None and hits(response, "customers") is None


def test_nothing_found_and_empty_query(login, owner):
    client = login(owner)
    assert "Nothing found" in search(client, "zzqx-no-such-thing").content.decode()
    assert search(client, "").context["sections"] == []


def test_bounded_queries_however_many_hits(login, owner):
    client = login(owner)
    make_po(owner, customer_name="云杉数据有限公司")
    few = count_queries(search, client, "云杉")
    for n in range(8):
        make_po(owner, customer_name=f"云杉数据有限公司{n}")
    assert count_queries(search, client, "云杉") == few
    response = search(client, "云杉")
    section = next(s for s in response.context["sections"] if s.key == "opportunities")
    assert len(section.hits) == 5 and section.more


def test_top_bar_has_the_search_box(login, owner):
    body = login(owner).get(reverse("home")).content.decode()
    assert 'data-testid="top-search"' in body and 'data-testid="search-link"' in body


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get(reverse("search"), {"q": "x"}).status_code == 302
