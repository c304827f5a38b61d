from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "partner_center.audit"
    label = "audit"
    verbose_name = _("Events and audit")

    def ready(self) -> None:
        # Every app's lifecycle tables (`<app>/transitions.py`) register themselves in
        # `workflow.REGISTRY` on import: load them all, so that any timeline can label any
        # verb and `lifecycle_of` knows every model.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("transitions")
