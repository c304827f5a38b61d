"""The "needs me" list: a pending invitation to join a partner, with its answer page."""

import pytest
from django.urls import reverse

from partner_center.members import services
from tests.members.factories import person

pytestmark = pytest.mark.django_db


def test_an_invited_person_finds_the_invitation_on_the_to_do_list(owner, login):
    invited = person(email="new.specialist@example.com")
    membership = services.member_invite(
        actor=owner, partner=owner.partner, email="new.specialist@example.com"
    )
    client = login(invited)
    response = client.get(reverse("todo"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    [item] = [i for i in response.context["todo_items"] if i.kind == "invitation_to_answer"]
    assert item.url == reverse("members:invitation", args=[membership.token])
    assert "接受或拒绝" in response.content.decode()
    assert client.get(item.url).status_code == 200
    home = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert owner.partner.name in home
    # the inviting partner's admin has nothing of it on their list
    other = login(owner).get(reverse("todo"))
    assert all(i.kind != "invitation_to_answer" for i in other.context["todo_items"])
