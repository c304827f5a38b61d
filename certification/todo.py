"""To-do items of certification: drafts and rejected certifications to revise, failed label
reviews to answer (partner admin); submissions to review and defenses to schedule
(certification specialists)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from partner_center.todo import items, take

from .models import BankCardCertification, EnterpriseCertification, LabelApplication
from .permissions import MANAGE_CERTIFICATION, REVIEW_CERTIFICATION

E = EnterpriseCertification.State
L = LabelApplication.State


def _enterprise(c) -> str:
    return reverse("certification:enterprise-detail", args=[c.pk])


def _label(a) -> str:
    return reverse("certification:label-application-detail", args=[a.pk])


def _oldest_first(queryset, *related) -> list:
    """The first rows of `queryset`, oldest first, with the `related` rows their titles name."""
    return take((queryset.select_related(*related) if related else queryset).order_by("pk"))


def todo(user) -> list:
    if REVIEW_CERTIFICATION.allows(user):
        return (
            items(
                "enterprise_to_review",
                _("Enterprise certification to review"),
                _oldest_first(EnterpriseCertification.objects.filter(state=E.SUBMITTED), "partner"),
                title=lambda c: c.partner.name,
                url=_enterprise,
                action=_("Review"),
                more_url=reverse("certification:enterprise-queue"),
            )
            + items(
                "bank_card_to_review",
                _("Bank card certification to review"),
                _oldest_first(
                    BankCardCertification.objects.filter(
                        state=BankCardCertification.State.SUBMITTED
                    ),
                    "partner",
                ),
                title=lambda c: f"{c.partner.name} · {c.holder_name}",
                url=lambda c: reverse("certification:bank-card-detail", args=[c.pk]),
                action=_("Review"),
                more_url=reverse("certification:bank-card-queue"),
            )
            + items(
                "label_to_review",
                _("Label application to review"),
                _oldest_first(
                    LabelApplication.objects.filter(state__in=[L.SUBMITTED, L.DEFENSE_REQUESTED]),
                    "partner",
                    "label",
                ),
                title=lambda a: f"{a.partner.name} · {a.label.name}",
                url=_label,
                action=_("Review or schedule the defense"),
                more_url=reverse("certification:label-application-queue"),
            )
        )
    if not MANAGE_CERTIFICATION.allows(user):
        return []
    return items(
        "certification_to_revise",
        _("Enterprise certification to complete"),
        _oldest_first(
            EnterpriseCertification.objects.filter(
                partner_id=user.partner_id, state__in=[E.DRAFT, E.REJECTED]
            )
        ),
        title=lambda c: c.get_state_display(),
        url=_enterprise,
        action=_("Complete and submit"),
        more_url=reverse("certification:enterprise-list"),
    ) + items(
        "label_review_failed",
        _("Label review not passed"),
        _oldest_first(
            LabelApplication.objects.filter(partner_id=user.partner_id, state=L.REVIEW_FAILED),
            "label",
        ),
        title=lambda a: a.label.name,
        url=_label,
        action=_("Request a defense or accept the result"),
        more_url=reverse("certification:label-application-list"),
    )
