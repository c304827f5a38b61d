"""Django admin: every customers model lists and opens; state changes run through services."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from customers import services
from customers.models import Account, Association, Voucher
from tests.customers.conftest import associate, make_customer, make_resource, open_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(owner, reseller_admin, distributor_admin, reseller, agreement):
    association = associate(owner, make_customer())
    open_account(association, owner, amount="100")
    services.resource_renew(
        actor=owner,
        resource=make_resource(
            association, "adm-1", "10.00", timedelta(days=3), name="adm", product="ECS"
        ),
    )
    services.reseller_fund(actor=distributor_admin, reseller=reseller, amount="100")
    services.reseller_grant_quota(actor=distributor_admin, reseller=reseller, amount="100")
    other = associate(reseller_admin, make_customer())
    services.voucher_issue(
        actor=reseller_admin,
        association=other,
        face_value="10",
        valid_until=timezone.now() + timedelta(days=3),
    )
    return association


def test_every_changelist_and_change_page_opens(login, admin_user, world):
    client = login(admin_user)
    for model in apps.get_app_config("customers").get_models():
        name = f"admin:customers_{model._meta.model_name}"
        assert client.get(reverse(f"{name}_changelist") + "?q=a").status_code == 200, name
        obj = model.objects.first()
        if obj is not None:
            assert client.get(reverse(f"{name}_change", args=[obj.pk])).status_code == 200, name


def test_admin_unbind_action_uses_the_service(login, admin_user, world):
    response = login(admin_user).post(
        reverse("admin:customers_association_changelist"),
        {"action": "unbind", "_selected_action": [world.pk]},
    )
    assert response.status_code == 302
    world.refresh_from_db()
    assert world.state == Association.State.UNBOUND
    assert Account.objects.get(association=world).closed_at is not None


def test_admin_voucher_revoke_returns_the_rest(login, admin_user, world, reseller):
    voucher = Voucher.objects.get()
    login(admin_user).post(
        reverse("admin:customers_voucher_changelist"),
        {"action": "revoke", "_selected_action": [voucher.pk]},
    )
    voucher.refresh_from_db()
    assert voucher.revoked_at is not None
    assert Account.objects.get(partner=reseller, kind=Account.Kind.VOUCHER_QUOTA).balance == 100


def test_ledger_entries_cannot_be_edited_in_admin(login, admin_user, world):
    from customers.models import LedgerEntry

    entry = LedgerEntry.objects.first()
    client = login(admin_user)
    assert client.get(reverse("admin:customers_ledgerentry_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:customers_ledgerentry_delete", args=[entry.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
