"""Django admin is one more door into the accounts services: the type rules hold, the legal
representative change is recorded, and refusals are form errors, never a 500."""

import pytest

from partner_center.accounts.models import Partner
from partner_center.accounts.permissions import PartnerType
from partner_center.audit.models import Event
from partner_center.errors import NotAllowed
from tests.factories import PartnerFactory, next_credit_code

pytestmark = pytest.mark.django_db


def _form(partner, **overrides):
    data = {
        "name": partner.name,
        "legal_representative": partner.legal_representative,
        "types": sorted(partner.type_codes),
        "parent_distributor": partner.parent_distributor_id or "",
        "_save": "Save",
    }
    data.update(overrides)
    return data


def test_reseller_type_without_a_distributor_is_refused_in_admin(login, admin_user, partner):
    client = login(admin_user)
    url = f"/admin/accounts/partner/{partner.pk}/change/"
    response = client.post(url, _form(partner, types=[PartnerType.RESELLER]))
    assert response.status_code == 200  # the form again, not a redirect or a 500
    assert "A tier-2 reseller needs its distributor." in response.content.decode()
    partner.__dict__.pop("type_codes", None)
    assert partner.type_codes == {PartnerType.SOLUTION_PROVIDER}
    assert not Event.objects.filter(subject_id=partner.pk, verb="partner.type_joined").exists()


def test_reseller_type_with_a_distributor_is_saved_through_the_services(login, admin_user, partner):
    distributor = PartnerFactory(types=[PartnerType.DISTRIBUTOR])
    client = login(admin_user)
    url = f"/admin/accounts/partner/{partner.pk}/change/"
    response = client.post(
        url, _form(partner, types=[PartnerType.RESELLER], parent_distributor=distributor.pk)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    partner.refresh_from_db()
    partner.__dict__.pop("type_codes", None)
    assert partner.type_codes == {PartnerType.RESELLER}
    assert partner.parent_distributor == distributor
    verbs = set(Event.objects.filter(subject_id=partner.pk).values_list("verb", flat=True))
    assert {"partner.type_joined", "partner.type_exited", "partner.updated"} <= verbs
    # a distributor managing a reseller can't drop its type
    response = client.post(
        f"/admin/accounts/partner/{distributor.pk}/change/",
        _form(distributor, types=[PartnerType.SOLUTION_PROVIDER]),
    )
    assert response.status_code == 200
    assert "still manages tier-2 resellers" in response.content.decode()


def test_legal_representative_change_in_admin_is_recorded(login, admin_user, partner):
    client = login(admin_user)
    url = f"/admin/accounts/partner/{partner.pk}/change/"
    response = client.post(url, _form(partner, legal_representative="李四"))
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.legal_representative == "李四"
    event = Event.objects.get(subject_id=partner.pk, verb="partner.legal_representative_changed")
    assert event.actor == admin_user and event.data["to"] == "李四"
    # and the master-data history shows who changed what
    latest = partner.history.first()
    assert latest.history_user == admin_user and latest.legal_representative == "李四"


def test_partner_created_in_admin_goes_through_partner_create(login, admin_user):
    client = login(admin_user)
    code = next_credit_code()
    data = {
        "name": "新伙伴有限公司",
        "credit_code": code,
        "contact_email": "new@partner.test",
        "contact_phone": "",
        "legal_representative": "",
        "types": [PartnerType.RESELLER],
        "parent_distributor": "",
        "_save": "Save",
    }
    response = client.post("/admin/accounts/partner/add/", data)
    assert response.status_code == 200
    assert "A tier-2 reseller needs its distributor." in response.content.decode()
    assert not Partner.objects.filter(credit_code=code).exists()
    data["types"] = [PartnerType.SOFTWARE]
    response = client.post("/admin/accounts/partner/add/", data)
    assert response.status_code == 302
    created = Partner.objects.get(credit_code=code)
    assert Event.objects.filter(subject_id=created.pk, verb="partner.created").exists()


def test_type_rows_are_read_only_in_admin(login, admin_user, partner):
    client = login(admin_user)
    membership = partner.type_memberships.first()
    url = f"/admin/accounts/partnertypemembership/{membership.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert client.get("/admin/accounts/partnertypemembership/add/").status_code == 403


def test_partner_update_refuses_non_admins(owner, partner):
    from partner_center.accounts.services import partner_update

    with pytest.raises(NotAllowed):
        partner_update(actor=owner, partner=partner, name="改名")
