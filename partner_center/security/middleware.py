"""One middleware for the guards every signed-in request passes: the session's idle time
and lifetime, then the second factor (a session waiting for its code goes to the code page;
a user who must have a second factor and has none goes to set it up, before any page)."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import mfa, sessions

# Pages a signed-in user may reach before the second factor.
EXEMPT_PREFIXES = ("/static/", "/i18n/", "/healthz", "/favicon")
EXEMPT_URL_NAMES = ("logout", "security:mfa_setup", "security:mfa_verify")


class SignInGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt_paths: tuple[str, ...] | None = None

    def exempt_paths(self) -> tuple[str, ...]:
        if self._exempt_paths is None:
            self._exempt_paths = tuple(reverse(name) for name in EXEMPT_URL_NAMES)
        return self._exempt_paths

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and hasattr(request, "session"):
            response = self.check(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def check(self, request, user):
        path = request.path_info
        is_api = path.startswith("/api/")
        now = time.time()
        reason = sessions.expired_reason(request, user, now)
        if reason is not None:
            logout(request)
            if is_api:
                return JsonResponse({"detail": _("Your session has ended.")}, status=401)
            if reason == "idle":
                messages.info(request, _("You were signed out after a time without activity."))
            else:
                messages.info(request, _("Your session has ended. Please sign in again."))
            return redirect_to_login(request.get_full_path())
        sessions.touch(request, user, now)

        if path.startswith(EXEMPT_PREFIXES) or path in self.exempt_paths():
            return None
        if user.is_verified():
            return None
        if request.session.get(mfa.SESSION_PENDING):
            target = "security:mfa_verify"
        elif mfa.mfa_required(user):
            target = "security:mfa_setup"
        else:
            return None
        if is_api:
            return JsonResponse(
                {"detail": _("Finish two-factor sign-in in the portal first.")}, status=403
            )
        url = reverse(target)
        if request.method == "GET":
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        return redirect(url)
