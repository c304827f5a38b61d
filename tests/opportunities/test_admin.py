"""Django admin: lists, field locks from the same matrix, and state changes through the
services as actions."""

import pytest
from django.urls import reverse
from django.utils import timezone

from opportunities.admin import OpportunityAdmin
from opportunities.models import DuplicatePair, Opportunity, VendorLead
from partner_center.accounts.permissions import Role
from tests.factories import UserFactory

from .conftest import make_ho, make_lead, make_po

pytestmark = pytest.mark.django_db
S = Opportunity.State


@pytest.fixture
def staff_bd(db):
    """A BD user with Django admin access (superuser, role BD)."""
    return UserFactory(role=Role.BD, email="bd-admin@vendor.test", is_staff=True, is_superuser=True)


def _change_form_data(client, obj):
    response = client.get(reverse("admin:opportunities_opportunity_change", args=[obj.pk]))
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        data[name] = value
    return response, data


def test_admin_lists_render(login, admin_user, owner, bd, partner):
    make_po(owner, state="submitted", bd=bd)
    make_ho(bd, partner)
    make_lead(bd, customer_name="江南智造装备股份有限公司")
    client = login(admin_user)
    for name in (
        "opportunity",
        "vendorlead",
        "duplicatepair",
        "poimport",
        "customerkeylock",
    ):
        response = client.get(reverse(f"admin:opportunities_{name}_changelist"), {"q": "江南"})
        assert response.status_code == 200, name


def test_admin_follows_the_field_lock_matrix(login, admin_user, owner, bd):
    client = login(admin_user)
    verified = make_po(owner, state="verified", bd=bd)
    model_admin = OpportunityAdmin(Opportunity, None)
    readonly = model_admin.get_readonly_fields(None, verified)
    assert "customer_name" in readonly and "state" in readonly and "stage" not in readonly
    response, data = _change_form_data(client, verified)
    assert "customer_name" not in response.context["adminform"].form.fields
    data.update({"customer_name": "后台改名", "stage": "bidding"})
    response = client.post(
        reverse("admin:opportunities_opportunity_change", args=[verified.pk]), data
    )
    assert response.status_code == 302
    verified.refresh_from_db()
    assert verified.customer_name == "江南智造装备股份有限公司" and verified.stage == "bidding"
    submitted = make_po(owner, state="submitted", bd=bd, customer_name="另一客户有限公司")
    assert set(model_admin.get_readonly_fields(None, submitted)) >= {"amount", "customer_name"}


def test_admin_edit_of_a_draft_goes_through_the_service(login, admin_user, owner):
    draft = make_po(owner)
    client = login(admin_user)
    _, data = _change_form_data(client, draft)
    data["customer_name"] = "更正后的客户有限公司"
    data["products"] = '["ecs"]'
    client.post(reverse("admin:opportunities_opportunity_change", args=[draft.pk]), data)
    draft.refresh_from_db()
    assert draft.customer_name == "更正后的客户有限公司"
    assert draft.customer_key == "更正后的客户"  # recomputed by the service
    from partner_center.audit.selectors import timeline_for

    assert "po.edited" in [e.verb for e in timeline_for(draft)]


def test_admin_actions_run_the_services(login, staff_bd, owner, bd):
    po = make_po(owner, state="submitted", bd=bd)
    client = login(staff_bd)
    changelist = reverse("admin:opportunities_opportunity_changelist")
    client.post(changelist, {"action": "action_start_verification", "_selected_action": [po.pk]})
    po.refresh_from_db()
    assert po.state == S.UNDER_VERIFICATION
    client.post(changelist, {"action": "action_verify", "_selected_action": [po.pk]})
    po.refresh_from_db()
    assert po.state == S.UNDER_VERIFICATION  # refused: no account manager given
    client.post(
        changelist,
        {
            "action": "action_verify",
            "_selected_action": [po.pk],
            "account_manager": "刘经理",
            "confirmed_on": str(timezone.localdate()),
        },
    )
    po.refresh_from_db()
    assert po.state == S.VERIFIED
    client.post(changelist, {"action": "action_set_core_label", "_selected_action": [po.pk]})
    po.refresh_from_db()
    assert po.core_label
    other = make_po(owner, state="submitted", bd=bd, customer_name="第二客户有限公司")
    client.post(
        changelist,
        {
            "action": "action_return",
            "_selected_action": [other.pk],
            "fields_to_unlock": "amount, contact_phone",
            "comment": "请更正",
        },
    )
    other.refresh_from_db()
    assert other.state == S.RETURNED and other.unlocked_fields == ["amount", "contact_phone"]
    client.post(
        changelist,
        {"action": "action_reject", "_selected_action": [other.pk], "reason": "info_false"},
    )
    other.refresh_from_db()
    assert other.state == S.REJECTED


def test_admin_cannot_add_or_delete_opportunities(login, admin_user):
    client = login(admin_user)
    assert client.get(reverse("admin:opportunities_opportunity_add")).status_code == 403


def test_admin_lead_create_and_share(login, staff_bd, partner):
    client = login(staff_bd)
    response = client.post(
        reverse("admin:opportunities_vendorlead_add"),
        {
            "crm_id": "CRM-ADM-1",
            "crm_created_at_0": "2026-01-05",
            "crm_created_at_1": "09:30:00",
            "customer_name": "后台客户有限公司",
            "project_name": "项目",
            "products": '["ecs"]',
            "shares-TOTAL_FORMS": "0",
            "shares-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    lead = VendorLead.objects.get(crm_id="CRM-ADM-1")
    assert lead.customer_key == "后台客户"
    client.post(
        reverse("admin:opportunities_vendorlead_changelist"),
        {"action": "action_share", "_selected_action": [lead.pk], "partner": partner.pk},
    )
    assert Opportunity.objects.get(lead=lead).state == S.PENDING


def test_admin_duplicate_actions(login, staff_bd, owner, bd):
    make_lead(bd, customer_name="江南智造装备股份有限公司")
    make_po(owner, state="submitted", bd=bd)
    pair = DuplicatePair.objects.get()
    login(staff_bd).post(
        reverse("admin:opportunities_duplicatepair_changelist"),
        {"action": "action_dismiss", "_selected_action": [pair.pk]},
    )
    pair.refresh_from_db()
    assert pair.status == "dismissed"
