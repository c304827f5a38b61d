"""The HO inbox lists pending HOs first (nearest deadline first), then the handled ones; the
list's accept button asks for confirmation before it acts."""

import pytest
from django.urls import reverse

from tests.opportunities.conftest import make_ho

pytestmark = pytest.mark.django_db


def test_pending_first_then_handled_newest_first(login, owner, bd, partner):
    accepted = make_ho(bd, partner, state="accepted", user=owner)
    first = make_ho(bd, partner)
    second = make_ho(bd, partner)
    declined = make_ho(bd, partner, state="declined", user=owner)
    client = login(owner)
    response = client.get(reverse("opportunities:ho_inbox"))
    rows = [o.pk for o in response.context["page_obj"].object_list]
    assert set(rows[:2]) == {first.pk, second.pk}  # both pending, whatever their age
    assert rows[2:] == [declined.pk, accepted.pk]
    body = response.content.decode()
    assert body.count("data-confirm=") >= 2  # each pending row's accept asks first
