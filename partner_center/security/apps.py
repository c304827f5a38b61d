from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "partner_center.security"
    label = "security"
    verbose_name = _("Sign-in security")

    def ready(self):
        from . import signals  # noqa: F401
