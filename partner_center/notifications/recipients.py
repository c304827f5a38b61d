"""Who to notify, named once: the admins of a partner, the users of partners, BD staff,
certification specialists. Only active accounts; a stable order (by id)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from partner_center.accounts.models import User
from partner_center.accounts.permissions import PARTNER_ROLES, Role


def partner_admins(partner_id: int) -> QuerySet[User]:
    """The partner admins of one partner."""
    return User.objects.filter(
        partner_id=partner_id, role=Role.PARTNER_ADMIN, is_active=True
    ).order_by("id")


def partner_users(partner_ids: Iterable[int]) -> dict[int, list[User]]:
    """The partner users (admins and members) of each partner, by partner id (one query)."""
    users: dict[int, list[User]] = {}
    for user in User.objects.filter(
        partner_id__in=list(partner_ids), role__in=list(PARTNER_ROLES), is_active=True
    ).order_by("id"):
        users.setdefault(user.partner_id, []).append(user)
    return users


def bd_staff() -> list[User]:
    return list(User.objects.filter(role=Role.BD, is_active=True).order_by("id"))


def certification_specialists() -> QuerySet[User]:
    return User.objects.filter(role=Role.CERT_SPECIALIST, is_active=True).order_by("id")
