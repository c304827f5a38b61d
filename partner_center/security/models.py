"""Rows behind the sign-in guards: one per signed-in session (so a user can list and end
them, whatever the session engine) and one per browser the user chose to trust for the
second factor."""

import hashlib

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partner_center.fields import person_ref


def key_digest(value: str) -> str:
    """Session keys and device tokens are stored as SHA-256 digests, never as given."""
    return hashlib.sha256(value.encode()).hexdigest()


class UserSession(models.Model):
    """A sign-in: created at login, ended at sign-out, idle expiry or "sign out everywhere"."""

    user = person_ref(_("user"), "signed_in_sessions")
    key_digest = models.CharField(_("session key digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("signed in at"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")
        ordering = ["-last_seen_at"]
        indexes = [models.Index(fields=["user", "ended_at"], name="usersession_user_open")]

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"


class TrustedDevice(models.Model):
    """A browser that may skip the second factor until `expires_at`. The browser holds a
    signed cookie with the user id and a random token; only the token's digest is kept."""

    user = person_ref(_("user"), "trusted_devices")
    token_digest = models.CharField(_("token digest"), max_length=64, unique=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("trusted since"), default=timezone.now)
    expires_at = models.DateTimeField(_("trusted until"))

    class Meta:
        verbose_name = _("trusted device")
        verbose_name_plural = _("trusted devices")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.user_agent[:40]}"
