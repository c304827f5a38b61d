import pytest

from partner_center.accounts.permissions import Role
from partner_center.notifications import recipients
from tests.factories import UserFactory, partner_user

pytestmark = pytest.mark.django_db


def test_recipients_are_the_active_users_of_each_group(partner, owner, teammate, bd, specialist):
    gone = partner_user(partner, Role.PARTNER_ADMIN, is_active=False)
    UserFactory(role=Role.BD, is_active=False)
    assert list(recipients.partner_admins(partner.pk)) == [owner]
    assert recipients.partner_users([partner.pk]) == {partner.pk: [owner, teammate]}
    assert recipients.bd_staff() == [bd]
    assert list(recipients.certification_specialists()) == [specialist]
    assert gone not in recipients.partner_users([partner.pk])[partner.pk]
