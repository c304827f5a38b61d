import pytest
from django.urls import reverse

from partner_center.accounts.models import Partner, User
from partner_center.accounts.permissions import PartnerType, Role
from partner_center.errors import DomainError
from partner_center.members import services as member_services
from partner_center.members.models import Membership
from partner_center.programs import services
from tests.factories import PartnerFactory, partner_user
from tests.helpers import api_client
from tests.members.factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def software_partner(db):
    return PartnerFactory(
        name="路径伙伴有限公司",
        types=[PartnerType.SOLUTION_PROVIDER, PartnerType.SOFTWARE, PartnerType.SERVICE],
    )


@pytest.fixture
def path_admin(software_partner):
    return partner_user(software_partner, Role.PARTNER_ADMIN, email="paths@p.test")


class TestPaths:
    def test_join_and_exit(self, owner, partner, login):
        client = login(owner)
        client.post(reverse("programs:path_join"), {"path": PartnerType.LEARNING})
        assert services.joined_paths(partner) == [PartnerType.LEARNING]
        page = client.get(reverse("programs:paths")).content.decode()
        assert 'data-testid="exit-learning"' in page
        client.post(reverse("programs:path_exit"), {"path": PartnerType.LEARNING})
        assert services.joined_paths(partner) == []
        # The membership row stays as history.
        assert partner.type_memberships.filter(
            partner_type=PartnerType.LEARNING, exited_at__isnull=False
        ).exists()

    def test_only_the_four_paths_are_self_service(self, owner, partner):
        for not_a_path in (PartnerType.RESELLER, PartnerType.DISTRIBUTOR, "made_up"):
            with pytest.raises(DomainError, match="not a partner path"):
                services.path_join(actor=owner, partner=partner, path=not_a_path)
        with pytest.raises(DomainError, match="not a partner path"):
            services.path_exit(actor=owner, partner=partner, path=PartnerType.SOLUTION_PROVIDER)

    def test_join_twice_refused(self, owner, partner):
        services.path_join(actor=owner, partner=partner, path=PartnerType.SERVICE)
        with pytest.raises(DomainError, match="already"):
            services.path_join(actor=owner, partner=partner, path=PartnerType.SERVICE)

    def test_members_see_paths_but_cannot_change_them(self, teammate, login):
        client = login(teammate)
        page = client.get(reverse("programs:paths"))
        assert (
            page.status_code == 200 and 'data-testid="join-software"' not in page.content.decode()
        )
        assert client.post(reverse("programs:path_join"), {"path": "software"}).status_code == 403

    def test_api(self, owner):
        api = api_client(owner)
        body = api.post("/api/v1/programs/paths/join/", {"path": "consulting"}, format="json")
        assert body.status_code == 200
        assert {p["path"]: p["joined"] for p in body.json()}["consulting"] is True
        refused = api.post("/api/v1/programs/paths/join/", {"path": "reseller"}, format="json")
        assert refused.status_code == 400 and "path" in refused.json()["fields"]
        api.post("/api/v1/programs/paths/exit/", {"path": "consulting"}, format="json")
        assert not any(p["joined"] for p in api.get("/api/v1/programs/paths/").json())

    def test_paths_are_the_callers_own(self, owner, outsider, partner):
        services.path_join(actor=owner, partner=partner, path=PartnerType.SOFTWARE)
        api = api_client(outsider)
        assert not any(p["joined"] for p in api.get("/api/v1/programs/paths/").json())


