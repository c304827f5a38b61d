"""Creating and revoking API keys: the only writes of this app."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partner_center.accounts.access import require
from partner_center.audit.services import record_event
from partner_center.audit.verbs import Verb
from partner_center.errors import DomainError, NotAllowed

from .models import KEY_MARK, ApiKey, secret_digest
from .permissions import MANAGE_API_KEYS, PARTNER_KEYS
from .scopes import ALL_SCOPES, normalized
from .selectors import may_revoke_any

# [our rule] A key expires within a year at the latest: a leaked key cannot live forever.
MAX_DAYS = 365
EXPIRY_CHOICES = (30, 90, 180, 365)


def new_key_text() -> tuple[str, str, str]:
    """(full key, prefix, secret): `pck_<12 hex>_<43 url-safe characters>`."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return f"{KEY_MARK}_{prefix}_{secret}", prefix, secret


@transaction.atomic
def create_key(
    *, actor, label: str, scopes, expires_in_days: int, via_key: ApiKey | None = None
) -> tuple[ApiKey, str]:
    """Create a key acting as `actor`; returns the key row and the full key text, which is
    shown once and never stored. A key used to create another one (`via_key`) cannot give it
    more scopes or a later expiry than it has itself."""
    require(actor, MANAGE_API_KEYS)
    label = (label or "").strip()
    if not label:
        raise DomainError(_("Give the key a label."), field="label", code="required")
    wanted = normalized(scopes)
    unknown = {str(s) for s in scopes} - {s.value for s in ALL_SCOPES}
    if unknown:
        raise DomainError(_("Unknown scope."), field="scopes", code="invalid_choice")
    if not isinstance(expires_in_days, int) or not 1 <= expires_in_days <= MAX_DAYS:
        raise DomainError(
            _("A key expires within 1 to %(days)s days.") % {"days": MAX_DAYS},
            field="expires_in_days",
            code="expiry_out_of_range",
        )
    expires_at = timezone.now() + timedelta(days=expires_in_days)
    if via_key is not None:
        if set(wanted) - set(via_key.scopes):
            raise DomainError(
                _("A key cannot create a key with scopes it does not have."),
                field="scopes",
                code="scope_escalation",
            )
        expires_at = min(expires_at, via_key.expires_at)
    partner_id = actor.partner_id if PARTNER_KEYS.allows(actor) else None
    full, prefix, secret = new_key_text()
    key = ApiKey.objects.create(
        user=actor,
        partner_id=partner_id,
        label=label,
        prefix=prefix,
        secret_digest=secret_digest(secret),
        scopes=wanted,
        expires_at=expires_at,
    )
    record_event(
        actor=actor,
        subject=key,
        verb=Verb.API_KEY_CREATED,
        partner_id=partner_id,
        data={"label": label, "prefix": prefix, "scopes": wanted},
    )
    return key, full


@transaction.atomic
def revoke_key(*, actor, key: ApiKey) -> ApiKey:
    """Revoke a key: it stops working at once. A partner admin revokes the partner's keys,
    staff their own keys, the portal's administrator any key."""
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if not may_revoke_any(actor):
        require(actor, MANAGE_API_KEYS, partner_id=key.partner_id)
        if key.partner_id is None and key.user_id != actor.pk:
            raise NotAllowed
        if key.partner_id is not None and actor.partner_id != key.partner_id:
            raise NotAllowed
    if key.revoked_at is not None:
        return key
    key.revoked_at = timezone.now()
    key.revoked_by = actor
    key.save(update_fields=["revoked_at", "revoked_by"])
    record_event(
        actor=actor,
        subject=key,
        verb=Verb.API_KEY_REVOKED,
        partner_id=key.partner_id,
        data={"label": key.label, "prefix": key.prefix},
    )
    return key
