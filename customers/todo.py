"""To-do items of customers: frozen accounts waiting for a budget, money operations waiting
for a second partner admin, resources expiring soon that won't renew by themselves."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from partner_center.accounts.permissions import PARTNER_ROLES, Role
from partner_center.money import cny
from partner_center.todo import items, take

from .models import Account, MoneyRequest, Resource
from .permissions import MOVE_MONEY, VIEW_MONEY_REQUESTS
from .selectors import expiring_soon


def todo(user) -> list:
    if user.role not in PARTNER_ROLES:
        return []
    found: list = []
    if MOVE_MONEY.allows(user):
        found += items(
            "budget_to_set",
            _("Account frozen until a budget is set"),
            take(
                Account.objects.filter(
                    partner_id=user.partner_id,
                    frozen=True,
                    monthly_budget__isnull=True,
                    association__state="active",
                )
                .select_related("association__customer")
                .order_by("pk")
            ),
            title=lambda a: a.association.customer.name,
            url=lambda a: reverse("customers:budget", args=[a.association_id]),
            action=_("Set the monthly budget"),
            more_url=reverse("customers:list"),
        )
    if VIEW_MONEY_REQUESTS.allows(user) and user.role == Role.PARTNER_ADMIN:
        found += items(
            "money_request_to_decide",
            _("Money operation waiting for approval"),
            take(
                MoneyRequest.objects.filter(
                    partner_id=user.partner_id, state=MoneyRequest.State.PENDING
                )
                .exclude(requested_by=user)
                .order_by("pk")
            ),
            title=lambda r: f"{r.get_operation_display()} · {cny(r.amount)}",
            url=lambda r: reverse("customers:money_requests"),
            action=_("Approve or refuse"),
            more_url=reverse("customers:money_requests"),
        )
    if MOVE_MONEY.allows(user):  # renewing pays from the account (the renew page's right)
        found += items(
            "resource_to_renew",
            _("Resource expiring without auto-renewal"),
            take(
                expiring_soon(
                    Resource.objects.filter(partner_id=user.partner_id, auto_renew=False)
                ).order_by("expires_at", "pk")
            ),
            title=lambda r: r.name,
            url=lambda r: reverse("customers:renew", args=[r.pk]),
            action=_("Renew"),
            deadline=lambda r: r.expires_at,
            more_url=reverse("customers:resources") + "?expiring=true",
        )
    return found
