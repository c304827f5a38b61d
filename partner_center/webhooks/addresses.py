"""The SSRF guard: a webhook URL must be https and reach only public addresses.

`check_url` is called when an endpoint is saved (a `DomainError` on the `url` field) and
`resolve_public` again right before every delivery, which then connects to the address it
returned: a name that resolved to a public address when it was registered and to an
internal one later (DNS rebinding) is refused at delivery time.

`settings.WEBHOOKS_ALLOW_PRIVATE` (env, off in production; on in the demo and the tests)
allows http and private addresses, for an endpoint on the same machine or network."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from partner_center.errors import DomainError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def allow_private() -> bool:
    return bool(getattr(settings, "WEBHOOKS_ALLOW_PRIVATE", False))


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv6 one (mapped, 6to4, Teredo, NAT64), if any."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in ipaddress.ip_network("64:ff9b::/96"):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public(ip: IPAddress) -> bool:
    """False for loopback, private, link-local (cloud metadata 169.254.169.254), CGNAT
    (100.64.0.0/10), multicast, reserved and unspecified addresses, and their IPv6
    equivalents (an IPv4 address embedded in IPv6 is judged as itself)."""
    inner = _embedded_ipv4(ip)
    if inner is not None:
        return is_public(inner)
    return bool(
        ip.is_global
        and not (
            ip.is_private
            or ip.is_loopback
            or ip.is_link_local
            or ip.is_multicast
            or ip.is_reserved
            or ip.is_unspecified
        )
    )


def _split(url: str):
    parts = urlsplit(url)
    if parts.username or parts.password:
        raise DomainError(
            _("The URL must not contain a user name or password."), field="url", code="url_userinfo"
        )
    return parts


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to (a literal address resolves to itself)."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise DomainError(
            _("The host name %(host)s cannot be resolved.") % {"host": host},
            field="url",
            code="url_unresolvable",
        ) from exc
    found: list[IPAddress] = []
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if ip not in found:
            found.append(ip)
    return found


def resolve_public(url: str) -> tuple[str, int, IPAddress]:
    """(host, port, the address to connect to) for `url`, or a DomainError on `url`: not
    https, or one of the host's addresses is not public (unless private ones are allowed)."""
    parts = _split(url)
    scheme = (parts.scheme or "").lower()
    relaxed = allow_private()
    if scheme != "https" and not (relaxed and scheme == "http"):
        raise DomainError(
            _("Webhook URLs must start with https://."), field="url", code="url_not_https"
        )
    host = parts.hostname or ""
    if not host:
        raise DomainError(_("The URL has no host name."), field="url", code="url_no_host")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise DomainError(_("The URL's port is not valid."), field="url", code="url_port") from exc
    addresses = resolve(host, port)
    if not addresses:
        raise DomainError(
            _("The host name %(host)s cannot be resolved.") % {"host": host},
            field="url",
            code="url_unresolvable",
        )
    if not relaxed:
        for ip in addresses:
            if not is_public(ip):
                raise DomainError(
                    _(
                        "%(host)s resolves to %(address)s, which is not a public address: "
                        "webhooks are only sent to public internet addresses."
                    )
                    % {"host": host, "address": ip},
                    field="url",
                    code="url_not_public",
                )
    return host, port, addresses[0]


def check_url(url: str) -> None:
    resolve_public(url)


def connect_to(ip: IPAddress, port: int, timeout: float) -> socket.socket:
    """A TCP connection to exactly the checked address (never resolved again)."""
    family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect((str(ip), port))
    except OSError:
        sock.close()
        raise
    return sock
