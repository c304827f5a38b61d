"""To-do items of members: an invitation to join a partner that waits for this user's answer."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from partner_center.todo import items, take

from .models import Membership


def todo(user) -> list:
    return items(
        "invitation_to_answer",
        _("Invitation to join a partner"),
        take(
            Membership.objects.filter(
                Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()),
                user=user,
                state=Membership.State.INVITED,
                token__isnull=False,
            )
            .select_related("partner")
            .order_by("expires_at", "pk")
        ),
        title=lambda m: m.partner.name,
        url=lambda m: reverse("members:invitation", args=[m.token]),
        action=pgettext("invitation", "Accept or decline"),
        deadline=lambda m: m.expires_at,
    )
