"""The new-customer label [our rule R4.5], in one place.

A customer carries the label with the partner it is associated with when its **first paid
order on the vendor's site** (the first imported order that charged money: a new purchase,
renewal or upgrade with an amount above zero; refunds don't count) was formed within
`NEW_CUSTOMER_WINDOW` (90 days) of the start of that association. A customer that had paid
on the vendor's site before (on its own or with an earlier partner) is not new.

The label lives on the association (`new_customer_at`, indexed): the import of orders calls
`relabel` for the customer of every paid order it records, so an earlier order imported
late moves or removes the label. `new_customer_labelled_at` records when the portal set it,
which is what the daily digest of newly labelled customers reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from .models import Association, Order

NEW_CUSTOMER_WINDOW = timedelta(days=90)  # [our rule R4.5]


def paid_vendor_orders_q() -> Q:
    """Orders that count as 'paid on the vendor's site'."""
    return Q(source=Order.Source.VENDOR_SITE, amount__gt=0) & ~Q(
        order_type__in=list(Order.REFUND_TYPES)
    )


def is_paid_vendor_order(order: Order) -> bool:
    return (
        order.source == Order.Source.VENDOR_SITE
        and order.amount > 0
        and order.order_type not in Order.REFUND_TYPES
    )


def qualifies(*, associated_at: datetime, first_paid_at: datetime) -> bool:
    """The rule itself: the first paid order within the window of the association."""
    return associated_at <= first_paid_at <= associated_at + NEW_CUSTOMER_WINDOW


def relabel(customer_ids: Iterable[int], *, now: datetime | None = None) -> int:
    """Recompute the label of these customers' associations from their imported orders;
    returns how many associations gained the label."""
    now = now or timezone.now()
    gained = 0
    for customer_id in set(customer_ids):
        first = (
            Order.objects.filter(paid_vendor_orders_q(), customer_id=customer_id)
            .select_related("association")
            .order_by("formed_at", "id")
            .first()
        )
        winner = None
        if (
            first is not None
            and first.association is not None
            and qualifies(
                associated_at=first.association.associated_at, first_paid_at=first.formed_at
            )
        ):
            winner = first.association
        Association.objects.filter(customer_id=customer_id, new_customer_at__isnull=False).exclude(
            pk=getattr(winner, "pk", None)
        ).update(new_customer_at=None, new_customer_labelled_at=None)
        if winner is not None and winner.new_customer_at != first.formed_at:  # type: ignore[union-attr]
            gained += int(winner.new_customer_at is None)
            Association.objects.filter(pk=winner.pk).update(
                new_customer_at=first.formed_at,  # type: ignore[union-attr]
                new_customer_labelled_at=winner.new_customer_labelled_at or now,
            )
    return gained
