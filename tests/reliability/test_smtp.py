"""SMTP refuses connections for a while: the notification keeps its e-mail due (attempts
and error visible), and once SMTP is back the e-mail is sent exactly once."""

from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import transaction
from django.utils import timezone

from partner_center.celery import app
from partner_center.notifications.models import Notification
from partner_center.notifications.services import emails_resend_due, notify
from tests.factories import UserFactory
from tests.faults import FakeSmtp, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def smtp(settings):
    server = FakeSmtp()  # its port is reserved but closed: connections are refused
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 3
    yield server
    server.stop()


def test_an_email_refused_by_smtp_is_sent_once_smtp_is_back(smtp):
    user = UserFactory(email="reader@p.test")
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
        with transaction.atomic():
            note = notify(recipients=[user], kind="members.x", title="Survives SMTP")[0]
        assert wait_for(lambda: Notification.objects.get(pk=note.pk).email_attempts >= 1)
    note.refresh_from_db()
    assert note.email_state == "pending" and "Connection" in note.email_error
    assert note.emailed_at is None
    # The worker may have retried once more before it stopped (a slow machine): count from here.
    attempts = note.email_attempts

    # Still refused when the sweep runs: the attempt is counted, nothing is lost.
    later = timezone.now() + timedelta(minutes=5)
    assert emails_resend_due(now=later) == 0
    note.refresh_from_db()
    assert note.email_state == "pending" and note.email_attempts == attempts + 1

    smtp.start()
    assert emails_resend_due(now=later + timedelta(hours=1)) == 1
    assert emails_resend_due(now=later + timedelta(hours=2)) == 0  # sent once
    note.refresh_from_db()
    assert note.email_state == "sent" and note.emailed_at is not None
    assert len(smtp.messages) == 1
    assert smtp.messages[0][1] == ["reader@p.test"]


@pytest.mark.django_db
def test_an_email_that_keeps_failing_is_given_up_and_visible(settings):
    from partner_center.notifications import services

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", FakeSmtp().port
    user = UserFactory(email="never@p.test")
    note = notify(recipients=[user], kind="members.x", title="Never")[0]
    Notification.objects.filter(pk=note.pk).update(email_attempts=services.EMAIL_MAX_ATTEMPTS - 1)
    with pytest.raises(services.EmailNotSent):
        services.email_notifications([note.pk])
    note.refresh_from_db()
    assert note.email_state == "failed" and note.email_error
