import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_partner_pages_render(login, owner, account, association):
    client = login(owner)
    for name, args in [
        ("customers:list", []),
        ("customers:detail", [association.pk]),
        ("customers:invitations", []),
        ("customers:resources", []),
        ("customers:orders", []),
        ("customers:fund", [association.pk]),
        ("customers:reclaim", [association.pk]),
        ("customers:budget", [association.pk]),
        ("customers:unbind", [association.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    for tab in ("profile", "account", "resources", "orders", "consumption", "recommendations"):
        assert (
            client.get(reverse("customers:detail", args=[association.pk]), {"tab": tab}).status_code
            == 200
        )
