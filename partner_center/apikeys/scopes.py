"""What an API key may do: the scope→endpoint mapping, in one place.

Every key may read (GET, HEAD, OPTIONS) what its user may read. A write needs the scope of
the domain the endpoint belongs to: the view's `required_scope` attribute when it names one,
else the scope of the path's domain tag (the OpenAPI tag, `partner_center.api._tag_for`).
A key never does more than its user may do: the scopes only narrow the user's capabilities."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from rest_framework.permissions import SAFE_METHODS


class Scope(models.TextChoices):
    READ = "read", pgettext_lazy("scope", "Read")
    OPPORTUNITIES = "opportunities", _("Opportunities")
    MONEY = "customers", _("Customers and money")
    BILLING = "billing", _("Billing")
    ACCOUNT = "account", _("Account: members, certification, programs, API keys")


WRITE_SCOPES = [Scope.OPPORTUNITIES, Scope.MONEY, Scope.BILLING, Scope.ACCOUNT]
ALL_SCOPES = [Scope.READ, *WRITE_SCOPES]

# The OpenAPI domain tag of a path → the scope its writes need.
WRITE_SCOPE_BY_TAG = {
    "opportunities": Scope.OPPORTUNITIES,
    "customers": Scope.MONEY,
    "incentives": Scope.MONEY,
    "billing": Scope.BILLING,
    "certification": Scope.ACCOUNT,
    "members": Scope.ACCOUNT,
    "programs": Scope.ACCOUNT,
    "notifications": Scope.ACCOUNT,
    "helpcenter": Scope.ACCOUNT,
    "accounts": Scope.ACCOUNT,
    "apikeys": Scope.ACCOUNT,
}


def required_scope(method: str, path: str, view=None) -> str:
    """The scope a key needs for `method` on `path` (served by `view`)."""
    if method.upper() in SAFE_METHODS:
        return Scope.READ
    explicit = getattr(view, "required_scope", None)
    if explicit:
        return explicit
    from partner_center.api import _tag_for

    return WRITE_SCOPE_BY_TAG.get(_tag_for(path), Scope.ACCOUNT)


def normalized(scopes) -> list[str]:
    """Known scopes in their canonical order, read always included."""
    wanted = {str(s) for s in scopes} | {Scope.READ.value}
    return [s.value for s in ALL_SCOPES if s.value in wanted]
