"""The Celery app. Tasks are thin: they take ids and call a service."""

import os
from smtplib import SMTPException

from celery import Celery

# How a task that sends one e-mail retries when the mail server fails: up to 8 retries, waiting
# 5 s, then longer, up to 5 minutes.
EMAIL_RETRY = {
    "autoretry_for": (OSError, SMTPException),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "max_retries": 8,
}

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partner_center.settings.dev")

app = Celery("partner_center", task_cls="partner_center.outbox.celery_task:OutboxAwareTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
