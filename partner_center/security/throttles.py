"""API throttles: request rates per anonymous address and per user (429 with Retry-After),
and a limit on failed token sign-ins per address, so tokens cannot be guessed."""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, throttling
from rest_framework.authentication import TokenAuthentication


class _SettingsRate:
    """Read the rate from Django settings at each request (DRF binds it at import)."""

    def get_rate(self):
        return settings.API_THROTTLE_RATES.get(self.scope)


class AnonymousRateThrottle(_SettingsRate, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_SettingsRate, throttling.UserRateThrottle):
    pass


class TokenGuessing(exceptions.Throttled):
    default_detail = _("Too many failed token sign-ins from this address.")


class ThrottledTokenAuthentication(TokenAuthentication):
    """DRF's token authentication that counts failures per address: past
    API_TOKEN_FAILURE_LIMIT in API_TOKEN_FAILURE_WINDOW every token request from that
    address, right or wrong, answers 429 with Retry-After until the window ends."""

    def authenticate(self, request):
        key = f"api-token-failures:{self._address(request)}"
        scheme = request.META.get("HTTP_AUTHORIZATION", "").split(" ")[0]
        if scheme.lower() == self.keyword.lower():
            count, until = cache.get(key) or (0, 0.0)
            wait = until - time.time()
            if count >= settings.API_TOKEN_FAILURE_LIMIT and wait > 0:
                raise TokenGuessing(wait=wait)
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            self._count_failure(key)
            raise

    @staticmethod
    def _count_failure(key: str) -> None:
        now = time.time()
        count, until = cache.get(key) or (0, 0.0)
        if until <= now:
            count, until = 0, now + settings.API_TOKEN_FAILURE_WINDOW.total_seconds()
        cache.set(key, (count + 1, until), math.ceil(until - now))

    @staticmethod
    def _address(request) -> str:
        from axes.helpers import get_client_ip_address

        return get_client_ip_address(request._request if hasattr(request, "_request") else request)
