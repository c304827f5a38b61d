"""Behind Caddy, the client's address and "this was HTTPS" are believed only from the proxy
(TRUSTED_PROXIES); from anyone else the forwarded headers are dropped."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from partner_center.proxy import ForwardedClientMiddleware

PROXY = "172.28.86.10"


def run(settings, trusted, remote, forwarded_for=None, proto=None):
    settings.TRUSTED_PROXIES = trusted
    seen = {}

    def view(request):
        seen["addr"] = request.META["REMOTE_ADDR"]
        seen["for"] = request.META.get("HTTP_X_FORWARDED_FOR")
        seen["secure"] = request.is_secure()
        return HttpResponse()

    extra = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    if proto is not None:
        extra["HTTP_X_FORWARDED_PROTO"] = proto
    ForwardedClientMiddleware(view)(RequestFactory().get("/", **extra))
    return seen


@pytest.fixture(autouse=True)
def _behind_proxy(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def test_the_proxy_gives_the_client_address_and_https(settings):
    seen = run(settings, [PROXY], PROXY, "203.0.113.7", "https")
    assert seen == {"addr": "203.0.113.7", "for": "203.0.113.7", "secure": True}


def test_anyone_else_cannot_claim_an_address_or_https(settings):
    seen = run(settings, [PROXY], "172.28.86.23", "203.0.113.7", "https")
    assert seen == {"addr": "172.28.86.23", "for": None, "secure": False}


def test_no_trusted_proxy_means_no_forwarded_header_is_believed(settings):
    seen = run(settings, [], "127.0.0.1", "203.0.113.7", "https")
    assert seen == {"addr": "127.0.0.1", "for": None, "secure": False}


def test_a_spoofed_left_entry_is_ignored_the_rightmost_untrusted_wins(settings):
    seen = run(settings, ["172.28.86.0/24"], PROXY, "1.2.3.4, 203.0.113.7, 172.28.86.5")
    assert seen["addr"] == "203.0.113.7"


def test_garbage_in_the_header_stops_the_walk(settings):
    assert run(settings, [PROXY], PROXY, "not-an-ip")["addr"] == PROXY
    assert run(settings, [PROXY], PROXY, "2001:db8::1")["addr"] == "2001:db8::1"


def test_the_middleware_runs_first_in_the_stack():
    from django.conf import settings

    assert settings.MIDDLEWARE[0] == "partner_center.proxy.ForwardedClientMiddleware"
    assert settings.MIDDLEWARE[1] == "django.middleware.security.SecurityMiddleware"
