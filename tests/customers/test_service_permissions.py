"""Every money service refuses an actor without the capability, whatever door called it:
an outsider (another partner), a member without the money grant, a customer, BD staff."""

from datetime import timedelta

import pytest
from django.utils import timezone

from customers import services
from customers.models import Account
from partner_center.accounts.permissions import Role
from partner_center.errors import NotAllowed
from tests.customers.test_resources import make_resource
from tests.factories import partner_user

from .conftest import associate, make_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def reseller_association(reseller_admin, distributor_admin, reseller):
    services.reseller_grant_quota(actor=distributor_admin, reseller=reseller, amount="500")
    return associate(reseller_admin, make_customer())


def _money_calls(account, resource, reseller, reseller_association):
    return {
        "account_fund": lambda a: services.account_fund(actor=a, account=account, amount="10"),
        "account_reclaim": lambda a: services.account_reclaim(
            actor=a, account=account, amount="10"
        ),
        "account_set_budget": lambda a: services.account_set_budget(
            actor=a, account=account, monthly_budget="10"
        ),
        "resource_renew": lambda a: services.resource_renew(actor=a, resource=resource),
        "resource_set_auto_renew": lambda a: services.resource_set_auto_renew(
            actor=a, resource=resource, enabled=False
        ),
        "reseller_fund": lambda a: services.reseller_fund(actor=a, reseller=reseller, amount="1"),
        "reseller_reclaim": lambda a: services.reseller_reclaim(
            actor=a, reseller=reseller, amount="1"
        ),
        "reseller_grant_quota": lambda a: services.reseller_grant_quota(
            actor=a, reseller=reseller, amount="1"
        ),
        "reseller_reduce_quota": lambda a: services.reseller_reduce_quota(
            actor=a, reseller=reseller, amount="1"
        ),
        "voucher_issue": lambda a: services.voucher_issue(
            actor=a,
            association=reseller_association,
            face_value="5",
            valid_until=timezone.now() + timedelta(days=30),
        ),
        "customer_unbind": lambda a: services.customer_unbind(
            actor=a, association=account.association
        ),
        "invitation_create": lambda a: services.invitation_create(
            actor=a, billing_model="reseller"
        ),
    }


@pytest.mark.parametrize(
    "service",
    [
        "account_fund",
        "account_reclaim",
        "account_set_budget",
        "resource_renew",
        "resource_set_auto_renew",
        "reseller_fund",
        "reseller_reclaim",
        "reseller_grant_quota",
        "reseller_reduce_quota",
        "voucher_issue",
        "customer_unbind",
        "invitation_create",
    ],
)
def test_money_services_refuse_outsiders_members_without_grant_and_staff(
    service, account, association, reseller, reseller_association, outsider, bd, partner
):
    resource = make_resource(association)
    member = partner_user(partner, Role.PARTNER_MEMBER, can_move_money=False)
    customer = make_customer().user
    call = _money_calls(account, resource, reseller, reseller_association)[service]
    balance = Account.objects.get(pk=account.pk).balance
    refused = [bd, customer]
    if service != "invitation_create":  # an invitation is always for the actor's own partner
        refused.append(outsider)
    if service != "resource_renew":  # None is the auto-renew sweep
        refused.append(None)
    if service not in {"resource_set_auto_renew", "invitation_create"}:
        refused.append(member)  # the grant is about moving money
    for actor in refused:
        if service == "resource_set_auto_renew" and actor is customer:
            continue  # a customer may switch its own resources (checked below)
        with pytest.raises(NotAllowed):
            call(actor)
    assert Account.objects.get(pk=account.pk).balance == balance


def test_a_customer_switches_only_its_own_resources(association, customer):
    resource = make_resource(association)
    stranger = make_customer().user
    with pytest.raises(NotAllowed):
        services.resource_set_auto_renew(actor=stranger, resource=resource, enabled=False)
    services.resource_set_auto_renew(actor=customer.user, resource=resource, enabled=False)


def test_voucher_revoke_refuses_other_partners(
    reseller_admin, reseller_association, other_reseller_admin, distributor_admin
):
    voucher = services.voucher_issue(
        actor=reseller_admin,
        association=reseller_association,
        face_value="5",
        valid_until=timezone.now() + timedelta(days=30),
    )
    for actor in (other_reseller_admin, distributor_admin):
        with pytest.raises(NotAllowed):
            services.voucher_revoke(actor=actor, voucher=voucher)
    services.voucher_revoke(actor=reseller_admin, voucher=voucher)
