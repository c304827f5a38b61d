"""To-do items of the opportunity module (partner: HOs to answer, returned POs, drafts,
protection about to end; BD: POs to review or verify, duplicates, extension requests)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.todo import LIMIT, items, take

from . import selectors
from .models import Opportunity
from .permissions import REVIEW_OPPORTUNITIES, WORK_OPPORTUNITIES

S = Opportunity.State
K = Opportunity.Kind


def _title(o) -> str:
    # "PO #12" / "HO #14" in both languages (the kind's label carries an explanation in Chinese)
    return f"{o.kind.upper()} #{o.pk} · {o.customer_name}"


def _detail(o) -> str:
    return reverse("opportunities:detail", args=[o.pk])


def _pair(p) -> str:
    """The duplicate queue narrowed to the pair's customer, at the pair (its decision form:
    the decide URL itself only takes a POST)."""
    query = urlencode({"customer": p.po.customer_name})
    return f"{reverse('opportunities:duplicates')}?{query}#pair-{p.pk}"


def todo(user) -> list:
    found: list = []
    listing = reverse("opportunities:list")
    if WORK_OPPORTUNITIES.allows(user):
        mine = Opportunity.objects.filter(partner_id=user.partner_id).only(
            "pk", "kind", "customer_name", "deadline", "protected_until", "partner_id"
        )
        found += items(
            "ho_to_accept",
            _("HO waiting for your answer"),
            take(mine.filter(kind=K.HO, state=S.PENDING).order_by("deadline", "pk")),
            title=_title,
            url=_detail,
            action=_("Accept or decline"),
            deadline=lambda o: o.deadline,
            more_url=reverse("opportunities:ho_inbox"),
        )
        found += items(
            "po_returned",
            _("PO returned for changes"),
            take(mine.filter(kind=K.PO, state=S.RETURNED).order_by("deadline", "pk")),
            title=_title,
            url=lambda o: reverse("opportunities:po_edit", args=[o.pk]),
            action=_("Fix and resubmit"),
            deadline=lambda o: o.deadline,
            more_url=f"{listing}?state={S.RETURNED}",
        )
        found += items(
            "po_draft",
            _("PO draft"),
            take(mine.filter(kind=K.PO, state=S.DRAFT).order_by("-created_at", "-pk")),
            title=_title,
            url=_detail,
            action=_("Finish and submit"),
            more_url=f"{listing}?state={S.DRAFT}",
        )
        found += items(
            "protection_ending",
            _("Deal protection ending"),
            take(
                mine.filter(
                    protection=Opportunity.Protection.LIVE,
                    protection_remind_at__lte=timezone.now(),
                    extension_requested_at__isnull=True,
                ).order_by("protected_until", "pk")
            ),
            title=_title,
            url=_detail,
            action=_("Update the progress or ask for more time"),
            deadline=lambda o: o.protected_until,
            more_url=listing,
        )
    if REVIEW_OPPORTUNITIES.allows(user):
        queue = reverse("opportunities:review_queue")
        pos = Opportunity.objects.filter(kind=K.PO).only(
            "pk", "kind", "customer_name", "deadline", "protected_until"
        )
        found += items(
            "po_to_review",
            _("PO to review"),
            take(pos.filter(state=S.SUBMITTED).order_by("deadline", "pk")),
            title=_title,
            url=_detail,
            action=_("Review"),
            deadline=lambda o: o.deadline,
            more_url=queue,
        )
        found += items(
            "po_to_verify",
            _("PO to verify"),
            take(pos.filter(state=S.UNDER_VERIFICATION).order_by("deadline", "pk")),
            title=_title,
            url=_detail,
            action=_("Verify or reject"),
            deadline=lambda o: o.deadline,
            more_url=f"{queue}?state={S.UNDER_VERIFICATION}",
        )
        found += items(
            "extension_to_decide",
            _("Protection extension requested"),
            take(
                Opportunity.objects.filter(extension_requested_at__isnull=False)
                .only("pk", "kind", "customer_name", "protected_until")
                .order_by("protected_until", "pk")
            ),
            title=_title,
            url=_detail,
            action=_("Approve or refuse"),
            deadline=lambda o: o.protected_until,
        )
        found += items(
            "duplicate_to_decide",
            _("Possible duplicate"),
            selectors.duplicates_by_deadline(LIMIT + 1),
            title=lambda p: _title(p.po),
            url=_pair,
            action=_("Decide"),
            deadline=lambda p: p.po.deadline,
            more_url=reverse("opportunities:duplicates"),
        )
    return found
