from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "partner_center.outbox"
    label = "outbox"
    verbose_name = _("Outbox")

    def ready(self):
        from . import signals  # noqa: F401 - connects the beat process's relay thread
