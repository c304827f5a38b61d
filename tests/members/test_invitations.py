from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from partner_center.accounts.models import User
from partner_center.accounts.permissions import Role
from partner_center.audit.selectors import timeline_for
from partner_center.errors import DomainError
from partner_center.members import services
from partner_center.members.models import Membership
from partner_center.notifications.models import Notification
from tests.factories import PartnerFactory, partner_user
from tests.helpers import api_client, count_queries, queries_with_1_and_50
from tests.members.factories import invitations_today, past_link, person

pytestmark = pytest.mark.django_db


def invite(owner, email):
    return services.member_invite(actor=owner, partner=owner.partner, email=email)


class TestRefusals:
    """Each refusal: an account failing exactly one check is refused with that reason, on
    the e-mail field; the same account without that flaw is accepted."""

    @pytest.mark.parametrize(
        ("attrs", "message"),
        [
            ({"real_name_status": User.RealName.ENTERPRISE}, "verified as an enterprise"),
            ({"real_name_status": User.RealName.NONE}, "not real-name verified"),
            ({"is_partner_account": True}, "partner's own account"),
        ],
        ids=["enterprise", "not-verified", "partner-account"],
    )
    def test_account_attribute_refusals(self, owner, attrs, message):
        refused = person(**attrs)
        with pytest.raises(DomainError) as exc:
            invite(owner, refused.email)
        assert exc.value.field == "email" and message in str(exc.value.message)
        assert not Membership.objects.filter(user=refused).exists()
        assert invite(owner, person().email).state == Membership.State.INVITED

    def test_already_linked_to_another_partner(self, owner, other_partner):
        elsewhere = partner_user(other_partner, Role.PARTNER_MEMBER)
        with pytest.raises(DomainError) as exc:
            invite(owner, elsewhere.email)
        assert exc.value.field == "email"
        assert "already linked to another partner" in str(exc.value.message)

    def test_already_a_member_of_this_partner(self, owner, teammate):
        with pytest.raises(DomainError, match="already a member of your partner"):
            invite(owner, teammate.email)

    def test_real_name_rule_applies_to_the_mainland_site_only(self, owner):
        international = person(real_name_status=User.RealName.NONE, site=User.Site.INTERNATIONAL)
        assert invite(owner, international.email).state == Membership.State.INVITED

    def test_linked_to_three_partners_within_365_days(self, owner):
        hopper = person()
        for days in (300, 200, 100):
            past_link(hopper, PartnerFactory(), linked_days_ago=days, unlinked_days_ago=days - 30)
        with pytest.raises(DomainError) as exc:
            invite(owner, hopper.email)
        assert exc.value.field == "email" and "3 partners" in str(exc.value.message)

    def test_links_older_than_365_days_do_not_count(self, owner):
        hopper = person()
        past_link(hopper, PartnerFactory(), linked_days_ago=500, unlinked_days_ago=366)
        for days in (200, 100):
            past_link(hopper, PartnerFactory(), linked_days_ago=days, unlinked_days_ago=days - 30)
        assert invite(owner, hopper.email).state == Membership.State.INVITED

    def test_a_link_still_open_a_year_ago_counts(self, owner):
        hopper = person()
        past_link(hopper, PartnerFactory(), linked_days_ago=700, unlinked_days_ago=300)
        for days in (200, 100):
            past_link(hopper, PartnerFactory(), linked_days_ago=days, unlinked_days_ago=days - 30)
        with pytest.raises(DomainError, match="3 partners"):
            invite(owner, hopper.email)

    def test_unknown_account_and_vendor_staff(self, owner, bd):
        with pytest.raises(DomainError, match="No account uses this e-mail"):
            invite(owner, "nobody@nowhere.test")
        with pytest.raises(DomainError, match="Vendor staff"):
            invite(owner, bd.email)

    def test_refusal_shown_next_to_the_field_on_the_page(self, login, owner):
        refused = person(real_name_status=User.RealName.ENTERPRISE)
        response = login(owner).post(
            reverse("members:invite"), {"email": refused.email}, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-field-error="email"' in html and "verified as an enterprise" in html

    def test_refusal_in_chinese(self, login, owner):
        refused = person(is_partner_account=True)
        html = login(owner).post(reverse("members:invite"), {"email": refused.email}).content
        assert "伙伴账号" in html.decode()

    def test_refusal_through_the_api(self, owner):
        api = api_client(owner)
        refused = person(real_name_status=User.RealName.NONE)
        response = api.post(
            "/api/v1/members/", {"email": refused.email}, format="json", HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 400
        assert "not real-name verified" in response.json()["fields"]["email"][0]


class TestLinkValidity:
    def test_link_works_within_seven_days(self, owner):
        invitee = person()
        membership = invite(owner, invitee.email)
        with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
            services.invitation_accept(actor=invitee, membership=membership)
        invitee.refresh_from_db()
        assert invitee.partner == owner.partner and invitee.role == Role.PARTNER_MEMBER

    def test_link_expires_after_seven_days(self, owner, login):
        invitee = person()
        membership = invite(owner, invitee.email)
        with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
            with pytest.raises(DomainError, match="expired"):
                services.invitation_accept(actor=invitee, membership=membership)
            page = login(invitee).get(reverse("members:invitation", args=[membership.token]))
            assert 'data-testid="invitation-state"' in page.content.decode()
            assert 'data-testid="accept-invitation"' not in page.content.decode()
            assert services.expire_invitations() == 1
            assert services.expire_invitations() == 0  # the sweep is idempotent
        assert [e.verb for e in timeline_for(membership)] == ["member.invited", "member.expired"]
        membership.refresh_from_db()
        assert membership.state == Membership.State.EXPIRED
        invitee.refresh_from_db()
        assert invitee.partner is None

    def test_link_works_once(self, owner, login):
        invitee = person()
        membership = invite(owner, invitee.email)
        url = reverse("members:invitation", args=[membership.token])
        client = login(invitee)
        assert client.post(url, {"answer": "accept"}).status_code == 302
        again = client.post(url, {"answer": "accept"}, HTTP_ACCEPT_LANGUAGE="en")
        assert "used or withdrawn already" in again.content.decode()
        with pytest.raises(DomainError, match="used or withdrawn"):
            services.invitation_accept(actor=invitee, membership=membership)
        assert Membership.objects.filter(user=invitee, state="linked").count() == 1

    def test_a_new_invitation_after_expiry(self, owner):
        invitee = person()
        invite(owner, invitee.email)
        with pytest.raises(DomainError, match="open invitation already"):
            invite(owner, invitee.email)
        with time_machine.travel(timezone.now() + timedelta(days=8)):
            assert invite(owner, invitee.email).state == Membership.State.INVITED

    def test_accepting_rechecks_the_account(self, owner, other_partner):
        invitee = person()
        membership = invite(owner, invitee.email)
        other_admin = partner_user(other_partner)
        services.invitation_accept(
            actor=invitee,
            membership=services.member_invite(
                actor=other_admin, partner=other_partner, email=invitee.email
            ),
        )
        with pytest.raises(DomainError, match="already linked to another partner"):
            services.invitation_accept(actor=invitee, membership=membership)

    def test_only_the_invited_account_can_use_the_link(self, owner, login):
        invitee = person()
        membership = invite(owner, invitee.email)
        stranger = person()
        url = reverse("members:invitation", args=[membership.token])
        response = login(stranger).post(url, {"answer": "accept"})
        assert response.status_code == 404
        assert 'data-testid="invitation-unavailable"' in response.content.decode()
        with pytest.raises(DomainError):
            services.invitation_accept(actor=stranger, membership=membership)
        assert login(stranger).get(reverse("members:invitation", args=["nope"])).status_code == 404

    def test_anonymous_is_sent_to_login(self, client, owner):
        membership = invite(owner, person().email)
        response = client.get(reverse("members:invitation", args=[membership.token]))
        assert response.status_code == 302 and response.url.startswith("/login/")


class TestDailyLimit:
    def test_at_most_100_invitations_a_day(self, owner):
        invitations_today(owner.partner, owner, 99)
        assert invite(owner, person().email)  # the 100th
        with pytest.raises(DomainError, match="daily limit"):
            invite(owner, person().email)
        assert services.invitations_left_today(owner.partner) == 0

    def test_the_quota_resets_at_midnight_china_time(self, owner):
        # 2026-11-20 23:30 in Shanghai is 15:30 UTC; midnight Shanghai is 16:00 UTC.
        with time_machine.travel("2026-11-20 15:30:00+00:00", tick=False):
            invitations_today(owner.partner, owner, 100)
            with pytest.raises(DomainError, match="daily limit"):
                invite(owner, person().email)
        with time_machine.travel("2026-11-20 16:01:00+00:00", tick=False):
            assert invite(owner, person().email).state == Membership.State.INVITED

    def test_limit_is_per_partner(self, owner, outsider):
        invitations_today(owner.partner, owner, 100)
        assert services.member_invite(
            actor=outsider, partner=outsider.partner, email=person().email
        )


class TestAnswerAndManage:
    def test_invitation_notifies_the_person_with_the_link(self, owner):
        invitee = person()
        membership = invite(owner, invitee.email)
        note = Notification.objects.get(recipient=invitee)
        assert note.link == reverse("members:invitation", args=[membership.token])
        assert note.kind == "members.invited" and note.email_wanted

    def test_accept_through_the_page(self, owner, login):
        invitee = person()
        membership = invite(owner, invitee.email)
        client = login(invitee)
        page = client.get(reverse("members:invitation", args=[membership.token]))
        assert owner.partner.name in page.content.decode()
        response = client.post(
            reverse("members:invitation", args=[membership.token]), {"answer": "accept"}
        )
        assert response.status_code == 302 and response.url == "/"
        membership.refresh_from_db()
        assert membership.state == Membership.State.LINKED and membership.linked_at
        assert Notification.objects.filter(recipient=owner, kind="members.accepted").exists()
        assert owner.partner.name in client.get("/").content.decode()

    def test_decline(self, owner, login):
        invitee = person()
        membership = invite(owner, invitee.email)
        login(invitee).post(
            reverse("members:invitation", args=[membership.token]), {"answer": "decline"}
        )
        membership.refresh_from_db()
        invitee.refresh_from_db()
        assert membership.state == Membership.State.WITHDRAWN and invitee.partner is None

    def test_unlink_keeps_the_history(self, owner, login):
        invitee = person()
        membership = invite(owner, invitee.email)
        services.invitation_accept(actor=invitee, membership=membership)
        response = login(owner).post(reverse("members:unlink", args=[membership.pk]))
        assert response.status_code == 302
        membership.refresh_from_db()
        invitee.refresh_from_db()
        assert membership.state == Membership.State.UNLINKED and membership.unlinked_by == owner
        assert invitee.partner is None and invitee.role == Role.CUSTOMER
        assert (
            Membership.objects.overlapping(timezone.now() - timedelta(days=1))
            .filter(user=invitee)
            .exists()
        )

    def test_withdraw_and_money_grant(self, owner, login):
        client = login(owner)
        pending = invite(owner, person().email)
        client.post(reverse("members:withdraw", args=[pending.pk]))
        pending.refresh_from_db()
        assert pending.state == Membership.State.WITHDRAWN
        invitee = person()
        linked = invite(owner, invitee.email)
        services.invitation_accept(actor=invitee, membership=linked)
        client.post(reverse("members:money", args=[linked.pk]), {"allowed": "1"})
        invitee.refresh_from_db()
        assert invitee.can_move_money
        client.post(reverse("members:money", args=[linked.pk]), {"allowed": "0"})
        invitee.refresh_from_db()
        assert not invitee.can_move_money

    def test_api_accept_and_unlink(self, owner):
        invitee = person()
        membership = invite(owner, invitee.email)
        api = api_client(invitee)
        listed = api.get("/api/v1/members/invitations/").json()
        assert [i["id"] for i in listed] == [membership.pk]
        assert api.post(f"/api/v1/members/invitations/{membership.pk}/accept/").status_code == 200
        api.force_authenticate(owner)
        body = api.get(f"/api/v1/members/{membership.pk}/").json()
        assert body["status"] == "linked"
        assert api.post(f"/api/v1/members/{membership.pk}/unlink/").json()["status"] == "unlinked"

    def test_member_list_shows_each_state(self, owner, login):
        invited = invite(owner, person(email="invited@p.test").email)
        expired = invite(owner, person(email="expired@p.test").email)
        Membership.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
        linked_person = person(email="linked@p.test")
        services.invitation_accept(
            actor=linked_person, membership=invite(owner, linked_person.email)
        )
        gone = person(email="gone@p.test")
        gone_link = invite(owner, gone.email)
        services.invitation_accept(actor=gone, membership=gone_link)
        services.member_unlink(actor=owner, membership=gone_link)
        html = login(owner).get(reverse("members:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        for email, label in [
            ("invited@p.test", "Invited"),
            ("expired@p.test", "Expired"),
            ("linked@p.test", "Linked"),
            ("gone@p.test", "Unlinked"),
        ]:
            row = html.split(f'data-member="{email}"', 1)[1].split("</tr>", 1)[0]
            assert f">{label}</span>" in row, email
        only_expired = login(owner).get(reverse("members:list"), {"status": "expired"})
        assert "expired@p.test" in only_expired.content.decode()
        assert "invited@p.test" not in only_expired.content.decode()
        assert invited.current_status == "invited"


class TestAccess:
    def test_members_pages_need_the_partner_admin(self, login, teammate, bd):
        for user in (teammate, bd):
            assert login(user).get(reverse("members:list")).status_code == 403
            assert login(user).get(reverse("members:invite")).status_code == 403

    def test_outsider_gets_404_for_another_partners_membership(self, owner, outsider, login):
        invitee = person()
        membership = invite(owner, invitee.email)
        client = login(outsider)
        for name in ("members:unlink", "members:withdraw", "members:money"):
            assert client.post(reverse(name, args=[membership.pk])).status_code == 404
        api = api_client(outsider)
        assert api.get(f"/api/v1/members/{membership.pk}/").status_code == 404
        for action in ("unlink", "withdraw", "money-grant"):
            url = f"/api/v1/members/{membership.pk}/{action}/"
            assert api.post(url, {"allowed": True}, format="json").status_code == 404
        for action in ("accept", "decline"):
            url = f"/api/v1/members/invitations/{membership.pk}/{action}/"
            assert api.post(url).status_code == 404
        membership.refresh_from_db()
        assert membership.state == Membership.State.INVITED
        listed = api.get("/api/v1/members/").json()["results"]
        assert listed == []
        assert invitee.email not in login(outsider).get(reverse("members:list")).content.decode()


class TestLinkHistoryFromAdmin:
    def test_partner_set_in_django_admin_is_recorded(self, login, admin_user, partner):
        someone = person(email="admin-linked@p.test")
        client = login(admin_user)
        url = reverse("admin:accounts_user_change", args=[someone.pk])
        form = client.get(url).context["adminform"].form
        data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
        data.update(
            role=Role.PARTNER_MEMBER,
            partner=partner.pk,
            date_joined_0=someone.date_joined.date().isoformat(),
            date_joined_1="00:00:00",
            groups=[],
            user_permissions=[],
        )
        data.pop("date_joined", None)
        data.pop("last_login", None)
        response = client.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        link = Membership.objects.get(user=someone)
        assert link.state == Membership.State.LINKED and link.partner == partner
        data.update(role=Role.CUSTOMER, partner="")
        assert client.post(url, data).status_code == 302
        link.refresh_from_db()
        assert link.state == Membership.State.UNLINKED and link.unlinked_by == admin_user


def _with_invitations(owner, n):
    Membership.objects.filter(partner=owner.partner).delete()
    for _ in range(n):
        invite(owner, person().email)


def test_member_list_page_query_count(owner, login):
    client = login(owner)

    assert queries_with_1_and_50(
        lambda n: _with_invitations(owner, n), client.get, reverse("members:list")
    ) == (6, 6)


def test_member_api_query_count(owner):
    api = api_client(owner)
    assert queries_with_1_and_50(
        lambda n: _with_invitations(owner, n), api.get, "/api/v1/members/"
    ) == (2, 2)


def test_my_invitations_api_query_count(db):
    invitee = person()
    api = api_client(invitee)

    def count(n):
        Membership.objects.filter(user=invitee).delete()
        for _ in range(n):
            admin = partner_user(PartnerFactory())
            services.member_invite(actor=admin, partner=admin.partner, email=invitee.email)
        return count_queries(api.get, "/api/v1/members/invitations/")

    assert count(1) == count(50) == 1