class TestDeregistration:
    def test_refused_while_a_path_is_joined_naming_the_paths(self, path_admin, software_partner):
        with pytest.raises(DomainError) as exc:
            services.partner_deregister(
                actor=path_admin, partner=software_partner, confirm_name=software_partner.name
            )
        assert "Software partner" in str(exc.value.message)
        assert "Service partner" in str(exc.value.message)
        software_partner.refresh_from_db()
        assert software_partner.is_active

    def test_page_names_the_paths_and_refuses(self, path_admin, software_partner, login):
        client = login(path_admin)
        page = client.get(reverse("programs:deregister"), HTTP_ACCEPT_LANGUAGE="en")
        html = page.content.decode()
        assert 'data-testid="deregister-blocked"' in html
        assert "Software partner" in html and "Service partner" in html
        response = client.post(
            reverse("programs:deregister"),
            {"confirm_name": software_partner.name},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 200
        assert 'data-testid="deregister-blocked"' in response.content.decode()
        software_partner.refresh_from_db()
        assert software_partner.is_active

    def test_api_refuses_with_400(self, path_admin, software_partner):
        api = api_client(path_admin)
        status = api.get("/api/v1/programs/deregistration/").json()
        assert status["can_deregister"] is False and len(status["paths_to_exit"]) == 2
        response = api.post(
            "/api/v1/programs/deregistration/",
            {"confirm_name": software_partner.name},
            format="json",
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 400
        assert "Software partner" in response.json()["fields"]["non_field_errors"][0]

    def test_allowed_after_exiting_deactivates_and_keeps_records(
        self, path_admin, software_partner, login
    ):
        member = person()
        invitation = member_services.member_invite(
            actor=path_admin, partner=software_partner, email=member.email
        )
        member_services.invitation_accept(actor=member, membership=invitation)
        pending = member_services.member_invite(
            actor=path_admin, partner=software_partner, email=person().email
        )
        for path in (PartnerType.SOFTWARE, PartnerType.SERVICE):
            services.path_exit(actor=path_admin, partner=software_partner, path=path)
        with pytest.raises(DomainError) as exc:
            services.partner_deregister(
                actor=path_admin, partner=software_partner, confirm_name="wrong"
            )
        assert exc.value.field == "confirm_name"
        client = login(path_admin)
        response = client.post(
            reverse("programs:deregister"), {"confirm_name": software_partner.name}
        )
        assert response.status_code == 302 and response.url == reverse("login")
        software_partner.refresh_from_db()
        assert not software_partner.is_active and software_partner.deregistered_at
        assert not User.objects.filter(partner=software_partner, is_active=True).exists()
        assert User.objects.filter(partner=software_partner).count() == 2  # kept
        assert Partner.objects.filter(pk=software_partner.pk).exists()
        pending.refresh_from_db()
        assert pending.state == Membership.State.WITHDRAWN
        # Signed-out users can't come back in.
        assert not client.login(email=path_admin.email, password="pw-Secret-123")
        assert client.get("/").status_code == 302

    def test_only_the_partner_admin(self, teammate, bd, login):
        for user in (teammate, bd):
            assert login(user).get(reverse("programs:deregister")).status_code == 403


def test_partner_of_two_types_sees_both_menus(db):
    from partner_center.accounts.permissions import capability
    from partner_center.helpcenter.selectors import hidden_reasons
    from partner_center.menus import MenuEntry

    distributor = PartnerFactory(types=[PartnerType.DISTRIBUTOR])
    both = PartnerFactory(
        types=[PartnerType.SOLUTION_PROVIDER, PartnerType.RESELLER], parent_distributor=distributor
    )
    user = partner_user(both)
    for partner_type in (PartnerType.SOLUTION_PROVIDER, PartnerType.RESELLER):
        cap = capability("x", {Role.PARTNER_ADMIN}, partner_types={partner_type})
        assert cap.allows(user)
        assert hidden_reasons(MenuEntry("sales", "x", "home", cap), user) == []


def test_django_admin_deregisters_through_the_rule(login, admin_user, software_partner, partner):
    client = login(admin_user)
    url = reverse("admin:accounts_partner_changelist")
    client.post(
        url,
        {"action": "deregister", "_selected_action": [software_partner.pk, partner.pk]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    software_partner.refresh_from_db()
    partner.refresh_from_db()
    assert software_partner.is_active  # on the software and service paths: refused
    assert not partner.is_active and partner.deregistered_at
