"""Model field helpers for the references every app writes again and again: the user who did
something (`user_ref`) and the partner a row belongs to (`partner_ref`). They build the same
fields as writing them out (migrations see no difference)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

PARTNER = _("partner")


def user_ref(
    verbose_name,
    *,
    blank: bool = True,
    on_delete=models.SET_NULL,
    related_name: str = "+",
    one_to_one: bool = False,
    **kwargs,
) -> models.ForeignKey:
    """A user recorded on a row (who created, decided, used ...): may be empty."""
    field = models.OneToOneField if one_to_one else models.ForeignKey
    return field(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=blank,
        on_delete=on_delete,
        related_name=related_name,
        **kwargs,
    )


def partner_ref(
    related_name: str,
    *,
    verbose_name=PARTNER,
    on_delete=models.PROTECT,
    one_to_one: bool = False,
    **kwargs,
) -> models.ForeignKey:
    """The partner a row belongs to."""
    field = models.OneToOneField if one_to_one else models.ForeignKey
    return field(
        "accounts.Partner",
        on_delete=on_delete,
        related_name=related_name,
        verbose_name=verbose_name,
        **kwargs,
    )
