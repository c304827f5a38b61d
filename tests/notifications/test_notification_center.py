import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from partner_center.notifications import services
from partner_center.notifications.models import Notification
from partner_center.notifications.selectors import unread_count_for
from tests.factories import UserFactory
from tests.helpers import api_client, queries_with_1_and_50

pytestmark = pytest.mark.django_db


def send(user, n=1, kind="programs.pce_approved", title="标题", link=""):
    """`n` notifications to `user`, not e-mailed."""
    return [
        services.notify(recipients=[user], kind=kind, title=title, link=link, email=False)[0]
        for _ in range(n)
    ]


class TestNotify:
    def test_stores_for_active_recipients_only(self, owner, teammate):
        teammate.is_active = False
        teammate.save()
        created = services.notify(recipients=[owner, teammate], kind="members.x", title="Hi")
        assert [n.recipient for n in created] == [owner]

    def test_email_after_commit_for_those_who_want_it(
        self, owner, teammate, django_capture_on_commit_callbacks
    ):
        services.preference_set(actor=teammate, email_enabled=False)
        with django_capture_on_commit_callbacks() as callbacks:
            created = services.notify(
                recipients=[owner, teammate], kind="members.x", title="Hello", link="/programs/pce/"
            )
        assert len(callbacks) == 1  # one task, queued after commit
        wanted = {n.recipient_id: n.email_wanted for n in created}
        assert wanted == {owner.pk: True, teammate.pk: False}
        # The task body: only the wanted one is e-mailed, once.
        ids = [n.pk for n in created]
        assert services.email_notifications(ids) == 1
        assert services.email_notifications(ids) == 0
        assert [m.to for m in mail.outbox] == [[owner.email]]
        assert "/programs/pce/" in mail.outbox[0].body

    def test_no_email_when_the_sender_says_so(self, owner, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks() as callbacks:
            services.notify(recipients=[owner], kind="members.x", title="Hi", email=False)
        assert callbacks == []

    def test_mark_read(self, owner):
        first, second = send(owner, 2)
        assert unread_count_for(owner) == 2
        services.mark_read(actor=owner, notification_ids=[first.pk])
        assert unread_count_for(owner) == 1
        services.mark_read(actor=owner)
        assert unread_count_for(owner) == 0


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_emails_after_commit():
    from celery.contrib.testing.worker import start_worker

    from partner_center.celery import app

    user = UserFactory(email="worker@p.test")
    with start_worker(app, perform_ping_check=False):
        with transaction.atomic():
            note = services.notify(recipients=[user], kind="members.x", title="From the worker")[0]
            assert Notification.objects.filter(emailed_at__isnull=False).count() == 0
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:  # waiting for another thread, not for time
            note.refresh_from_db()
            if note.emailed_at:
                break
            time.sleep(0.1)
    assert note.emailed_at is not None
    assert [m.subject for m in mail.outbox] == ["From the worker"]


class TestPages:
    def test_list_filters_and_read_state(self, owner, login):
        send(owner, kind="programs.pce_approved", title="PCE ok")
        member_note = send(owner, kind="members.accepted", title="Member joined")[0]
        client = login(owner)
        html = client.get(reverse("notifications:list")).content.decode()
        assert "PCE ok" in html and "Member joined" in html
        only_members = client.get(reverse("notifications:list"), {"area": "members"})
        assert "Member joined" in only_members.content.decode()
        assert "PCE ok" not in only_members.content.decode()
        client.post(reverse("notifications:mark_read", args=[member_note.pk]))
        unread = client.get(reverse("notifications:list"), {"read": "unread"}).content.decode()
        assert "PCE ok" in unread and "Member joined" not in unread
        client.post(reverse("notifications:mark_all_read"))
        assert unread_count_for(owner) == 0

    def test_date_filter(self, owner, login):
        old = send(owner, title="Old one")[0]
        Notification.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - timedelta(days=40)
        )
        send(owner, title="New one")
        since = (timezone.localdate() - timedelta(days=1)).isoformat()
        html = login(owner).get(reverse("notifications:list"), {"sent_after": since}).content
        assert "New one" in html.decode() and "Old one" not in html.decode()

    def test_open_marks_read_and_follows_the_link(self, owner, login):
        note = send(owner, link="/programs/pce/")[0]
        response = login(owner).post(reverse("notifications:open", args=[note.pk]))
        assert response.status_code == 302 and response.url == "/programs/pce/"
        note.refresh_from_db()
        assert note.read_at

    def test_open_never_redirects_off_site(self, owner, login):
        note = send(owner, link="https://evil.example/")[0]
        response = login(owner).post(reverse("notifications:open", args=[note.pk]))
        assert response.url == reverse("notifications:list")

    def test_empty_state(self, owner, login):
        html = login(owner).get(reverse("notifications:list")).content.decode()
        assert 'data-testid="empty-state"' in html

    def test_header_has_the_bell_with_unread_count(self, owner, login):
        send(owner, 3)
        html = login(owner).get("/").content.decode()
        assert 'data-testid="notification-bell"' in html
        api = api_client(owner)
        assert api.get("/api/v1/notifications/unread-count/").json() == {"unread": 3}

    def test_email_preference_page(self, owner, login):
        client = login(owner)
        client.post(reverse("notifications:preferences"), {})
        created = services.notify(recipients=[owner], kind="members.x", title="Hi")
        assert created[0].email_wanted is False
        client.post(reverse("notifications:preferences"), {"email_enabled": "on"})
        assert services.notify(recipients=[owner], kind="members.x", title="Hi")[0].email_wanted

    def test_every_role_has_a_notification_center(self, bd, customer_user, login):
        for user in (bd, customer_user):
            assert login(user).get(reverse("notifications:list")).status_code == 200

    def test_outsider_gets_404(self, owner, outsider, login):
        note = send(owner)[0]
        client = login(outsider)
        assert client.post(reverse("notifications:mark_read", args=[note.pk])).status_code == 404
        assert client.post(reverse("notifications:open", args=[note.pk])).status_code == 404
        note.refresh_from_db()
        assert note.read_at is None
        assert "标题" not in client.get(reverse("notifications:list")).content.decode()


