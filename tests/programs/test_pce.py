import pytest
from django.urls import reverse

from partner_center.accounts.permissions import PartnerType, Role
from partner_center.errors import DomainError
from partner_center.notifications.models import Notification
from partner_center.programs import services
from partner_center.programs.models import PCEApplication
from partner_center.programs.selectors import is_pce_member
from tests.factories import PartnerFactory, UserFactory, partner_user
from tests.helpers import api_client, queries_with_1_and_50

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(db):
    """A solution provider not in the PCE program yet."""
    return PartnerFactory(name="新来伙伴有限公司", types=[PartnerType.SOLUTION_PROVIDER])


@pytest.fixture
def newcomer_admin(newcomer):
    return partner_user(newcomer, Role.PARTNER_ADMIN, email="admin@newcomer.test")


def apply(admin, **kw):
    kw.setdefault("accept_rules", True)
    return services.pce_apply(actor=admin, partner=admin.partner, **kw)


class TestApplyAndDecide:
    def test_approval_gates_po_and_ho(self, newcomer, newcomer_admin, bd):
        assert not is_pce_member(newcomer.pk)
        with pytest.raises(DomainError, match="Only members of the PCE program"):
            services.ensure_pce_member(newcomer.pk)
        application = apply(newcomer_admin, industries="制造")
        assert application.state == PCEApplication.State.APPLIED
        assert not is_pce_member(newcomer.pk)  # applying is not enough
        with pytest.raises(DomainError):
            services.ensure_pce_member(newcomer.pk)
        services.pce_approve(actor=bd, application=application)
        assert is_pce_member(newcomer.pk)
        services.ensure_pce_member(newcomer.pk)  # no error now

    def test_rejected_partner_is_not_a_member(self, newcomer, newcomer_admin, bd):
        application = apply(newcomer_admin)
        services.pce_reject(actor=bd, application=application, reason="材料不完整")
        assert not is_pce_member(newcomer.pk)
        application.refresh_from_db()
        assert application.decision_reason == "材料不完整" and application.decided_by == bd
        # The partner may apply again after a rejection.
        assert apply(newcomer_admin).state == PCEApplication.State.APPLIED

    def test_reject_needs_a_reason(self, newcomer_admin, bd):
        application = apply(newcomer_admin)
        with pytest.raises(DomainError) as exc:
            services.pce_reject(actor=bd, application=application, reason="  ")
        assert exc.value.field == "reason"

    def test_decided_once(self, newcomer_admin, bd):
        application = apply(newcomer_admin)
        services.pce_approve(actor=bd, application=application)
        with pytest.raises(DomainError, match="decided already"):
            services.pce_reject(actor=bd, application=application, reason="no")
        with pytest.raises(DomainError, match="decided already"):
            services.pce_approve(actor=bd, application=application)

    def test_one_open_application(self, newcomer_admin, owner):
        apply(newcomer_admin)
        with pytest.raises(DomainError, match="waiting for BD"):
            apply(newcomer_admin)
        with pytest.raises(DomainError, match="member already"):
            apply(owner)  # the persona partner is a member

    def test_rules_must_be_accepted(self, newcomer_admin):
        with pytest.raises(DomainError) as exc:
            apply(newcomer_admin, accept_rules=False)
        assert exc.value.field == "accept_rules"

    def test_learning_only_partner_cannot_apply(self, db):
        learning = partner_user(PartnerFactory(types=[PartnerType.LEARNING]))
        with pytest.raises(DomainError, match="learning & enablement"):
            apply(learning)
        both = partner_user(PartnerFactory(types=[PartnerType.LEARNING, PartnerType.SERVICE]))
        assert apply(both).state == PCEApplication.State.APPLIED

    def test_bd_is_told_and_the_partner_hears_back(self, newcomer_admin, bd):
        application = apply(newcomer_admin)
        note = Notification.objects.get(recipient=bd, kind="programs.pce_applied")
        assert note.link == reverse("programs:pce_review", args=[application.pk])
        services.pce_reject(actor=bd, application=application, reason="请补充案例")
        note = Notification.objects.get(recipient=newcomer_admin, kind="programs.pce_rejected")
        assert note.body == "请补充案例"

    def test_timeline(self, newcomer_admin, bd, login):
        application = apply(newcomer_admin)
        services.pce_approve(actor=bd, application=application, reason="欢迎")
        page = login(bd).get(
            reverse("programs:pce_review", args=[application.pk]), HTTP_ACCEPT_LANGUAGE="en"
        )
        html = page.content.decode().split('data-testid="timeline"', 1)[1]
        assert "Application sent" in html and "Application approved" in html and "欢迎" in html
        assert "Applied, awaiting BD → Member" in html.replace("</span>", "").replace(
            '<span class="badge text-bg-light">', ""
        )


