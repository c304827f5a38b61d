from django.db.models import QuerySet

from partner_center.accounts.models import User

from .models import TOPIC_PARTNER_TYPES, Notification, NotificationPreference, Subscription


def unread_count_for(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def email_enabled_for(user) -> bool:
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference.email_enabled if preference else True


def subscribed_topics_of(user) -> set[str]:
    return set(Subscription.objects.filter(user=user).values_list("topic", flat=True))


def subscriptions_for(user) -> QuerySet[Subscription]:
    """The subscriptions of the user's partner (each user's own topics)."""
    if not user.partner_id:
        return Subscription.objects.none()
    return Subscription.objects.filter(
        partner_id=user.partner_id, user__partner_id=user.partner_id
    ).select_related("user")


def subscribers_of(partner, topic: str) -> QuerySet[User]:
    """Active users of an active `partner` subscribed to `topic`: pass them to `notify`.
    A topic limited to some partner types has no subscribers at a partner without them."""
    if partner is None or not partner.is_active:
        return User.objects.none()
    needed = TOPIC_PARTNER_TYPES.get(topic)  # type: ignore[call-overload]  # topic: a Topic value
    if needed and not (needed & partner.type_codes):
        return User.objects.none()
    return User.objects.filter(
        partner=partner,
        is_active=True,
        subscriptions__topic=topic,
        subscriptions__partner=partner,
    ).order_by("pk")
