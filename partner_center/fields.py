"""Model field helpers for the references every app writes again and again: the user who did
something (`user_ref`), the user a row always has (`person_ref`), the partner a row belongs to (`partner_ref`) and any other reference
that may be empty (`optional_ref`). They build the same
fields as writing them out (migrations see no difference)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable

    from partner_center.accounts.models import Partner, User

PARTNER = _("partner")


M = TypeVar("M", bound=models.Model)


@overload
def optional_ref(
    to: type[M],
    verbose_name: Any = ...,
    *,
    on_delete: Any = ...,
    related_name: str = ...,
    blank: bool = ...,
    one_to_one: bool = ...,
    **kwargs: Any,
) -> models.ForeignKey[M | Combinable | None, M | None]: ...


@overload
def optional_ref(
    to: str,
    verbose_name: Any = ...,
    *,
    on_delete: Any = ...,
    related_name: str = ...,
    blank: bool = ...,
    one_to_one: bool = ...,
    **kwargs: Any,
) -> Any: ...


def optional_ref(
    to: Any,
    verbose_name: Any = None,
    *,
    on_delete: Any = models.PROTECT,
    related_name: str = "+",
    blank: bool = True,
    one_to_one: bool = False,
    **kwargs: Any,
) -> Any:
    """A reference that may be empty (`null=True`, and by default `blank=True`)."""
    field = models.OneToOneField if one_to_one else models.ForeignKey
    return field(
        to,
        verbose_name=verbose_name,
        null=True,
        blank=blank,
        on_delete=on_delete,
        related_name=related_name,
        **kwargs,
    )


def user_ref(
    verbose_name=None,
    *,
    blank: bool = True,
    on_delete=models.SET_NULL,
    related_name: str = "+",
    one_to_one: bool = False,
    **kwargs,
) -> models.ForeignKey[User | Combinable | None, User | None]:
    """A user recorded on a row (who created, decided, used ...): may be empty."""
    return optional_ref(
        settings.AUTH_USER_MODEL,
        verbose_name,
        blank=blank,
        on_delete=on_delete,
        related_name=related_name,
        one_to_one=one_to_one,
        **kwargs,
    )


def person_ref(
    verbose_name: Any,
    related_name: str = "+",
    *,
    on_delete: Any = models.CASCADE,
    **kwargs: Any,
) -> models.ForeignKey[User | Combinable, User]:
    """The user a row always has: whose session, key, membership or notification it is."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=on_delete,
        related_name=related_name,
        **kwargs,
    )


@overload
def partner_ref(
    related_name: str,
    *,
    null: Literal[False] = False,
    verbose_name: Any = ...,
    on_delete: Any = ...,
    one_to_one: bool = ...,
    **kwargs: Any,
) -> models.ForeignKey[Partner | Combinable, Partner]: ...


@overload
def partner_ref(
    related_name: str,
    *,
    null: Literal[True],
    verbose_name: Any = ...,
    on_delete: Any = ...,
    one_to_one: bool = ...,
    **kwargs: Any,
) -> models.ForeignKey[Partner | Combinable | None, Partner | None]: ...


def partner_ref(
    related_name: str,
    *,
    null: bool = False,
    verbose_name: Any = PARTNER,
    on_delete: Any = models.PROTECT,
    one_to_one: bool = False,
    **kwargs: Any,
) -> Any:
    """The partner a row belongs to (`null=True`: may be empty)."""
    if null:
        kwargs["null"] = True
    field = models.OneToOneField if one_to_one else models.ForeignKey
    return field(
        "accounts.Partner",
        on_delete=on_delete,
        related_name=related_name,
        verbose_name=verbose_name,
        **kwargs,
    )
