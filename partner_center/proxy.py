"""The client's address behind the reverse proxy.

In production every request reaches gunicorn through Caddy, so REMOTE_ADDR is the proxy's
address and the client's is in X-Forwarded-For. Those headers are believed only from the
addresses in `TRUSTED_PROXIES` (addresses or networks; empty means no proxy: nothing is
believed). From anyone else X-Forwarded-For and X-Forwarded-Proto are dropped before
Django's `SECURE_PROXY_SSL_HEADER` or any view reads them, so a client reaching the app
directly can't claim HTTPS or another address."""

from ipaddress import ip_address, ip_network

from django.conf import settings


def _networks(entries):
    return [ip_network(entry.strip(), strict=False) for entry in entries if entry.strip()]


def _parse(text: str):
    try:
        return ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


class ForwardedClientMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.networks = _networks(getattr(settings, "TRUSTED_PROXIES", []))

    def trusted(self, address) -> bool:
        return address is not None and any(address in net for net in self.networks)

    def __call__(self, request):
        meta = request.META
        if not self.trusted(_parse(meta.get("REMOTE_ADDR", ""))):
            meta.pop("HTTP_X_FORWARDED_FOR", None)
            meta.pop("HTTP_X_FORWARDED_PROTO", None)
            return self.get_response(request)
        # The right-most address the trusted proxies did not add themselves is the client.
        hops = [hop for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        for hop in reversed(hops):
            address = _parse(hop)
            if address is None:
                break
            meta["REMOTE_ADDR"] = str(address)
            if not self.trusted(address):
                break
        return self.get_response(request)
