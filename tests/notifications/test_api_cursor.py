"""Cursor mode on the notifications list: every notification once, newest first, even when
several were sent at the same instant (the id breaks the tie)."""

import pytest
import time_machine
from django.utils import timezone

from partner_center.notifications.services import notify
from tests.helpers import api_client

pytestmark = pytest.mark.django_db
URL = "/api/v1/notifications/"


def test_the_cursor_walks_notifications_sent_at_the_same_instant(owner):
    with time_machine.travel(timezone.now(), tick=False):
        for n in range(5):
            notify(recipients=[owner], kind="test.cursor", title=f"N{n}", email=False)
    client = api_client(owner)
    expected = [row["id"] for row in client.get(URL).json()["results"]]
    ids, url = [], f"{URL}?cursor=&page_size=2"
    while url:
        body = client.get(url).json()
        ids += [row["id"] for row in body["results"]]
        url = body["next"]
    assert ids == expected and len(ids) == 5
