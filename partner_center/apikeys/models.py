"""API keys: `pck_<prefix>_<secret>`, shown once. Only the prefix (indexed, for the lookup)
and the SHA-256 digest of the secret are stored; the secret is compared in constant time."""

from __future__ import annotations

import hashlib

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partner_center.fields import partner_ref, person_ref, user_ref

KEY_MARK = "pck"


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class KeyStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("key status", "Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class ApiKey(models.Model):
    """A key acts as `user` (who created it), limited by `scopes`. A partner admin's key
    belongs to the partner (`partner`): it stops working when its user leaves the partner or
    is deactivated. Staff keys have no partner."""

    user = person_ref(_("acts as"), "api_keys")
    partner = partner_ref("api_keys", on_delete=models.CASCADE, null=True, blank=True)
    label = models.CharField(pgettext_lazy("api key", "label"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    secret_digest = models.CharField(_("secret digest"), max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = user_ref(_("revoked by"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("last used from"), null=True, blank=True)
    migrated = models.BooleanField(
        _("migrated token"),
        default=False,
        help_text=_("Made from an old plain token: it keeps working until it expires."),
    )

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["partner", "created_at"], name="apikey_partner_created"),
            models.Index(fields=["user", "created_at"], name="apikey_user_created"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.display_prefix})"

    @property
    def display_prefix(self) -> str:
        return f"{KEY_MARK}_{self.prefix}_…"

    @property
    def scope_labels(self) -> list[str]:
        """The key's scopes as the reader's words ("Read", "Billing"), in the catalogue's order."""
        from .scopes import ALL_SCOPES

        return [str(scope.label) for scope in ALL_SCOPES if scope.value in self.scopes]

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired

    @property
    def status(self) -> str:
        if self.is_revoked:
            return KeyStatus.REVOKED
        return KeyStatus.EXPIRED if self.is_expired else KeyStatus.ACTIVE

    def status_label(self) -> str:
        return str(KeyStatus(self.status).label)
