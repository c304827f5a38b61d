from partner_center.menus import menu_for


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"portal_menu": []}
    return {"portal_menu": menu_for(user)}
