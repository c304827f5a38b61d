"""Performance follows the orders: an order recorded for a partner's customer (imported from
the vendor's site or renewed in the portal) is credited in the same transaction."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from customers.models import Order


@receiver(post_save, sender=Order, dispatch_uid="incentives.credit_order")
def credit_order(sender, instance: Order, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        from .services import performance_credit_order

        performance_credit_order(order=instance)
