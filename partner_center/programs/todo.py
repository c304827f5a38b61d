"""To-do items of programs: PCE applications waiting for BD."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from partner_center.todo import items, take

from .models import PCEApplication
from .permissions import REVIEW_PCE


def todo(user) -> list:
    if not REVIEW_PCE.allows(user):
        return []
    return items(
        "pce_to_review",
        _("PCE application to review"),
        take(
            PCEApplication.objects.filter(state=PCEApplication.State.APPLIED)
            .select_related("partner")
            .order_by("pk")
        ),
        title=lambda a: a.partner.name,
        url=lambda a: reverse("programs:pce_review", args=[a.pk]),
        action=_("Approve or reject"),
        more_url=reverse("programs:pce_queue"),
    )