class TestPages:
    def test_partner_page_states(self, newcomer_admin, bd, login):
        client = login(newcomer_admin)
        assert 'data-state="none"' in client.get(reverse("programs:pce")).content.decode()
        response = client.post(
            reverse("programs:pce"),
            {"industries": "金融", "motivation": "共同拓展", "accept_rules": "on"},
        )
        assert response.status_code == 302
        assert 'data-state="applied"' in client.get(reverse("programs:pce")).content.decode()
        application = PCEApplication.objects.get(partner=newcomer_admin.partner)
        services.pce_reject(actor=bd, application=application, reason="案例不足")
        html = client.get(reverse("programs:pce")).content.decode()
        assert 'data-state="rejected"' in html and "案例不足" in html
        assert 'data-testid="pce-rules"' in html

    def test_unaccepted_rules_error_next_to_the_field(self, newcomer_admin, login):
        response = login(newcomer_admin).post(
            reverse("programs:pce"), {"industries": "x"}, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert 'data-field-error="accept_rules"' in response.content.decode()
        assert not PCEApplication.objects.exists()

    def test_member_sees_status_but_cannot_apply(self, newcomer, login):
        member = partner_user(newcomer, Role.PARTNER_MEMBER)
        client = login(member)
        html = client.get(reverse("programs:pce")).content.decode()
        assert 'data-testid="pce-cannot-apply"' in html
        client.post(reverse("programs:pce"), {"accept_rules": "on"})
        assert not PCEApplication.objects.filter(partner=newcomer).exists()

    def test_bd_queue_and_decision(self, newcomer_admin, bd, login):
        application = apply(newcomer_admin)
        client = login(bd)
        queue = client.get(reverse("programs:pce_queue")).content.decode()
        assert f'data-application="{application.pk}"' in queue
        response = client.post(
            reverse("programs:pce_review", args=[application.pk]),
            {"decision": "reject", "reason": ""},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert 'data-field-error="reason"' in response.content.decode()
        client.post(
            reverse("programs:pce_review", args=[application.pk]),
            {"decision": "approve", "reason": ""},
        )
        assert is_pce_member(newcomer_admin.partner_id)
        # The default queue shows what waits; approved ones are behind the filter.
        assert (
            f'data-application="{application.pk}"'
            not in client.get(reverse("programs:pce_queue")).content.decode()
        )
        assert (
            f'data-application="{application.pk}"'
            in client.get(reverse("programs:pce_queue"), {"state": "approved"}).content.decode()
        )

    def test_partners_cannot_open_the_bd_pages(self, newcomer_admin, owner, login):
        application = apply(newcomer_admin)
        for user in (newcomer_admin, owner):
            client = login(user)
            assert client.get(reverse("programs:pce_queue")).status_code == 403
            assert (
                client.post(
                    reverse("programs:pce_review", args=[application.pk]), {"decision": "approve"}
                ).status_code
                == 403
            )
        assert not is_pce_member(newcomer_admin.partner_id)

    def test_vendor_staff_have_no_partner_pce_page(self, bd, login):
        assert login(bd).get(reverse("programs:pce")).status_code == 403


class TestApi:
    def test_apply_and_decide(self, newcomer_admin, bd):
        api = api_client(newcomer_admin)
        created = api.post(
            "/api/v1/programs/pce-applications/", {"accept_rules": True}, format="json"
        )
        assert created.status_code == 201 and created.json()["state"] == "applied"
        pk = created.json()["id"]
        assert api.post(f"/api/v1/programs/pce-applications/{pk}/approve/").status_code == 403
        api.force_authenticate(bd)
        rejected = api.post(f"/api/v1/programs/pce-applications/{pk}/reject/", {}, format="json")
        assert rejected.status_code == 400 and "reason" in rejected.json()["fields"]
        approved = api.post(f"/api/v1/programs/pce-applications/{pk}/approve/", {}, format="json")
        assert approved.json()["state"] == "approved"

    def test_outsider_gets_404(self, newcomer_admin, outsider):
        application = apply(newcomer_admin)
        api = api_client(outsider)
        assert api.get(f"/api/v1/programs/pce-applications/{application.pk}/").status_code == 404
        ids = [a["id"] for a in api.get("/api/v1/programs/pce-applications/").json()["results"]]
        assert application.pk not in ids

    def test_list_filters(self, newcomer_admin, bd):
        apply(newcomer_admin)
        api = api_client(bd)
        applied = api.get("/api/v1/programs/pce-applications/", {"state": "applied"}).json()
        assert [a["partner_name"] for a in applied["results"]] == [newcomer_admin.partner.name]


def _applications(n):
    PCEApplication.objects.all().delete()
    for _ in range(n):
        PCEApplication.objects.create(
            partner=PartnerFactory(), applied_by=UserFactory(role=Role.CUSTOMER)
        )


def test_bd_queue_page_query_count(bd, login):
    client = login(bd)

    assert queries_with_1_and_50(_applications, client.get, reverse("programs:pce_queue")) == (4, 4)


def test_pce_api_query_count(bd):
    api = api_client(bd)
    assert queries_with_1_and_50(_applications, api.get, "/api/v1/programs/pce-applications/") == (
        2,
        2,
    )
