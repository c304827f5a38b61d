"""POs: create, edit, submit and resubmit."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center import uploads
from partner_center.accounts.access import require
from partner_center.accounts.models import Partner
from partner_center.errors import Conflict, DomainError
from partner_center.programs.services import ensure_pce_member

from .. import duplicates as dup
from .. import sla
from ..catalog import ConsentMethod
from ..models import Opportunity
from ..permissions import ACT_FOR_PARTNER
from ..transitions import (
    PO,
    PO_FIELDS,
    check_editable,
    field_label,
)
from ._common import (
    REQUIRED_FOR_SUBMISSION,
    K,
    S,
    _apply,
    _check_deadline,
    _lock,
    _normalize,
    _record_edit,
    _validate,
)

# ---- PO: create, edit, submit ------------------------------------------------------------


@transaction.atomic
def po_create(*, actor, partner: Partner, data: dict, external_ref: str = "") -> Opportunity:
    """A new PO draft."""
    require(actor, ACT_FOR_PARTNER, partner_id=partner.pk)
    unknown = set(data) - set(PO_FIELDS)
    if unknown:
        raise DomainError(_("Unknown field."), field=sorted(unknown)[0])
    external_ref = (external_ref or "").strip()
    taken = (
        Opportunity.objects.filter(partner=partner, external_ref=external_ref)
        .values_list("pk", flat=True)
        .first()
        if external_ref
        else None
    )
    if taken:
        raise Conflict(
            _("This external reference is used by another opportunity already."),
            field="external_ref",
            existing_id=taken,
        )
    values = _normalize(data)
    po = Opportunity(
        kind=K.PO,
        state=S.DRAFT,
        partner=partner,
        created_by=actor,
        owner=actor if getattr(actor, "partner_id", None) == partner.pk else None,
        created_at=timezone.now(),
        external_ref=external_ref,
        **values,
    )
    po.customer_key = dup.normalize_customer_name(po.customer_name)
    _validate(po, [*PO_FIELDS, "external_ref"])
    if not po.customer_key:
        raise DomainError(_("Enter the customer's name."), field="customer_name")
    try:
        with transaction.atomic():  # a savepoint: a concurrent create may take the reference
            po.save()
    except IntegrityError:
        existing = Opportunity.objects.filter(partner=partner, external_ref=external_ref).first()
        if not external_ref or existing is None:
            raise
        raise Conflict(
            _("This external reference is used by another opportunity already."),
            field="external_ref",
            existing_id=existing.pk,
        ) from None
    PO.record_created(po, "create", actor=actor)
    return po


@transaction.atomic
def po_edit(*, actor, po: Opportunity, changes: dict) -> Opportunity:
    """Change a draft, or the fields BD unlocked on a PO returned for changes."""
    po = _lock(po)
    require(actor, ACT_FOR_PARTNER, partner_id=po.partner_id)
    if not PO.can(po, "edit"):
        check_editable(po, changes.keys())  # names the first locked field
        raise DomainError(_("Use a progress update to change this opportunity now."))
    _check_deadline(po)
    values = _normalize(changes)
    changed_candidates = [n for n, v in values.items() if getattr(po, n) != v]
    check_editable(po, changed_candidates)
    changed = _apply(po, {n: values[n] for n in changed_candidates})
    if not changed:
        return po
    _validate(po, changed)
    _record_edit(PO, po, changed, actor=actor)
    return po


@dataclass
class Consent:
    """The partner's confirmation that the customer explicitly consented to share its
    personal information with the vendor, with its evidence."""

    confirmed: bool
    method: str = ""
    note: str = ""
    file: UploadedFile | None = None  # the evidence, optional


def _check_consent(consent: Consent) -> None:
    if not consent.confirmed:
        raise DomainError(
            _("Confirm that the customer explicitly agreed to share its information."),
            field="consent_confirmed",
        )
    if consent.method not in ConsentMethod.values:
        raise DomainError(_("Say how the customer gave its consent."), field="consent_method")
    if consent.method == ConsentMethod.OTHER and not (consent.note or "").strip():
        raise DomainError(_("Describe how the customer gave its consent."), field="consent_note")


def _check_complete(po: Opportunity) -> None:
    for name in REQUIRED_FOR_SUBMISSION:
        if getattr(po, name) in (None, "", []):
            raise DomainError(
                _("Fill in “%(field)s” before submitting.") % {"field": field_label(name)},
                field=name,
            )


def _fmt(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _refuse_if_verified_elsewhere(po: Opportunity, matches) -> None:
    """Once another partner's duplicate is verified, this PO is no longer accepted."""
    first = dup.first_verified(
        m.other
        for m in matches
        if isinstance(m.other, Opportunity) and m.other.partner_id != po.partner_id
    )
    if first is not None:
        raise DomainError(
            _(
                "An opportunity for the same customer and products passed verification at "
                "%(time)s: duplicates of it are no longer accepted."
            )
            % {"time": _fmt(first.verified_at)},
            code="duplicate",
        )


