"""Agreement versions: admins publish, customers sign the latest, and the partner sees
knowledge recommendations only while the customer has signed the latest version."""

import pytest
from django.urls import reverse
from django.utils import timezone

from customers import selectors, services
from customers.models import AgreementVersion, KnowledgeArticle, Product, Resource
from partner_center.errors import DomainError
from partner_center.notifications.models import Notification
from tests.helpers import api_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(association):
    product = Product.objects.create(code="ecs", name="ECS")
    Resource.objects.create(
        resource_id="ecs-a",
        name="web",
        customer=association.customer,
        partner=association.partner,
        association=association,
        product=product,
        renewal_price="10.00",
        started_at=timezone.now(),
        expires_at=timezone.now(),
    )
    return KnowledgeArticle.objects.create(product=product, title="ECS 选型指南")


def publish(admin_user, n=""):
    return services.agreement_publish(
        actor=admin_user,
        title_zh=f"须知{n}",
        title_en=f"Notice{n}",
        body_zh="正文",
        body_en="Text",
    )


def test_recommendations_follow_the_latest_signature(association, article, admin_user):
    shown = selectors.recommendations_for(association)
    assert shown.visible and shown.articles == [article]
    v2 = publish(admin_user, 2)
    hidden = selectors.recommendations_for(association)
    assert not hidden.visible and hidden.articles == []
    assert "version 1" in hidden.reason and "2" in hidden.reason
    services.agreement_sign(actor=association.customer.user, version=v2)
    assert selectors.recommendations_for(association).articles == [article]


def test_recommendations_hidden_after_unbinding(association, article, owner):
    services.customer_unbind(actor=owner, association=association)
    association.refresh_from_db()
    assert not selectors.recommendations_for(association).visible


def test_only_the_latest_version_can_be_signed(association, admin_user, agreement):
    publish(admin_user, 2)
    with pytest.raises(DomainError, match="newer version"):
        services.agreement_sign(actor=association.customer.user, version=agreement)


def test_publishing_numbers_versions_and_asks_customers_to_sign(association, admin_user):
    v2 = publish(admin_user, 2)
    v3 = publish(admin_user, 3)
    assert (v2.version, v3.version) == (2, 3)
    assert (
        Notification.objects.filter(
            recipient=association.customer.user, kind="customers.agreement"
        ).count()
        == 2
    )


def test_detail_page_says_why_recommendations_are_hidden(
    login, owner, association, article, admin_user
):
    url = reverse("customers:detail", args=[association.pk]) + "?tab=recommendations"
    page = login(owner).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "ECS 选型指南" in page
    publish(admin_user, 2)
    page = login(owner).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "ECS 选型指南" not in page
    assert 'data-testid="recommendations-hidden"' in page and "version 2 is the latest" in page


def test_customer_signs_the_new_version_on_its_page(login, association, admin_user):
    v2 = publish(admin_user, 2)
    client = login(association.customer.user)
    page = client.get(reverse("customers:me")).content.decode()
    assert 'data-testid="agreement-pending"' in page
    response = client.post(reverse("customers:me"), {"version": 1, "agree": "on"})
    assert response.status_code == 200 and "agree" in response.context["form"].errors
    response = client.post(reverse("customers:me"), {"version": 2, "agree": "on"})
    assert response.status_code == 302
    assert association.customer.signatures.filter(version=v2).exists()


def test_admin_publishes_in_django_admin(login, admin_user, agreement):
    client = login(admin_user)
    response = client.post(
        reverse("admin:customers_agreementversion_add"),
        {"title_zh": "新须知", "title_en": "New notice", "body_zh": "内容", "body_en": "Body"},
    )
    assert response.status_code == 302
    latest = AgreementVersion.objects.order_by("-version").first()
    assert latest.version == 2 and latest.published_by == admin_user
    # published versions cannot be edited
    change = client.post(
        reverse("admin:customers_agreementversion_change", args=[latest.pk]),
        {"title_zh": "改", "title_en": "x", "body_zh": "x", "body_en": "x"},
    )
    assert (
        change.status_code == 403 or AgreementVersion.objects.get(pk=latest.pk).title_zh == "新须知"
    )


class TestApi:
    def test_recommendations_endpoint(self, owner, outsider, association, article, admin_user):
        api = api_client(owner)
        url = f"/api/v1/customers/associations/{association.pk}/recommendations/"
        assert api.get(url).json()["articles"][0]["title"] == "ECS 选型指南"
        publish(admin_user, 2)
        body = api.get(url).json()
        assert body["visible"] is False and body["articles"] == [] and body["reason"]
        api.force_authenticate(outsider)
        assert api.get(url).status_code == 404

    def test_customer_signs_through_the_api(self, association, admin_user):
        publish(admin_user, 2)
        api = api_client(association.customer.user)
        assert api.get("/api/v1/customers/me/").json()["signed_latest_agreement"] is False
        assert api.get("/api/v1/customers/agreement/").json()["version"] == 2
        assert api.post("/api/v1/customers/me/sign/", {"version": 1}).status_code == 400
        body = api.post("/api/v1/customers/me/sign/", {"version": 2}).json()
        assert body["signed_latest_agreement"] is True
