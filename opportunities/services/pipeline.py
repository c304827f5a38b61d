"""Pipeline settings (issue [5]): a partner's HO profile (lead routing, R5.7) — the
industries, regions and products it serves, changed by its partner admin — and the stage
probabilities of the weighted pipeline, set by the portal's administrator."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.accounts.access import require
from partner_center.audit.services import record_event
from partner_center.audit.verbs import Verb
from partner_center.errors import DomainError

from ..catalog import Industry, Product, Region
from ..permissions import MANAGE_HO_PROFILE, MANAGE_STAGE_PROBABILITIES
from ..pipeline_models import STAGE_CHOICES, HOProfile, StageProbability


def _clean(values, choices, field: str) -> list[str]:
    values = list(dict.fromkeys(str(v) for v in (values or [])))
    unknown = [v for v in values if v not in choices.values]
    if unknown:
        raise DomainError(
            _("Unknown codes: %(codes)s") % {"codes": ", ".join(unknown)},
            field=field,
            code="unknown_code",
        )
    return values


@transaction.atomic
def update_ho_profile(*, actor, partner_id: int, industries, regions, products) -> HOProfile:
    """Replace the declared part of the partner's HO profile."""
    require(actor, MANAGE_HO_PROFILE, partner_id=partner_id)
    if not partner_id:
        raise DomainError(_("Choose the partner whose profile this is."), code="no_partner")
    profile, _created = HOProfile.objects.select_for_update().get_or_create(partner_id=partner_id)
    fields = ("industries", "regions", "products")
    before = {f: list(getattr(profile, f) or []) for f in fields}
    profile.industries = _clean(industries, Industry, "industries")
    profile.regions = _clean(regions, Region, "regions")
    profile.products = _clean(products, Product, "products")
    after = {f: list(getattr(profile, f)) for f in fields}
    profile.updated_at = timezone.now()
    profile.updated_by = actor
    profile.save()
    if after != before:  # who changed what the routing reads, and when
        record_event(
            actor=actor,
            subject=profile,
            verb=Verb.HO_PROFILE_CHANGED,
            partner_id=partner_id,
            data={"before": before, "after": after},
        )
    return profile


@transaction.atomic
def set_stage_probability(*, actor, stage: str, probability: int) -> StageProbability:
    """The probability (0–100 %) of winning a deal in `stage`."""
    require(actor, MANAGE_STAGE_PROBABILITIES)
    if stage not in dict(STAGE_CHOICES):
        raise DomainError(_("Unknown stage."), field="stage", code="unknown_stage")
    if not 0 <= int(probability) <= 100:
        raise DomainError(
            _("A probability is between 0 and 100 %."), field="probability", code="out_of_range"
        )
    row, _created = StageProbability.objects.select_for_update().get_or_create(
        stage=stage, defaults={"probability": int(probability)}
    )
    before = row.probability
    row.probability = int(probability)
    row.updated_at = timezone.now()
    row.updated_by = actor
    row.save()
    if _created or before != row.probability:
        record_event(
            actor=actor,
            subject=row,
            verb=Verb.STAGE_PROBABILITY_CHANGED,
            partner_id=None,
            data={"stage": stage, "before": None if _created else before, "after": row.probability},
        )
    return row
