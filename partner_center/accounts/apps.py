from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "partner_center.accounts"
    label = "accounts"
    verbose_name = _("Accounts and partners")

    def ready(self) -> None:
        from . import language  # noqa: F401 - connects the sign-in receiver
