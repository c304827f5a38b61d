from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StoredResponse(models.Model):
    """The first response to an API write sent with an `Idempotency-Key` header, replayed
    to a retry with the same key (per user) until `expires_at` (24 hours)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    key = models.CharField(_("Idempotency-Key"), max_length=255)
    method = models.CharField(_("HTTP method"), max_length=8)
    path = models.TextField(_("request path"))
    request_hash = models.CharField(_("request hash"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("response status"))
    content_type = models.CharField(_("response content type"), max_length=200, blank=True)
    headers = models.JSONField(_("response headers"), default=dict, blank=True)
    body = models.BinaryField(_("response body"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("stored API response")
        verbose_name_plural = _("stored API responses")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_response_per_user_and_key")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
