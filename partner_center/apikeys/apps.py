from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiKeysConfig(AppConfig):
    name = "partner_center.apikeys"
    label = "apikeys"
    verbose_name = _("API keys")

    def ready(self):
        from . import schema  # noqa: F401 - the OpenAPI security scheme of API keys