class TestApi:
    def test_list_filter_and_mark_read(self, owner):
        a = send(owner, kind="members.accepted")[0]
        send(owner, kind="programs.pce_approved")
        api = api_client(owner)
        members = api.get("/api/v1/notifications/", {"area": "members"}).json()["results"]
        assert [n["id"] for n in members] == [a.pk]
        marked = api.post("/api/v1/notifications/mark-read/", {"ids": [a.pk]}, format="json")
        assert marked.json() == {"marked": 1}
        unread = api.get("/api/v1/notifications/", {"read": "unread"}).json()["results"]
        assert a.pk not in [n["id"] for n in unread]
        api.post("/api/v1/notifications/mark-read/", {}, format="json")
        assert api.get("/api/v1/notifications/unread-count/").json() == {"unread": 0}

    def test_preferences(self, owner):
        api = api_client(owner)
        assert api.get("/api/v1/notifications/preferences/").json() == {"email_enabled": True}
        api.put("/api/v1/notifications/preferences/", {"email_enabled": False}, format="json")
        assert api.get("/api/v1/notifications/preferences/").json() == {"email_enabled": False}

    def test_outsider_gets_404(self, owner, outsider):
        note = send(owner)[0]
        api = api_client(outsider)
        assert api.get(f"/api/v1/notifications/{note.pk}/").status_code == 404
        api.post("/api/v1/notifications/mark-read/", {"ids": [note.pk]}, format="json")
        note.refresh_from_db()
        assert note.read_at is None
        assert api.get("/api/v1/notifications/").json()["results"] == []


def _notes(user, n):
    Notification.objects.filter(recipient=user).delete()
    Notification.objects.bulk_create(
        Notification(recipient=user, kind="members.x", title=f"#{i}") for i in range(n)
    )


def test_list_page_query_count(owner, login):
    client = login(owner)

    assert queries_with_1_and_50(
        lambda n: _notes(owner, n), client.get, reverse("notifications:list")
    ) == (7, 7)


def test_list_api_query_count(owner):
    api = api_client(owner)
    assert queries_with_1_and_50(lambda n: _notes(owner, n), api.get, "/api/v1/notifications/") == (
        2,
        2,
    )
