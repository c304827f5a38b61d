"""Which keys a user sees: a partner admin the partner's keys, staff their own keys, the
portal's administrator every key (Django admin). Partner members see none."""

from __future__ import annotations

from django.db.models import QuerySet

from partner_center.accounts.permissions import Role

from .models import ApiKey
from .permissions import PARTNER_KEYS, STAFF_KEYS


def keys_for(user) -> QuerySet[ApiKey]:
    qs = ApiKey.objects.select_related("user", "revoked_by")
    if PARTNER_KEYS.allows(user) and user.partner_id:
        return qs.filter(partner_id=user.partner_id)
    if STAFF_KEYS.allows(user):
        return qs.filter(user=user, partner__isnull=True)
    return qs.none()


def may_revoke_any(user) -> bool:
    return bool(user.is_active and (user.is_superuser or user.role == Role.ADMIN))
