"""Pipeline tools (issue [5]): owners (defaults, reassign, hand-over when a member leaves),
"mine" and "Action needed", saved views — on the pages, the API and with fixed queries."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from opportunities import services
from opportunities.models import Opportunity, SavedView, VendorLead
from opportunities.services import owners, saved_views
from partner_center.accounts.permissions import Role
from partner_center.audit.models import Event
from partner_center.audit.verbs import Verb
from partner_center.errors import DomainError, NotAllowed
from partner_center.members import services as members
from partner_center.notifications.models import Notification
from tests.factories import UserFactory
from tests.helpers import api_client as api
from tests.helpers import count_queries

from .conftest import make_ho, make_lead, make_po

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"opportunities:{name}", args=args)


@pytest.fixture
def bd2(db):
    return UserFactory(role=Role.BD, email="bd2@vendor.test", full_name="BD 赵")


def _events(obj, verb):
    ct = ContentType.objects.get_for_model(type(obj))
    return Event.objects.filter(subject_type=ct, subject_id=obj.pk, verb=verb)


# ---- Owners: defaults ----------------------------------------------------------------------


def test_owners_are_set_where_deals_are_born(owner, teammate, bd, bd2, partner):
    po = make_po(teammate)
    assert po.owner == teammate and po.bd_owner is None
    po = services.po_submit(actor=teammate, po=po, consent=services.Consent(True, "email"))
    po = services.po_start_verification(actor=bd, po=po)
    assert po.bd_owner == bd  # the reviewer, as nobody was assigned
    lead = make_lead(bd)
    assert lead.bd_owner == bd
    owners.lead_set_bd_owner(actor=bd, lead=lead, bd_owner=bd2)
    share = services.ho_share(actor=bd, lead=VendorLead.objects.get(pk=lead.pk), partner=partner)
    assert share.bd_owner == bd2 and share.owner is None  # the lead's BD owner
    share = services.ho_accept(actor=teammate, ho=share)
    assert Opportunity.objects.get(pk=share.pk).owner == teammate
    other = make_ho(bd, partner)  # a lead without another owner: the sharer
    assert other.bd_owner == bd


# ---- Owners: reassign ----------------------------------------------------------------------


def test_partner_admin_reassigns_with_an_event_and_a_notice(owner, teammate, outsider, bd):
    po = make_po(owner)
    owners.opportunity_set_owner(actor=owner, opportunity=po, owner=teammate)
    po.refresh_from_db()
    assert po.owner == teammate
    event = _events(po, Verb.OPPORTUNITY_OWNER_CHANGED).get()
    assert event.actor == owner and event.data == {"from": owner.pk, "to": teammate.pk}
    notice = Notification.objects.get(recipient=teammate, kind="opportunities.owner_assigned")
    assert notice.title_message["key"] == "You now own opportunity #%(number)s"
    assert notice.title_in("en") == f"You now own opportunity #{po.pk}"
    assert notice.title_in("zh-hans") == f"机会点 #{po.pk} 现在由您负责"
    # a member may not reassign; nobody outside the partner can be the owner
    with pytest.raises(NotAllowed):
        owners.opportunity_set_owner(actor=teammate, opportunity=po, owner=owner)
    with pytest.raises(DomainError) as exc:
        owners.opportunity_set_owner(actor=owner, opportunity=po, owner=outsider)
    assert exc.value.field == "owner"
    with pytest.raises(NotAllowed):
        owners.opportunity_set_owner(actor=outsider, opportunity=po, owner=outsider)
    with pytest.raises(DomainError):
        owners.opportunity_set_owner(actor=owner, opportunity=po, owner=bd)


def test_bd_reassigns_deals_and_leads(owner, bd, bd2):
    po = make_po(owner, state="submitted", bd=bd)
    owners.opportunity_set_bd_owner(actor=bd, opportunity=po, bd_owner=bd2)
    po.refresh_from_db()
    assert po.bd_owner == bd2
    assert _events(po, Verb.OPPORTUNITY_BD_OWNER_CHANGED).count() == 1
    assert Notification.objects.filter(recipient=bd2, kind="opportunities.owner_assigned").exists()
    with pytest.raises(DomainError) as exc:
        owners.opportunity_set_bd_owner(actor=bd, opportunity=po, bd_owner=owner)
    assert exc.value.field == "bd_owner"
    with pytest.raises(NotAllowed):
        owners.opportunity_set_bd_owner(actor=owner, opportunity=po, bd_owner=bd)
    lead = make_lead(bd)
    owners.lead_set_bd_owner(actor=bd, lead=lead, bd_owner=bd2)
    assert VendorLead.objects.get(pk=lead.pk).bd_owner == bd2
    assert _events(lead, Verb.LEAD_BD_OWNER_CHANGED).count() == 1


def test_reassign_on_the_pages(login, owner, teammate, outsider, bd, bd2):
    po = make_po(owner, state="submitted", bd=bd)
    page = login(owner).get(url("detail", po.pk)).content.decode()
    assert 'data-testid="owner-form"' in page and 'data-testid="bd-owner-form"' not in page
    response = login(owner).post(url("owner", po.pk), {"owner": teammate.pk})
    assert response.status_code == 302
    assert Opportunity.objects.get(pk=po.pk).owner == teammate
    # a member sees the owners, without the form; an outsider gets 404
    page = login(teammate).get(url("detail", po.pk)).content.decode()
    assert 'data-testid="owners"' in page and 'data-testid="owner-form"' not in page
    assert login(teammate).post(url("owner", po.pk), {"owner": teammate.pk}).status_code == 403
    assert login(outsider).post(url("owner", po.pk), {"owner": outsider.pk}).status_code == 404
    # BD
    page = login(bd).get(url("detail", po.pk)).content.decode()
    assert 'data-testid="bd-owner-form"' in page
    login(bd).post(url("bd_owner", po.pk), {"bd_owner": bd2.pk})
    assert Opportunity.objects.get(pk=po.pk).bd_owner == bd2
    lead = make_lead(bd)
    assert (
        'data-testid="lead-bd-owner-form"'
        in login(bd).get(url("lead_detail", lead.pk)).content.decode()
    )
    login(bd).post(url("lead_bd_owner", lead.pk), {"bd_owner": bd2.pk})
    assert VendorLead.objects.get(pk=lead.pk).bd_owner == bd2
    assert login(owner).post(url("lead_bd_owner", lead.pk), {"bd_owner": bd.pk}).status_code == 403
    # a refused target is a message, not a change
    response = login(bd).post(url("bd_owner", po.pk), {"bd_owner": owner.pk}, follow=True)
    assert Opportunity.objects.get(pk=po.pk).bd_owner == bd2
    assert response.status_code == 200


def test_owners_in_the_api(owner, teammate, outsider, bd, bd2, partner):
    po = make_po(owner, state="submitted", bd=bd)
    row = api(owner).get("/api/v1/opportunities/po/").json()["results"][0]
    assert row["owner"] == owner.pk and row["owner_name"] == str(owner)
    assert row["bd_owner"] is None and row["bd_owner_name"] is None
    response = api(owner).post(f"/api/v1/opportunities/po/{po.pk}/owner/", {"owner": teammate.pk})
    assert response.status_code == 200 and response.json()["owner"] == teammate.pk
    response = api(owner).post(f"/api/v1/opportunities/po/{po.pk}/owner/", {"owner": outsider.pk})
    assert response.status_code == 400 and "owner" in response.json()["fields"]
    response = api(outsider).post(
        f"/api/v1/opportunities/po/{po.pk}/owner/", {"owner": outsider.pk}
    )
    assert response.status_code == 404
    assert (
        api(teammate)
        .post(f"/api/v1/opportunities/po/{po.pk}/owner/", {"owner": teammate.pk})
        .status_code
        == 403
    )
    response = api(bd).post(f"/api/v1/opportunities/po/{po.pk}/bd-owner/", {"bd_owner": bd2.pk})
    assert response.status_code == 200 and response.json()["bd_owner_name"] == str(bd2)
    ho = make_ho(bd, partner)
    response = api(bd).post(f"/api/v1/opportunities/ho/{ho.pk}/bd-owner/", {"bd_owner": bd2.pk})
    assert response.status_code == 200
    response = api(bd).post(
        f"/api/v1/opportunities/leads/{ho.lead_id}/bd-owner/", {"bd_owner": bd2.pk}
    )
    assert response.status_code == 200 and response.json()["bd_owner"] == bd2.pk
    assert api(bd).get("/api/v1/opportunities/leads/?mine=true").json()["count"] == 0
    assert api(bd2).get("/api/v1/opportunities/leads/?mine=true").json()["count"] == 1


# ---- Owners: a member leaves -------------------------------------------------------------


def test_a_member_who_leaves_hands_open_deals_to_the_partner_admin(owner, teammate, bd):
    membership = members.member_link_existing(actor=None, user=teammate)
    draft = make_po(teammate)
    submitted = make_po(teammate, state="submitted", bd=bd, customer_name="乙客户有限公司")
    rejected = make_po(teammate, state="rejected", bd=bd, customer_name="丙客户有限公司")
    members.member_unlink(actor=owner, membership=membership)
    for po in (draft, submitted):
        po.refresh_from_db()
        assert po.owner == owner
        event = _events(po, Verb.OPPORTUNITY_OWNER_HANDED_OVER).get()
        assert event.data == {"from": teammate.pk, "to": owner.pk}
    rejected.refresh_from_db()
    assert rejected.owner == teammate  # a closed deal keeps its history
    notice = Notification.objects.get(recipient=owner, kind="opportunities.owner_handed_over")
    assert "2" in notice.title


def _deactivate(client, admin_user, user):
    """The admin unticks "active" on the user's admin page (all else as it was)."""
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        {
            "email": user.email,
            "full_name": user.full_name,
            "phone": "",
            "real_name_status": user.real_name_status,
            "site": user.site,
            "role": user.role,
            "partner": user.partner_id or "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "is_active": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def test_a_deactivated_member_hands_over_too(client, admin_user, owner, teammate):
    po = make_po(teammate)
    _deactivate(client, admin_user, teammate)
    po.refresh_from_db()
    assert po.owner == owner


def test_a_deactivated_bd_user_leaves_deals_and_leads_unassigned(
    client, admin_user, owner, bd, bd2
):
    po = make_po(owner, state="submitted", bd=bd)
    closed = make_po(owner, state="rejected", bd=bd)
    owners.opportunity_set_bd_owner(actor=bd, opportunity=po, bd_owner=bd)
    owners.opportunity_set_bd_owner(actor=bd, opportunity=closed, bd_owner=bd)
    lead = make_lead(bd)
    others = make_lead(bd2)
    _deactivate(client, admin_user, bd)
    for obj in (po, closed, lead, others):
        obj.refresh_from_db()
    assert (po.bd_owner, lead.bd_owner) == (None, None)
    assert closed.bd_owner == bd and others.bd_owner == bd2  # closed deals keep their history
    event = _events(po, Verb.OPPORTUNITY_BD_OWNER_CHANGED).last()
    assert event.data == {"from": bd.pk, "to": None, "deactivated": True}


# ---- "Mine" and "Action needed" ----------------------------------------------------------


def test_mine_filters_by_owner_and_bd_owner(login, owner, teammate, bd, bd2, partner):
    make_po(owner, customer_name="我的客户有限公司")
    make_po(teammate, customer_name="同事客户有限公司")
    body = login(owner).get(url("list"), {"mine": "on"}).content.decode()
    assert "我的客户" in body and "同事客户" not in body
    mine = make_po(owner, state="submitted", bd=bd, customer_name="甲审核客户有限公司")
    other = make_po(owner, state="submitted", bd=bd, customer_name="乙审核客户有限公司")
    owners.opportunity_set_bd_owner(actor=bd, opportunity=mine, bd_owner=bd)
    owners.opportunity_set_bd_owner(actor=bd, opportunity=other, bd_owner=bd2)
    body = login(bd).get(url("review_queue"), {"mine": "on"}).content.decode()
    assert "甲审核客户" in body and "乙审核客户" not in body
    lead = make_lead(bd, customer_name="池中客户有限公司")
    make_lead(bd2, customer_name="别人池中客户有限公司")
    body = login(bd).get(url("pool"), {"mine": "on"}).content.decode()
    assert lead.customer_name in body and "别人池中客户" not in body
    assert 'data-testid="lead-bd-owner"' in body


def test_action_needed_is_the_default_view(login, owner, bd, partner):
    make_po(owner, customer_name="草稿客户有限公司")
    make_po(owner, state="submitted", bd=bd, customer_name="已提交客户有限公司")
    make_po(owner, state="returned", bd=bd, customer_name="退回客户有限公司")
    make_po(owner, state="under_verification", bd=bd, customer_name="验证中客户有限公司")
    make_ho(bd, partner, customer_name="待接受客户有限公司")
    response = login(owner).get(url("list"))
    body = response.content.decode()
    assert response.context["views_active"] == "action"
    for name in ("草稿客户", "退回客户", "待接受客户"):
        assert name in body
    assert "已提交客户" not in body and "验证中客户" not in body
    body = login(owner).get(url("list"), {"view": "all"}).content.decode()
    assert "已提交客户" in body and "草稿客户" in body
    # paging keeps the default view
    response = login(owner).get(url("list"), {"page": "1", "page_size": "2"})
    assert response.context["views_active"] == "action"
    assert "?page=2" in response.content.decode() or "page=2" in response.content.decode()
    # BD's queue: what BD must review or verify, the nearest deadline first
    response = login(bd).get(url("review_queue"))
    names = [row.customer_name for row in response.context["rows"]]
    assert names == ["已提交客户有限公司", "验证中客户有限公司"]
    all_rows = login(bd).get(url("review_queue"), {"view": "all"}).context["rows"]
    assert len(all_rows) == 3  # with the returned PO
    # API: the same filter by name
    data = api(owner).get("/api/v1/opportunities/po/?action_needed=true").json()
    assert sorted(r["customer_name"] for r in data["results"]) == [
        "草稿客户有限公司",
        "退回客户有限公司",
    ]


# ---- Saved views ---------------------------------------------------------------------------


def test_saved_views_on_the_page(login, owner, teammate, bd):
    make_po(owner, customer_name="草稿客户有限公司")
    client = login(owner)
    response = client.post(
        url("saved_view_save"),
        {"list_key": "opportunities", "name": " 我的 草稿 ", "query": "state=draft&page=3&x=1"},
    )
    view = SavedView.objects.get(user=owner)
    assert view.name == "我的 草稿" and view.query == "state=draft"
    assert response.url == url("list") + "?state=draft"
    page = client.get(url("list"), {"state": "draft"})
    assert page.context["views_active"] == f"saved-{view.pk}"
    assert 'data-testid="saved-view"' in page.content.decode()
    # the same name again replaces the filters
    client.post(
        url("saved_view_save"),
        {"list_key": "opportunities", "name": "我的 草稿", "query": "state=returned"},
    )
    assert SavedView.objects.get(user=owner).query == "state=returned"
    # nothing to save without a filter; a list the user may not use is refused
    client.post(url("saved_view_save"), {"list_key": "opportunities", "name": "空", "query": ""})
    client.post(
        url("saved_view_save"), {"list_key": "review_queue", "name": "x", "query": "sort=deadline"}
    )
    assert SavedView.objects.filter(user=owner).count() == 1
    # per user: the teammate neither sees nor deletes it
    assert "我的 草稿" not in login(teammate).get(url("list")).content.decode()
    assert login(teammate).post(url("saved_view_delete", view.pk)).status_code == 404
    assert client.post(url("saved_view_delete", view.pk)).status_code == 302
    assert not SavedView.objects.exists()
    # BD's lists
    response = login(bd).post(
        url("saved_view_save"), {"list_key": "ho_pool", "name": "我的", "query": "mine=on"}
    )
    assert response.url == url("pool") + "?mine=on"
    assert "我的" in login(bd).get(url("pool"), {"mine": "on"}).content.decode()


def test_saved_views_in_the_api(owner, teammate, outsider):
    response = api(owner).post(
        "/api/v1/opportunities/saved-views/",
        {"list_key": "ho_inbox", "name": "快到期", "query": "deadline_soon=on&sort=deadline"},
    )
    assert response.status_code == 201, response.json()
    view_id = response.json()["id"]
    assert response.json()["query"] == "deadline_soon=on&sort=deadline"
    listed = api(owner).get("/api/v1/opportunities/saved-views/?list_key=ho_inbox").json()
    assert [v["id"] for v in listed["results"]] == [view_id]
    assert api(teammate).get("/api/v1/opportunities/saved-views/").json()["count"] == 0
    assert api(outsider).delete(f"/api/v1/opportunities/saved-views/{view_id}/").status_code == 404
    response = api(owner).post(
        "/api/v1/opportunities/saved-views/", {"list_key": "ho_inbox", "name": "", "query": "x=1"}
    )
    assert response.status_code == 400
    response = api(owner).post(
        "/api/v1/opportunities/saved-views/",
        {"list_key": "ho_inbox", "name": "无", "query": "unknown=1"},
    )
    assert response.status_code == 400 and "query" in response.json()["fields"]
    assert api(owner).delete(f"/api/v1/opportunities/saved-views/{view_id}/").status_code == 204
    assert not SavedView.objects.exists()


def test_saved_views_have_a_limit(owner):
    for i in range(saved_views.MAX_VIEWS_PER_LIST):
        saved_views.saved_view_save(
            actor=owner, list_key="opportunities", name=f"v{i}", query=f"customer={i}"
        )
    with pytest.raises(DomainError):
        saved_views.saved_view_save(
            actor=owner, list_key="opportunities", name="one more", query="customer=x"
        )


# ---- Query counts: 1 vs 50 rows (and saved views) -----------------------------------------


LIST_KEYS = {
    "list": "opportunities",
    "ho_inbox": "ho_inbox",
    "review_queue": "review_queue",
    "pool": "ho_pool",
}


def _rows(n, owner, teammate, bd, partner):
    for i in range(n):
        po = make_po(owner, state="submitted", bd=bd, customer_name=f"客户{i:03d}有限公司")
        services.po_start_verification(actor=bd, po=po)
        make_po(teammate, customer_name=f"草稿{i:03d}有限公司")
        ho = make_ho(bd, partner, customer_name=f"HO客户{i:03d}有限公司")
        owners.lead_set_bd_owner(actor=bd, lead=ho.lead, bd_owner=bd)
        if i % 2:
            services.ho_accept(actor=owner, ho=ho)  # the owner owns it


@pytest.mark.parametrize(
    ("persona", "name", "query"),
    [
        ("owner", "list", {}),  # the default view, Action needed
        ("owner", "list", {"mine": "on", "view": "all"}),
        ("owner", "ho_inbox", {"mine": "on"}),
        ("bd", "list", {}),
        ("bd", "review_queue", {}),
        ("bd", "review_queue", {"mine": "on"}),
        ("bd", "pool", {"mine": "on"}),
    ],
)
def test_pipeline_lists_run_a_fixed_number_of_queries(
    request, login, owner, teammate, bd, partner, persona, name, query
):
    user = request.getfixturevalue(persona)
    client = login(user)
    _rows(2, owner, teammate, bd, partner)
    one = count_queries(client.get, url(name), {**query, "page_size": 50})
    _rows(50, owner, teammate, bd, partner)
    for i in range(5):  # saved views are read in one query, however many
        SavedView.objects.create(user=user, list_key="opportunities", name=f"v{i}", query="x=1")
    response = client.get(url(name), {**query, "page_size": 50})
    assert response.status_code == 200
    assert len(response.context["rows"]) >= 25
    many = count_queries(client.get, url(name), {**query, "page_size": 50})
    assert one == many


def test_api_lists_with_owners_run_a_fixed_number_of_queries(owner, teammate, bd, partner):
    _rows(1, owner, teammate, bd, partner)
    one = count_queries(api(owner).get, "/api/v1/opportunities/po/", {"page_size": 50})
    lead_one = count_queries(api(bd).get, "/api/v1/opportunities/leads/", {"page_size": 50})
    _rows(30, owner, teammate, bd, partner)
    assert count_queries(api(owner).get, "/api/v1/opportunities/po/", {"page_size": 50}) == one
    assert count_queries(api(bd).get, "/api/v1/opportunities/leads/", {"page_size": 50}) == lead_one


# ---- Admin ---------------------------------------------------------------------------------


def test_admin_actions_reassign_through_the_services(client, owner, teammate, bd, bd2):
    staff = UserFactory(
        role=Role.BD, email="bd-admin@vendor.test", is_staff=True, is_superuser=True
    )
    client.force_login(staff)
    po = make_po(owner)
    lead = make_lead(bd)
    changelist = reverse("admin:opportunities_opportunity_changelist")
    client.post(
        changelist,
        {"action": "action_set_bd_owner", "_selected_action": [po.pk], "owner_email": bd2.email},
    )
    assert Opportunity.objects.get(pk=po.pk).bd_owner == bd2
    # the portal's administrator (a superuser) may act for the partner
    client.post(
        changelist,
        {"action": "action_set_owner", "_selected_action": [po.pk], "owner_email": teammate.email},
    )
    assert Opportunity.objects.get(pk=po.pk).owner == teammate
    client.post(
        reverse("admin:opportunities_vendorlead_changelist"),
        {"action": "action_set_bd_owner", "_selected_action": [lead.pk], "owner_email": bd2.email},
    )
    assert VendorLead.objects.get(pk=lead.pk).bd_owner == bd2
    page = client.get(reverse("admin:opportunities_savedview_changelist"))
    assert page.status_code == 200


def test_a_saved_view_without_query_is_a_400(owner):
    response = api(owner).post(
        "/api/v1/opportunities/saved-views/", {"list_key": "opportunities", "name": "x"}
    )
    assert response.status_code == 400 and "query" in response.json()["fields"]
