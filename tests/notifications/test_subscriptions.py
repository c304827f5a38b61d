import pytest
from django.urls import reverse

from partner_center.accounts.models import PartnerTypeMembership
from partner_center.accounts.permissions import PartnerType, Role
from partner_center.errors import DomainError
from partner_center.members import services as member_services
from partner_center.notifications import services
from partner_center.notifications.models import Notification, Subscription, Topic
from partner_center.notifications.selectors import subscribers_of
from tests.factories import PartnerFactory, partner_user
from tests.helpers import api_client
from tests.members.factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def distributor_admin(db):
    return partner_user(PartnerFactory(types=[PartnerType.DISTRIBUTOR]), Role.PARTNER_ADMIN)


class TestRules:
    def test_subscribe_to_several_topics(self, owner):
        topics = services.subscriptions_set(
            actor=owner, topics=[Topic.PERFORMANCE, Topic.INCENTIVES, Topic.INDICATOR_DETAILS]
        )
        assert topics == sorted([Topic.PERFORMANCE, Topic.INCENTIVES, Topic.INDICATOR_DETAILS])
        services.subscriptions_set(actor=owner, topics=[Topic.PERFORMANCE])
        assert list(Subscription.objects.filter(user=owner).values_list("topic", flat=True)) == [
            Topic.PERFORMANCE
        ]

    def test_reseller_info_refused_for_non_distributors(self, owner):
        with pytest.raises(DomainError, match="Only distributors") as exc:
            services.subscriptions_set(actor=owner, topics=[Topic.RESELLER_INFO])
        assert exc.value.field == "topics"
        with pytest.raises(DomainError, match="Only distributors"):
            services.subscribe(actor=owner, topic=Topic.RESELLER_INFO)
        assert not Subscription.objects.exists()

    def test_reseller_info_allowed_for_distributors(self, distributor_admin):
        services.subscriptions_set(actor=distributor_admin, topics=[Topic.RESELLER_INFO])
        assert list(subscribers_of(distributor_admin.partner, Topic.RESELLER_INFO)) == [
            distributor_admin
        ]

    def test_a_former_distributor_has_no_reseller_info_subscribers(self, distributor_admin):
        partner = distributor_admin.partner
        services.subscribe(actor=distributor_admin, topic=Topic.RESELLER_INFO)
        PartnerTypeMembership.objects.filter(partner=partner).update(exited_at="2026-01-01T00:00Z")
        partner.__dict__.pop("type_codes", None)
        assert list(subscribers_of(partner, Topic.RESELLER_INFO)) == []

    def test_subscribers_of_a_topic(self, owner, teammate, outsider):
        services.subscribe(actor=owner, topic=Topic.PERFORMANCE)
        services.subscribe(actor=teammate, topic=Topic.INCENTIVES)
        services.subscribe(actor=outsider, topic=Topic.PERFORMANCE)
        assert list(subscribers_of(owner.partner, Topic.PERFORMANCE)) == [owner]
        teammate.is_active = False
        teammate.save()
        assert list(subscribers_of(owner.partner, Topic.INCENTIVES)) == []

    def test_notify_subscribers(self, owner, teammate):
        services.subscribe(actor=owner, topic=Topic.PERFORMANCE)
        sent = services.notify_subscribers(
            partner=owner.partner, topic=Topic.PERFORMANCE, title="2026-10 业绩"
        )
        assert [n.recipient for n in sent] == [owner]
        assert Notification.objects.get(recipient=owner).kind == "topic.performance"

    def test_unlinking_ends_the_persons_subscriptions(self, owner):
        someone = person()
        membership = member_services.member_invite(
            actor=owner, partner=owner.partner, email=someone.email
        )
        member_services.invitation_accept(actor=someone, membership=membership)
        someone.refresh_from_db()
        services.subscribe(actor=someone, topic=Topic.PERFORMANCE)
        member_services.member_unlink(actor=owner, membership=membership)
        assert list(subscribers_of(owner.partner, Topic.PERFORMANCE)) == []
        assert not Subscription.objects.filter(user=someone).exists()


class TestPagesAndApi:
    def test_form_hides_reseller_info_for_non_distributors(self, owner, login):
        html = login(owner).get(reverse("notifications:subscriptions")).content.decode()
        assert 'value="performance"' in html and 'value="reseller_info"' not in html
        assert 'data-testid="reseller-hidden"' in html
        response = login(owner).post(
            reverse("notifications:subscriptions"), {"topics": ["reseller_info"]}
        )
        assert (
            response.status_code == 200 and 'data-field-error="topics"' in response.content.decode()
        )
        assert not Subscription.objects.exists()

    def test_form_for_distributors(self, distributor_admin, login):
        client = login(distributor_admin)
        assert (
            'value="reseller_info"'
            in client.get(reverse("notifications:subscriptions")).content.decode()
        )
        response = client.post(
            reverse("notifications:subscriptions"), {"topics": ["reseller_info", "performance"]}
        )
        assert response.status_code == 302
        assert set(Subscription.objects.values_list("topic", flat=True)) == {
            "reseller_info",
            "performance",
        }

    def test_unticking_everything_unsubscribes(self, owner, login):
        services.subscribe(actor=owner, topic=Topic.PERFORMANCE)
        response = login(owner).post(reverse("notifications:subscriptions"), {})
        assert response.status_code == 302 and not Subscription.objects.exists()

    def test_admin_sees_who_receives_what(self, owner, teammate, login):
        services.subscribe(actor=teammate, topic=Topic.PERFORMANCE)
        html = login(owner).get(reverse("notifications:subscriptions")).content.decode()
        assert teammate.get_short_name() in html

    def test_api(self, owner, distributor_admin):
        api = api_client(owner)
        topics = [t["topic"] for t in api.get("/api/v1/notifications/subscriptions/").json()]
        assert "reseller_info" not in topics and "performance" in topics
        refused = api.put(
            "/api/v1/notifications/subscriptions/", {"topics": ["reseller_info"]}, format="json"
        )
        assert refused.status_code == 400 and "topics" in refused.json()["fields"]
        ok = api.put(
            "/api/v1/notifications/subscriptions/", {"topics": ["performance"]}, format="json"
        )
        assert {t["topic"]: t["subscribed"] for t in ok.json()}["performance"] is True
        api.force_authenticate(distributor_admin)
        ok = api.put(
            "/api/v1/notifications/subscriptions/", {"topics": ["reseller_info"]}, format="json"
        )
        assert ok.status_code == 200

    def test_vendor_staff_and_customers_do_not_subscribe(self, bd, customer_user, login):
        for user in (bd, customer_user):
            assert login(user).get(reverse("notifications:subscriptions")).status_code == 403

    def test_outsider_sees_only_its_own_team(self, owner, outsider, login):
        services.subscribe(actor=owner, topic=Topic.PERFORMANCE)
        html = login(outsider).get(reverse("notifications:subscriptions")).content.decode()
        assert owner.get_short_name() not in html
        api = api_client(outsider)
        mine = api.get("/api/v1/notifications/subscriptions/").json()
        assert not any(t["subscribed"] for t in mine)
