"""Helpers for member tests: people to invite and link-history rows."""

from datetime import timedelta

from django.utils import timezone

from partner_center.accounts.models import User
from partner_center.accounts.permissions import Role
from partner_center.members.models import Membership
from tests.factories import UserFactory


def person(**attrs) -> User:
    """A person's own account that passes every invitation check."""
    attrs.setdefault("role", Role.CUSTOMER)
    attrs.setdefault("real_name_status", User.RealName.PERSONAL)
    attrs.setdefault("site", User.Site.MAINLAND)
    return UserFactory(**attrs)


def past_link(user, partner, *, linked_days_ago: int, unlinked_days_ago: int) -> Membership:
    """A link that has ended, as the history keeps it."""
    now = timezone.now()
    return Membership.objects.create(
        partner=partner,
        user=user,
        state=Membership.State.UNLINKED,
        linked_at=now - timedelta(days=linked_days_ago),
        unlinked_at=now - timedelta(days=unlinked_days_ago),
    )


def invitations_today(partner, inviter, count: int) -> None:
    """`count` invitations sent by the partner today, to distinct people."""
    now = timezone.now()
    people = UserFactory.create_batch(count, role=Role.CUSTOMER)
    Membership.objects.bulk_create(
        Membership(
            partner=partner,
            user=p,
            state=Membership.State.INVITED,
            invited_by=inviter,
            invited_at=now,
            expires_at=now + timedelta(days=7),
            token=f"t-{partner.pk}-{p.pk}",
        )
        for p in people
    )
