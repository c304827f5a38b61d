"""The Celery app. Tasks are thin: they take ids and call a service."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partner_center.settings.dev")

app = Celery("partner_center", task_cls="partner_center.outbox.celery_task:OutboxAwareTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