@transaction.atomic
def po_submit(*, actor, po: Opportunity, consent: Consent) -> Opportunity:
    """Draft → submitted. Needs PCE membership and the customer's consent; starts the
    10-working-day verification clock."""
    require(actor, ACT_FOR_PARTNER, partner_id=po.partner_id)
    ensure_pce_member(po.partner_id)
    _check_consent(consent)
    evidence = None
    if consent.file:  # checked before anything is written; a refused file is never stored
        evidence = uploads.check_upload(consent.file, field="consent_file")
    dup.lock_customer_keys(po)
    po = _lock(po)
    PO.check(po, "submit")
    _check_complete(po)
    matches = dup.find_duplicates(po)
    _refuse_if_verified_elsewhere(po, matches)
    now = timezone.now()
    deadline, remind_at = sla.clock(now, K.PO)
    changes = {
        "submitted_at": now,
        "deadline": deadline,
        "remind_at": remind_at,
        "consent_confirmed_by": actor,
        "consent_confirmed_at": now,
        "consent_method": consent.method,
        "consent_note": (consent.note or "").strip(),
    }
    if evidence:
        consent.file.seek(0)
        po.consent_file.save(uploads.generated_name(evidence), consent.file, save=False)
        changes["consent_file"] = po.consent_file
        changes["consent_file_name"] = evidence.original_name
        changes["consent_file_type"] = evidence.content_type
    try:
        PO.apply(
            po,
            "submit",
            actor=actor,
            changes=changes,
            data={"deadline": deadline.isoformat(), "consent_method": consent.method},
            locked=True,
        )
        dup.record_pairs(po, matches)
    except Exception:
        if evidence:
            uploads.delete_quietly(po.consent_file.name)  # no orphan file
        raise
    return po


@transaction.atomic
def po_save_and_resubmit(*, actor, po: Opportunity, changes: dict, note: str = "") -> Opportunity:
    """The fix of a returned PO in one step: save the unlocked fields, then resubmit; either
    both happen or neither (a refused resubmission leaves the changes unsaved too)."""
    po = po_edit(actor=actor, po=po, changes=changes)
    return po_resubmit(actor=actor, po=po, note=note)


@transaction.atomic
def po_resubmit(*, actor, po: Opportunity, note: str = "") -> Opportunity:
    """Returned → submitted, after the partner changed what BD unlocked. The deadline stays."""
    require(actor, ACT_FOR_PARTNER, partner_id=po.partner_id)
    dup.lock_customer_keys(po)
    po = _lock(po)
    PO.check(po, "resubmit")
    _check_deadline(po)
    _check_complete(po)
    matches = dup.find_duplicates(po)
    _refuse_if_verified_elsewhere(po, matches)
    PO.apply(po, "resubmit", actor=actor, changes={"unlocked_fields": []}, reason=note, locked=True)
    dup.record_pairs(po, matches)
    return po
