"""API rate limits and the guard against guessing API keys.

Rates (settings.API_THROTTLE_RATES, from the environment): per anonymous address, per user
(every door: session or any of the user's keys) and per API key. Counted in fixed windows in
the cache (Redis, one atomic INCR per bucket and request). Every throttled API response
carries `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` (Unix time, in
seconds, when the window ends) for the tightest bucket; over the limit: 429 with
`Retry-After` and the error body (code `rate_limited`). With Redis down nothing is counted
(the API stays up rather than refusing everyone).

Past API_TOKEN_FAILURE_LIMIT failed key sign-ins in API_TOKEN_FAILURE_WINDOW, every key
request from that address, right or wrong, answers 429 until the window ends."""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, throttling

RATE_HEADERS = "rate_limit_headers"  # attribute of the Django request the middleware reads
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class RateLimited(exceptions.Throttled):
    default_code = "rate_limited"
    default_detail = _("Too many requests: slow down.")


class TokenGuessing(RateLimited):
    default_detail = _("Too many failed token sign-ins from this address.")


def parse_rate(rate: str) -> tuple[int, int]:
    """`600/min` → (600, 60)."""
    count, period = rate.split("/")
    return int(count), _PERIODS[period.strip()[0]]


def _django_request(request):
    return getattr(request, "_request", request)


def client_address(request) -> str | None:
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(_django_request(request))


class RateLimit(throttling.BaseThrottle):
    """The API's one throttle: an anonymous caller is counted per address; a signed-in
    user per user, and a call with an API key also per key."""

    def buckets(self, request) -> list[tuple[str, str]]:
        user = request.user
        if not getattr(user, "is_authenticated", False):
            return [("anon", client_address(request) or "unknown")]
        found = [("user", str(user.pk))]
        from partner_center.apikeys.models import ApiKey

        if isinstance(request.auth, ApiKey):
            found.append(("key", str(request.auth.pk)))
        return found

    def allow_request(self, request, view) -> bool:
        now = time.time()
        tightest = None
        for scope, ident in self.buckets(request):
            rate = settings.API_THROTTLE_RATES.get(scope)
            if not rate:
                continue
            limit, period = parse_rate(rate)
            window = int(now // period)
            reset = (window + 1) * period
            count = _count(f"rl:{scope}:{ident}:{window}", period)
            if count is None:  # the cache is down: not counted
                continue
            remaining = max(0, limit - count)
            if tightest is None or remaining < tightest[1]:
                tightest = (limit, remaining, reset)
            if count > limit:
                _remember(request, tightest)
                raise RateLimited(wait=math.ceil(reset - now))
        if tightest is not None:
            _remember(request, tightest)
        return True


def _count(key: str, period: int) -> int | None:
    cache.add(key, 0, period + 5)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, period + 5)
        return 1


def _remember(request, tightest: tuple[int, int, int]) -> None:
    limit, remaining, reset = tightest
    setattr(
        _django_request(request),
        RATE_HEADERS,
        {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(int(reset)),
        },
    )


def _failure_key(request) -> str:
    return f"api-token-failures:{client_address(request)}"


def guessing_guard(request) -> None:
    """Refuse (429) every key sign-in from an address past its failure limit."""
    count, until = cache.get(_failure_key(request)) or (0, 0.0)
    wait = until - time.time()
    if count >= settings.API_TOKEN_FAILURE_LIMIT and wait > 0:
        raise TokenGuessing(wait=wait)


def count_failure(request) -> None:
    key = _failure_key(request)
    now = time.time()
    count, until = cache.get(key) or (0, 0.0)
    if until <= now:
        count, until = 0, now + settings.API_TOKEN_FAILURE_WINDOW.total_seconds()
    cache.set(key, (count + 1, until), math.ceil(until - now))
