from django.utils.functional import SimpleLazyObject

from partner_center.menus import menu_for, menu_html


def portal(request):
    from opportunities.transitions import SLA_WORKING_DAYS

    # Texts that state a deadline read its length from the rule, never a typed number.
    sla_days = {kind.lower(): days for kind, days in SLA_WORKING_DAYS.items()}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"portal_menu": [], "portal_menu_html": "", "sla_days": sla_days}
    return {
        "portal_menu": menu_for(user),
        "portal_menu_html": SimpleLazyObject(lambda: menu_html(request)),
        "sla_days": sla_days,
    }
