"""The event types partners receive (webhooks and the events feed), and the one table that
maps the audit log's verbs to them.

Every recorded event (`partner_center.audit.services.record_event` and its bulk twin, which
`workflow.apply` / `record_created` and the sweeps call) passes through `route()`: a verb
found in `ROUTES` becomes a `PartnerEvent` of its type. A type with no verb here (e.g.
`comment.added`) is published by its service calling `events.publish(...)` itself."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    PO_STATE_CHANGED = "po.state_changed", _("PO state changed")
    HO_SHARED = "ho.shared", _("HO shared with the partner")
    HO_EXPIRING = "ho.expiring", _("HO acceptance deadline near")
    HO_RECLAIMED = "ho.reclaimed", _("HO back in the vendor's pool")
    SLA_REMINDER = "sla.reminder", _("Deadline reminder")
    COMMENT_ADDED = "comment.added", _("Comment added")
    BILL_READY = "bill.ready", _("Bill ready")
    EXPORT_READY = "export.ready", _("Export ready")
    INCENTIVE_PUBLISHED = "incentive.published", _("Incentive amounts published")
    CERTIFICATION_DECIDED = "certification.decided", _("Certification decided")


@dataclass(frozen=True)
class Kind:
    """How an object is named in payloads: its kind and the URL names of its page and its
    API resource (each takes the object's id as `pk`; empty when there is none)."""

    name: str
    page: str = ""
    api: str = ""


# Lifecycle key (the verb's prefix) -> the object kind payloads name.
KINDS: dict[str, Kind] = {
    "po": Kind("po", "opportunities:detail", "opportunity-po-detail"),
    "ho": Kind("ho", "opportunities:detail", "opportunity-ho-detail"),
    "bill": Kind("bill", "", "billing-api-bills-detail"),
    "bill_export": Kind("bill_export", "", "billing-api-exports-detail"),
    "incentive": Kind(
        "incentive_application", "incentives:application_detail", "incentive-application-detail"
    ),
    "enterprise": Kind(
        "enterprise_certification",
        "certification:enterprise-detail",
        "certification-enterprise-detail",
    ),
    "bank_card": Kind(
        "bank_card_certification",
        "certification:bank-card-detail",
        "certification-bank-card-detail",
    ),
    "label": Kind(
        "label_application",
        "certification:label-application-detail",
        "certification-label-application-detail",
    ),
}


@dataclass(frozen=True)
class Route:
    """Where a verb leads. `by_kind`: for verbs shared by POs and HOs (`opportunity.*`), the
    type per `Opportunity.kind` (a kind not listed publishes nothing)."""

    type: str = ""
    by_kind: dict[str, str] = field(default_factory=dict)

    def type_for(self, opportunity_kind: str | None) -> str:
        if self.by_kind:
            return self.by_kind.get(opportunity_kind or "", "")
        return self.type


T = EventType
_PO_STATE = Route(T.PO_STATE_CHANGED)
_RECLAIMED = Route(T.HO_RECLAIMED)
_DECIDED = Route(T.CERTIFICATION_DECIDED)

# The one mapping table: audit verb -> event type.
ROUTES: dict[str, Route] = {
    # A PO's every state change (created as a draft included)
    "po.created": _PO_STATE,
    "po.submitted": _PO_STATE,
    "po.resubmitted": _PO_STATE,
    "po.review_passed": _PO_STATE,
    "po.returned": _PO_STATE,
    "po.verified": _PO_STATE,
    "po.rejected": _PO_STATE,
    "po.expired": _PO_STATE,
    # HO shares
    "ho.shared": Route(T.HO_SHARED),
    "ho.declined": _RECLAIMED,
    "ho.expired": _RECLAIMED,
    "ho.withdrawn": _RECLAIMED,
    "ho.withdrawn_closed": _RECLAIMED,
    # Reminders one working day before a deadline (the SLA sweep) and before deal
    # protection ends
    "opportunity.reminder_sent": Route(by_kind={"ho": T.HO_EXPIRING, "po": T.SLA_REMINDER}),
    "opportunity.protection_reminder": Route(T.SLA_REMINDER),
    # Billing: the period's figures are final; a requested PDF is ready to download
    "bill.settled": Route(T.BILL_READY),
    "bill_export.finish": Route(T.EXPORT_READY),
    # Incentives: the amounts are published for the partner's confirmation
    "incentive.publish": Route(T.INCENTIVE_PUBLISHED),
    # Certification decisions
    "enterprise.approve": _DECIDED,
    "enterprise.reject": _DECIDED,
    "bank_card.approve": _DECIDED,
    "bank_card.reject": _DECIDED,
    "label.grant": _DECIDED,
    "label.fail_review": _DECIDED,
    "label.defense_grant": _DECIDED,
    "label.defense_refuse": _DECIDED,
}


def types_with_labels() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in EventType.choices]
