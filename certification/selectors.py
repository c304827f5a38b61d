"""Reads for certification pages and the API, scoped to the user.

A partner's users see their partner's rows; certification specialists (and admins) see all;
a partner's PDM sees that partner's label applications and defenses. Everyone else sees
nothing, and a detail that is out of scope answers 404."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import pgettext

from partner_center import workflow
from partner_center.accounts.models import User
from partner_center.accounts.permissions import PARTNER_ROLES, VENDOR_ROLES
from partner_center.audit.selectors import timeline_for

from .models import (
    Attachment,
    AttachmentSlot,
    BankCardCertification,
    CapabilityLabel,
    CriterionReview,
    Defense,
    EnterpriseCertification,
    LabelApplication,
    LabelCriterion,
    LabelEvidence,
    PartnerManager,
)
from .permissions import REVIEW_CERTIFICATION, VIEW_CERTIFICATION


def is_reviewer(user) -> bool:
    return REVIEW_CERTIFICATION.allows(user)


def is_pdm_of(user, partner_id: int) -> bool:
    if not getattr(user, "is_authenticated", False) or user.role not in VENDOR_ROLES:
        return False
    return PartnerManager.objects.filter(partner_id=partner_id, user_id=user.pk).exists()


def pdm_of(partner_id: int) -> User | None:
    row = PartnerManager.objects.filter(partner_id=partner_id).select_related("user").first()
    return row.user if row and row.user.is_active else None


def scope(qs: QuerySet, user, *, partner_field: str = "partner", pdm: bool = False) -> QuerySet:
    """Rows of `qs` the user may see (see the module's docstring)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if is_reviewer(user):
        return qs
    if user.role in PARTNER_ROLES:
        if user.partner_id and VIEW_CERTIFICATION.allows(user):
            return qs.filter(**{partner_field: user.partner_id})
        return qs.none()
    if pdm and user.role in VENDOR_ROLES:
        return qs.filter(**{f"{partner_field}__pdm_assignment__user": user})
    return qs.none()


def _get_or_404(qs: QuerySet, **lookup):
    obj = qs.filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


# Enterprise certification -------------------------------------------------------------


def enterprise_certifications_for(user) -> QuerySet:
    qs = EnterpriseCertification.objects.select_related(
        "partner", "created_by", "decided_by"
    ).annotate(
        slot_count=Count("slots", distinct=True),
        filled_count=Count("slots", filter=Q(slots__attachment__isnull=False), distinct=True),
    )
    return scope(qs, user)


def open_enterprise_certification(partner_id: int) -> EnterpriseCertification | None:
    return (
        EnterpriseCertification.objects.filter(
            partner_id=partner_id, state__in=EnterpriseCertification.OPEN_STATES
        )
        .order_by("-created_at")
        .first()
    )


def get_enterprise_for_user(user, pk: int) -> EnterpriseCertification:
    qs = scope(
        EnterpriseCertification.objects.select_related("partner", "created_by", "decided_by"),
        user,
    ).prefetch_related(
        Prefetch(
            "slots",
            queryset=AttachmentSlot.objects.select_related("person", "attachment").order_by(
                "position"
            ),
        ),
        "persons",
    )
    return _get_or_404(qs, pk=pk)


# Bank-card certification ----------------------------------------------------------------


def bank_cards_for(user) -> QuerySet:
    return scope(
        BankCardCertification.objects.select_related(
            "partner", "applicant", "decided_by", "face_photo"
        ),
        user,
    )


def get_bank_card_for_user(user, pk: int) -> BankCardCertification:
    return _get_or_404(bank_cards_for(user), pk=pk)


# Capability labels ----------------------------------------------------------------------


def labels_catalogue(*, partner_id: int | None = None, active_only: bool = True) -> QuerySet:
    """Labels with their criteria; for a partner, whether it holds or is applying for each."""
    qs = CapabilityLabel.objects.prefetch_related(
        Prefetch("criteria", queryset=LabelCriterion.objects.order_by("position"))
    )
    if active_only:
        qs = qs.filter(is_active=True)
    if partner_id:
        live = LabelApplication.objects.filter(
            label=OuterRef("pk"), partner_id=partner_id, state__in=LabelApplication.OPEN_STATES
        )
        held = LabelApplication.objects.filter(
            label=OuterRef("pk"), partner_id=partner_id, state=LabelApplication.State.GRANTED
        )
        qs = qs.annotate(has_open_application=Exists(live), is_held=Exists(held))
    return qs.order_by("position", "code")


def label_applications_for(user) -> QuerySet:
    qs = LabelApplication.objects.select_related(
        "partner", "label", "created_by", "reviewed_by"
    ).annotate(evidence_count=Count("evidence", distinct=True))
    return scope(qs, user, pdm=True)


def get_label_application_for_user(user, pk: int) -> LabelApplication:
    qs = scope(
        LabelApplication.objects.select_related(
            "partner", "label", "created_by", "reviewed_by"
        ).prefetch_related(
            Prefetch("label__criteria", queryset=LabelCriterion.objects.order_by("position")),
            Prefetch(
                "evidence",
                queryset=LabelEvidence.objects.select_related("attachment", "criterion"),
            ),
            Prefetch(
                "criterion_reviews",
                queryset=CriterionReview.objects.select_related("reviewer", "criterion"),
            ),
        ),
        user,
        pdm=True,
    )
    return _get_or_404(qs, pk=pk)


def defense_of(application: LabelApplication) -> Defense | None:
    return (
        Defense.objects.filter(application=application)
        .select_related("organizer", "requested_by", "scheduled_by", "outcome_by")
        .prefetch_related("experts", "disputed_criteria")
        .first()
    )


def defenses_for(user) -> QuerySet:
    qs = Defense.objects.select_related(
        "application__partner", "application__label", "organizer", "requested_by"
    ).prefetch_related("experts", "disputed_criteria")
    return scope(qs, user, partner_field="application__partner", pdm=True)


def criteria_rows(application: LabelApplication) -> list[dict]:
    """Per criterion: its evidence and the reviewer's verdict (uses prefetched rows)."""
    evidence: dict[int, list] = {}
    for item in application.evidence.all():
        evidence.setdefault(item.criterion_id, []).append(item)
    reviews = {r.criterion_id: r for r in application.criterion_reviews.all()}
    return [
        {"criterion": c, "evidence": evidence.get(c.pk, []), "review": reviews.get(c.pk)}
        for c in application.label.criteria.all()
    ]


# Files ----------------------------------------------------------------------------------


def get_attachment_for_user(user, pk: int) -> Attachment:
    """An attachment for download: only the owning partner's users and reviewers; 404 for
    everyone else, so nobody learns that the file exists."""
    return _get_or_404(scope(Attachment.objects.select_related("partner"), user), pk=pk)


# Timelines ------------------------------------------------------------------------------


def timeline(obj) -> list:
    """The object's events, with readable step and state names for the timeline."""
    lifecycle = workflow.lifecycle_of(obj)
    events = list(timeline_for(obj))
    for event in events:
        event.label = workflow.verb_label(event.verb)
        event.from_state = lifecycle.state_label(event.from_state)
        event.to_state = lifecycle.state_label(event.to_state)
        event.reason = _event_detail(event)
    return events


def _slot_text(data: dict) -> str:
    """ "#3 ID card, portrait side — 张三" from an upload event's data."""
    kinds = dict(AttachmentSlot.Kind.choices)
    what = data.get("title") or str(kinds.get(data.get("slot"), data.get("slot", "")))
    if data.get("person"):
        what = f"{what} — {data['person']}"
    return f"#{data.get('position', '')} {what}"


def _event_detail(event) -> str:
    """The line under a timeline entry, in the reader's language: events store codes and
    the people's own words, and the labels are looked up when shown."""
    data = event.data or {}
    comment = event.reason
    if event.verb == "enterprise.upload" and "position" in data:
        return _slot_text(data)
    if event.verb == "enterprise.upload_batch" and data.get("files"):
        return pgettext("list separator", "; ").join(_slot_text(i) for i in data["files"])
    if event.verb in {"enterprise.reject", "bank_card.reject"}:
        model = (
            EnterpriseCertification
            if event.verb.startswith("enterprise")
            else BankCardCertification
        )
        labels = dict(model.RejectReason.choices)
        reasons = "; ".join(str(labels.get(c, c)) for c in data.get("reasons", []))
        return " · ".join(filter(None, [reasons, comment]))
    if event.verb == "label.decide_criterion" and "verdict" in data:
        verdicts = dict(CriterionReview.Verdict.choices)
        head = f"{data.get('position', '')}. {verdicts.get(data['verdict'], data['verdict'])}"
        return " — ".join(filter(None, [head, comment]))
    if event.verb in {"label.schedule_defense", "label.reschedule_defense"}:
        when = parse_datetime(data.get("scheduled_at") or "")
        if when is not None:
            return timezone.localtime(when).strftime("%Y-%m-%d %H:%M")
    return comment
