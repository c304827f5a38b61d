from django.utils.functional import SimpleLazyObject

from partner_center.menus import menu_for, menu_html


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"portal_menu": [], "portal_menu_html": ""}
    return {
        "portal_menu": menu_for(user),
        "portal_menu_html": SimpleLazyObject(lambda: menu_html(request)),
    }
