from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpcenterConfig(AppConfig):
    name = "partner_center.helpcenter"
    label = "helpcenter"
    verbose_name = _("Help center")
