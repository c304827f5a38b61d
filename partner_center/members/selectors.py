"""Reads for the member pages and API, scoped to the user's partner."""

from django.db.models import QuerySet
from django.utils import timezone

from partner_center.accounts.access import scope_to_partner
from partner_center.audit.models import Event
from partner_center.audit.selectors import timeline_for

from .models import ContactChange, Membership


def memberships_for(user, now=None) -> QuerySet[Membership]:
    """The partner's invitations and links (vendor staff: everyone's), with `status`."""
    qs = Membership.objects.select_related("user", "invited_by", "partner")
    return scope_to_partner(qs, user).with_status(now or timezone.now())  # type: ignore[attr-defined]  # MembershipQuerySet


def open_invitations_of(user) -> QuerySet[Membership]:
    """Invitations addressed to this person that can still be answered."""
    return (
        Membership.objects.filter(
            user=user,
            state=Membership.State.INVITED,
            invited_by__isnull=False,
            expires_at__gt=timezone.now(),
        )
        .select_related("partner", "invited_by")
        .order_by("-invited_at")
    )


def contact_changes_for(user) -> QuerySet[ContactChange]:
    return scope_to_partner(ContactChange.objects.select_related("requested_by"), user)


def pending_contact_changes(partner) -> list[ContactChange]:
    return list(
        ContactChange.objects.filter(partner=partner, state=ContactChange.State.PENDING).order_by(
            "channel"
        )
    )


def profile_history(partner, limit: int = 50) -> list[Event]:
    """Changes of the partner's profile, paths and account, newest first."""
    return list(timeline_for(partner).order_by("-created_at", "-id")[:limit])
