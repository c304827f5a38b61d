"""`Authorization: Bearer pck_<prefix>_<secret>` (or `Token …`, as the old plain tokens were
sent). The key acts as its user, limited by its scopes (see `scopes.py`); a revoked or
expired key, or one whose user was deactivated or left the key's partner, is refused (401).
Failed attempts count per address (`partner_center.security.throttles.guessing_guard`)."""

from __future__ import annotations

import hmac
import re
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from partner_center.accounts.permissions import PARTNER_ROLES
from partner_center.security import throttles

from .models import KEY_MARK, ApiKey, secret_digest
from .scopes import required_scope

KEYWORDS = ("bearer", "token")
_NEW_KEY = re.compile(rf"^{KEY_MARK}_([0-9a-f]{{12}})_([A-Za-z0-9_\-]{{20,100}})$")
_OLD_TOKEN = re.compile(r"^([0-9a-f]{12})([0-9a-f]{28})$")  # DRF's 40-hex tokens, migrated
TOUCH_EVERY = timedelta(minutes=1)


class ScopeMissing(exceptions.PermissionDenied):
    default_code = "scope_missing"
    default_detail = _("This API key does not have the scope for this request.")


def split_key(text: str) -> tuple[str, str] | None:
    """(prefix, secret) of a key as sent, or None when it has neither known shape."""
    for pattern in (_NEW_KEY, _OLD_TOKEN):
        match = pattern.match(text)
        if match:
            return match.group(1), match.group(2)
    return None


def key_user_ok(key: ApiKey) -> bool:
    """The key's user is active and, for a partner's key, still a user of that partner."""
    user = key.user
    if not user.is_active:
        return False
    if key.partner_id is not None:
        return user.partner_id == key.partner_id and user.role in PARTNER_ROLES
    return user.role not in PARTNER_ROLES


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        parts = request.META.get("HTTP_AUTHORIZATION", "").split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        throttles.guessing_guard(request)
        if len(parts) != 2:
            self._fail(request, _("Send the key as `Authorization: Bearer <key>`."))
        key = self._lookup(parts[1])
        if key is None:
            self._fail(request, _("The API key is not valid, expired or revoked."))
        self._touch(key, request)
        view = (getattr(request, "parser_context", None) or {}).get("view")
        scope = required_scope(request.method, request.path_info, view)
        if scope not in key.scopes:
            raise ScopeMissing
        return key.user, key

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'

    @staticmethod
    def _lookup(text: str) -> ApiKey | None:
        parts = split_key(text)
        if parts is None:
            return None
        prefix, secret = parts
        key = ApiKey.objects.select_related("user", "user__partner").filter(prefix=prefix).first()
        if key is None or not hmac.compare_digest(key.secret_digest, secret_digest(secret)):
            return None
        if not key.is_usable or not key_user_ok(key):
            return None
        return key

    @staticmethod
    def _fail(request, message):
        throttles.count_failure(request)
        raise exceptions.AuthenticationFailed(message)

    @staticmethod
    def _touch(key: ApiKey, request) -> None:
        """Last use (time and address), written at most once a minute per key and address."""
        now = timezone.now()
        address = throttles.client_address(request)
        if (
            key.last_used_at is None
            or now - key.last_used_at >= TOUCH_EVERY
            or key.last_used_ip != address
        ):
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now, last_used_ip=address)
            key.last_used_at, key.last_used_ip = now, address
