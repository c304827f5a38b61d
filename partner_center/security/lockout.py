"""Brute-force protection of the sign-in doors (django-axes), and the password-reset limits.

Axes counts failed sign-ins per account (the e-mail, normalised as the e-mail backend
normalises it) and per address; at AXES_FAILURE_LIMIT failures in AXES_COOLOFF_TIME either
one is locked until the cool-off ends. Every door that calls `authenticate()` with the
request is covered: the portal's login page, /admin/login/ and HTTP basic auth if enabled."""

from __future__ import annotations

import math

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.utils import ErrorDict, ErrorList
from django.shortcuts import render
from django.utils.translation import gettext as _


def normalise_email(value) -> str:
    return str(value or "").strip().lower()


def username_from_request(request, credentials) -> str:
    """The account axes counts failures for: the e-mail as the backend reads it, so
    "Owner@X.test " and "owner@x.test" are one account."""
    credentials = credentials or {}
    value = credentials.get("username") or credentials.get("email")
    if value is None and request is not None:
        data = getattr(request, "data", None) or request.POST
        value = data.get("username") or data.get("email")
    return normalise_email(value)


class LockoutBackend(AxesStandaloneBackend):
    """Axes' check, skipped where there is no request to count (test clients' `login()`,
    scripts): those are not a door an attacker can knock on."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def cool_off_minutes(request=None) -> int:
    return max(1, math.ceil(get_cool_off(request).total_seconds() / 60))


def lockout_response(request, original_response=None, credentials=None):
    """The page axes shows instead of a bare 403: the sign-in page of the door that was
    used (portal or admin), with a message saying for how long, answered 429."""
    from django.contrib.admin.forms import AdminAuthenticationForm

    from partner_center.accounts.forms import EmailAuthenticationForm

    minutes = cool_off_minutes(request)
    message = _(
        "Too many failed sign-in attempts for this account or from this network. Signing in "
        "is blocked for %(minutes)s minutes. If you forgot your password, reset it; an "
        "administrator can also unlock the account."
    ) % {"minutes": minutes}
    on_admin = request.path.startswith("/admin/")
    form_class = AdminAuthenticationForm if on_admin else EmailAuthenticationForm
    form = form_class(request, initial={"username": username_from_request(request, credentials)})
    # An unbound form carrying the message as its error: rendering it never calls
    # authenticate() again.
    form._errors = ErrorDict({NON_FIELD_ERRORS: ErrorList([message])})
    context = {
        "form": form,
        "page_title": _("Sign in"),
        "next": request.POST.get("next", ""),
    }
    if on_admin:
        from django.contrib import admin

        context.update(admin.site.each_context(request))
        context.update({"title": _("Log in"), "app_path": request.get_full_path()})
        template = "admin/login.html"
    else:
        template = "registration/login.html"
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


def password_reset_allowed(request, email: str) -> tuple[bool, bool]:
    """(address allowed, e-mail allowed) for one more reset request. Over the address limit
    the page says so (429); over the e-mail limit the request is answered as usual but no
    mail goes out, so the page tells nothing about the account and nobody is mail-bombed."""
    from axes.helpers import get_client_ip_address

    window = int(settings.PASSWORD_RESET_LIMIT_WINDOW.total_seconds())
    ip_key = f"pwreset:ip:{get_client_ip_address(request)}"
    email_key = f"pwreset:email:{normalise_email(email)}"
    ip_count = _hit(ip_key, window)
    if ip_count > settings.PASSWORD_RESET_LIMIT_PER_IP:
        return False, False
    email_count = _hit(email_key, window) if email else 0
    return True, email_count <= settings.PASSWORD_RESET_LIMIT_PER_EMAIL


def _hit(key: str, window: int) -> int:
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1
