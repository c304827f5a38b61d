import pytest

from partner_center.accounts.permissions import PartnerType, Role
from partner_center.members.models import Membership
from tests.factories import PartnerFactory, partner_user
from tests.members.factories import person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _english_messages():
    """Overrides the package-wide fixture: the browser runs in Chinese like a real user."""
    yield


def test_admin_invites_a_member_who_accepts(page, browser_login):
    partner = PartnerFactory(name="浏览器邀请伙伴有限公司", types=[PartnerType.SOLUTION_PROVIDER])
    admin = partner_user(partner, Role.PARTNER_ADMIN, email="inviter@partner.test")
    invitee = person(email="new.member@person.test", full_name="新成员")

    browser_login(page, admin)
    page.goto("/members/")
    page.click("[data-testid=invite-member]")
    page.fill("input[name=email]", invitee.email)
    page.click("[data-testid=send-invitation]")
    page.wait_for_url("**/members/")
    row = page.locator(f"[data-member='{invitee.email}']")
    assert row.locator("[data-testid=member-status]").inner_text() == "已邀请"
    page.click("[data-testid=user-menu]")
    page.click("[data-testid=logout]")

    browser_login(page, invitee)
    page.wait_for_selector("[data-testid=unread-count]:not(.d-none)")
    assert page.inner_text("[data-testid=unread-count]").strip().endswith("1")
    page.click("[data-testid=notification-bell]")
    page.click("[data-testid=open-notification]")
    assert page.inner_text("[data-testid=invitation-partner]") == partner.name
    page.click("[data-testid=accept-invitation]")
    page.wait_for_url("**/")
    assert page.inner_text("[data-testid=partner-name]") == partner.name
    assert Membership.objects.get(user=invitee).state == Membership.State.LINKED
    page.click("[data-testid=user-menu]")
    page.click("[data-testid=logout]")

    browser_login(page, admin)
    page.goto("/members/")
    assert row.locator("[data-testid=member-status]").inner_text() == "已关联"


def test_on_a_phone_the_folded_menu_shows_the_unread_count(page, browser_login):
    """At 390 px the bell sits in the folded menu: the menu button carries the count too."""
    from partner_center.notifications.services import notify

    partner = PartnerFactory(name="手机通知伙伴有限公司", types=[PartnerType.SOLUTION_PROVIDER])
    admin = partner_user(partner, Role.PARTNER_ADMIN, email="phone@partner.test")
    notify(recipients=[admin], kind="members.x", title="One unread")
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, admin)
    page.wait_for_selector("[data-testid=unread-count-menu]:not(.d-none)")
    assert page.is_visible("[data-testid=unread-count-menu]")
    assert page.inner_text("[data-testid=unread-count-menu]").strip() == "1"
    assert not page.is_visible("[data-testid=notification-bell]")  # folded away
