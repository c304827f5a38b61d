from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpportunitiesConfig(AppConfig):
    name = "opportunities"
    verbose_name = _("Opportunities")

    def ready(self) -> None:
        from partner_center.workcalendar.services import calendar_changed

        from .sla import on_calendar_changed

        calendar_changed.connect(on_calendar_changed, dispatch_uid="opportunities.calendar")

        from partner_center.members.signals import member_left

        from .services.owners import on_member_left

        member_left.connect(on_member_left, dispatch_uid="opportunities.owner_hand_over")
