"""The broker goes away (a proxy the test owns is cut) while users act: every action
succeeds, its side effects wait in the outbox, and once the broker is back the relay sends
them and each runs exactly once."""

import time
from urllib.parse import urlparse

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from customers import services as customer_services
from opportunities import services as po_services
from opportunities.models import Opportunity, POImport
from partner_center.celery import app
from partner_center.members import services as member_services
from partner_center.notifications.services import notify
from partner_center.outbox import services as outbox
from partner_center.outbox.models import OutboxEntry
from partner_center.outbox.signals import start_relay_thread
from tests.faults import TcpProxy, wait_for
from tests.opportunities.conftest import make_po

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

FIGURES: dict = {}


def _reset_producers():
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_proxy():
    """Celery's broker reached through a proxy the test can cut."""
    target = urlparse(settings.CELERY_BROKER_URL)
    proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 6379)
    proxy.up()
    original = app.conf.broker_url
    app.conf.broker_url = f"redis://127.0.0.1:{proxy.port}{target.path or ''}"
    _reset_producers()
    yield proxy
    proxy.down()
    app.conf.broker_url = original
    _reset_producers()


def test_actions_during_a_broker_outage_succeed_and_run_once_after(
    broker_proxy, owner, bd, admin_user
):
    po = make_po(owner, state="submitted")
    OutboxEntry.objects.all().delete()  # what setting up queued is not part of the count
    mail.outbox.clear()

    broker_proxy.down()
    actions = {
        "BD returns a PO for changes (e-mail to the partner)": lambda: (
            po_services.po_return_for_changes(
                actor=bd, po=po, fields=["contact_phone"], comment="请核对电话"
            )
        ),
        "PO import upload": lambda: po_services.po_import_start(
            actor=owner,
            partner=owner.partner,
            upload=SimpleUploadedFile(
                "a.csv", "客户名称,项目名称,产品\n断线有限公司,项目,ecs\n".encode()
            ),
        ),
        "customer invitation e-mail": lambda: customer_services.invitation_create(
            actor=owner, billing_model="referral", email="invitee@client.test"
        ),
        "contact e-mail change code": lambda: member_services.contact_change_start(
            actor=owner, partner=owner.partner, channel="email", new_value="new@huayun.test"
        ),
        **{
            f"notification {i}": (
                lambda i=i: notify(recipients=[admin_user], kind="members.x", title=f"Note {i}")
            )
            for i in range(3)
        },
    }
    succeeded = 0
    slowest = 0.0
    for action in actions.values():
        started = time.monotonic()
        with transaction.atomic():  # as a request does
            action()
        slowest = max(slowest, time.monotonic() - started)
        succeeded += 1
    pending = OutboxEntry.objects.filter(state="pending")
    assert pending.count() >= len(actions)
    assert all(e.attempts >= 1 and e.last_error for e in pending)
    assert outbox.relay_due()["sent"] == 0  # still down (and backing off): nothing lost
    assert slowest < 5

    broker_proxy.up()
    stop = start_relay_thread(interval=0.3)
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
            assert wait_for(
                lambda: not OutboxEntry.objects.exclude(state="done").exists(), timeout=60
            ), list(OutboxEntry.objects.values_list("task_name", "state", "last_error"))
    finally:
        stop.set()
        stop.thread.join(10)

    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients.count(owner.email) == 1  # the return-for-changes e-mail
    assert recipients.count("invitee@client.test") == 1
    assert recipients.count("new@huayun.test") == 1
    assert recipients.count(admin_user.email) == 3
    imp = POImport.objects.get()
    assert imp.state == "done" and imp.succeeded == 1
    assert Opportunity.objects.filter(customer_name="断线有限公司").count() == 1
    delivered = OutboxEntry.objects.filter(state="done").count()
    FIGURES.update(attempted=len(actions), succeeded=succeeded, delivered=delivered)
    print(f"broker outage: {FIGURES}")  # noqa: T201 - the figure the issue asks for
    # A secret argument (the confirmation code) is not kept once sent.
    entry = OutboxEntry.objects.get(task_name="partner_center.members.tasks.send_contact_code")
    assert entry.payload["secret_code"] == ""


def test_an_entry_delivered_twice_runs_once(admin_user, django_capture_on_commit_callbacks):
    from partner_center.notifications.tasks import email_notifications

    with django_capture_on_commit_callbacks():
        note = notify(recipients=[admin_user], kind="members.x", title="Once")[0]
    entry = OutboxEntry.objects.get()
    kwargs = {"notification_ids": [note.pk]}
    email_notifications.apply(kwargs=kwargs, task_id=entry.celery_task_id)
    assert OutboxEntry.objects.get().state == "done"
    # the notification is reset as if it were due again: the outbox still says done
    type(note).objects.filter(pk=note.pk).update(email_state="pending")
    email_notifications.apply(kwargs=kwargs, task_id=entry.celery_task_id)
    assert len(mail.outbox) == 1
