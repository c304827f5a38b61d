"""HO leads in the pool, sharing them with a partner, accepting and declining."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.accounts.access import require
from partner_center.accounts.models import Partner
from partner_center.errors import Conflict, DomainError
from partner_center.notifications.messages import msg
from partner_center.programs.selectors import is_pce_member

from .. import duplicates as dup
from .. import protection, sla
from ..catalog import Rule
from ..models import Opportunity, VendorLead
from ..permissions import ACT_FOR_PARTNER, REVIEW_OPPORTUNITIES
from ..transitions import (
    HO,
    LEAD,
    LIVE_SHARE_STATES,
)
from ._common import (
    LEAD_FIELDS,
    K,
    S,
    _apply,
    _check_deadline,
    _decide_share,
    _lock,
    _normalize,
    _notify,
    _notify_partner,
    _record_edit,
    _validate,
)
from .pos import _fmt

# ---- HO: the pool, sharing, accepting ----------------------------------------------------


def mask_name(name: str) -> str:
    name = (name or "").strip()
    return f"{name[0]}{'*' * max(len(name) - 1, 1)}" if name else ""


def mask_phone(phone: str) -> str:
    digits = (phone or "").strip()
    if len(digits) <= 4:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7 if len(digits) > 7 else 1)}{digits[-4:]}"


@transaction.atomic
def lead_create(*, actor, crm_id: str, crm_created_at, data: dict) -> VendorLead:
    """BD adds an HO from the CRM to the pool, with its CRM creation time."""
    require(actor, REVIEW_OPPORTUNITIES)
    crm_id = (crm_id or "").strip()
    if not crm_id:
        raise DomainError(_("Enter the CRM reference."), field="crm_id")
    existing = VendorLead.objects.filter(crm_id=crm_id).values_list("pk", flat=True).first()
    if existing:
        raise Conflict(
            _("This CRM reference is in the pool already."), field="crm_id", existing_id=existing
        )
    if crm_created_at is None or crm_created_at > timezone.now():
        raise DomainError(
            _("The CRM creation time cannot be in the future."), field="crm_created_at"
        )
    unknown = set(data) - set(LEAD_FIELDS)
    if unknown:
        raise DomainError(_("Unknown field."), field=sorted(unknown)[0])
    lead = VendorLead(
        crm_id=crm_id,
        crm_created_at=crm_created_at,
        created_by=actor,
        bd_owner=actor,
        state=LEAD["create"].target,
    )
    for name, value in _normalize(data).items():
        setattr(lead, name, value)
    lead.customer_key = dup.normalize_customer_name(lead.customer_name)
    _validate(lead, [*LEAD_FIELDS, "crm_id"])
    dup.lock_customer_keys(lead)
    try:
        with transaction.atomic():  # a savepoint: a concurrent create may take the crm_id
            lead.save()
    except IntegrityError:
        existing = VendorLead.objects.filter(crm_id=crm_id).values_list("pk", flat=True).first()
        if existing is None:
            raise
        raise Conflict(
            _("This CRM reference is in the pool already."), field="crm_id", existing_id=existing
        ) from None
    LEAD.record_created(lead, "create", actor=actor, data={"crm_id": crm_id})
    dup.record_pairs(lead, dup.find_duplicates(lead))
    return lead


@transaction.atomic
def lead_edit(*, actor, lead: VendorLead, changes: dict) -> VendorLead:
    """Correct a lead's details (BD). A closed lead stays as it was closed; shares keep the
    details they were shared with."""
    require(actor, REVIEW_OPPORTUNITIES)
    unknown = set(changes) - set(LEAD_FIELDS)
    if unknown:
        raise DomainError(_("Unknown field."), field=sorted(unknown)[0])
    lead = _lock_lead(lead)
    if not LEAD.can(lead, "edit"):
        raise DomainError(_("This HO was closed and cannot be changed."), code="closed")
    changed = _apply(lead, _normalize(changes))
    if not changed:
        return lead
    _validate(lead, changed)
    dup.lock_customer_keys(lead)
    _record_edit(LEAD, lead, changed, actor=actor)
    dup.record_pairs(lead, dup.find_duplicates(lead))
    return lead


def _lock_lead(lead: VendorLead) -> VendorLead:
    return VendorLead.objects.select_for_update().get(pk=lead.pk)


@transaction.atomic
def ho_share(*, actor, lead: VendorLead, partner: Partner, note: str = "") -> Opportunity:
    """Share a pooled lead with one PCE partner: pending acceptance for 3 working days.
    The contact person and phone stay masked until the partner accepts."""
    require(actor, REVIEW_OPPORTUNITIES)
    lead = _lock_lead(lead)
    if not LEAD.can(lead, "share"):
        raise DomainError(_("This HO was closed and cannot be shared."), code="closed")
    if not partner.is_active or not is_pce_member(partner.pk):
        raise DomainError(
            _("HOs are shared only with members of the PCE program."), field="partner"
        )
    if lead.shares.filter(state__in=LIVE_SHARE_STATES).exists():
        raise DomainError(
            _("This HO is held by a partner: it can be shared again once reclaimed."),
            code="held",
        )
    if lead.shares.filter(partner=partner).exists():
        raise DomainError(
            _("This partner had this HO before: share it with another partner."),
            field="partner",
        )
    earlier = [
        m.other
        for m in dup.find_duplicates(lead)
        if isinstance(m.other, Opportunity)
        and m.other.state == S.VERIFIED
        and not dup.ho_wins(lead, m.other.verified_at)
    ]
    if earlier:
        raise DomainError(
            _(
                "A partner's PO for this customer passed verification at %(time)s, before the "
                "HO was created in the CRM: the PO wins. Settle it in the duplicate queue."
            )
            % {"time": _fmt(min(o.verified_at for o in earlier))},
            code="duplicate",
        )
    now = timezone.now()
    deadline, remind_at = sla.clock(now, K.HO)
    share = Opportunity(
        kind=K.HO,
        state=HO["share"].target,
        partner=partner,
        lead=lead,
        created_by=actor,
        created_at=now,
        shared_at=now,
        shared_by=actor,
        bd_owner_id=lead.bd_owner_id or actor.pk,
        deadline=deadline,
        remind_at=remind_at,
    )
    for name in LEAD_FIELDS:
        setattr(share, name, getattr(lead, name))
    share.customer_key = lead.customer_key
    share.contact_name = mask_name(lead.contact_name)
    share.contact_phone = mask_phone(lead.contact_phone)
    try:
        with transaction.atomic():
            share.save()
    except IntegrityError as exc:  # another BD shared it in the same instant
        raise DomainError(
            _("This HO is held by a partner: it can be shared again once reclaimed."),
            code="held",
        ) from exc
    HO.record_created(
        share, "share", actor=actor, reason=note, data={"deadline": deadline.isoformat()}
    )
    LEAD.apply(
        lead,
        "share",
        actor=actor,
        partner_id=partner.pk,
        data={"share": share.pk, "partner": partner.name},
        locked=True,
    )
    _notify_partner(
        share,
        "opportunities.ho_shared",
        msg("New HO from the vendor: %(customer)s", customer=share.customer_name),
        msg(
            "Accept or decline it by %(deadline)s, or it goes back to the vendor.",
            deadline=_fmt(deadline),
        ),
    )
    return share


@transaction.atomic
def ho_accept(*, actor, ho: Opportunity) -> Opportunity:
    """Pending → accepted: the contact details are revealed, progress updates take effect."""
    ho = _lock(ho)
    require(actor, ACT_FOR_PARTNER, partner_id=ho.partner_id)
    HO.check(ho, "accept")
    _check_deadline(ho)
    lead = ho.lead
    HO.apply(
        ho,
        "accept",
        actor=actor,
        changes={
            "accepted_at": timezone.now(),
            **protection.start_changes(timezone.now()),
            "contact_name": lead.contact_name,
            "contact_phone": lead.contact_phone,
            # The accepting user owns the deal (unless an admin accepted for the partner).
            "owner": actor if actor.partner_id == ho.partner_id else ho.owner,
        },
        locked=True,
    )
    _tell_sharer(ho, "opportunities.ho_accepted", msg("HO #%(id)s was accepted", id=ho.pk))
    return ho


@transaction.atomic
def ho_decline(*, actor, ho: Opportunity, reason: str) -> Opportunity:
    """Pending → declined, with the partner's reason; the lead is back in BD's pool."""
    if not (reason or "").strip():
        raise DomainError(_("Say why you decline."), field="reason")
    ho = _lock(ho)
    require(actor, ACT_FOR_PARTNER, partner_id=ho.partner_id)
    HO.check(ho, "decline")
    _check_deadline(ho)
    _decide_share(ho, "decline", actor=actor, rule=Rule.PARTNER_DECLINED, note=reason.strip())
    _tell_sharer(
        ho,
        "opportunities.ho_declined",
        msg("HO #%(id)s was declined and is back in the pool", id=ho.pk),
        note=ho.decision_note,
    )
    return ho


def _tell_sharer(ho: Opportunity, kind: str, title, *, note: str = "") -> None:
    """Tell the BD user who shared the HO (if one did) what the partner did with it."""
    if ho.shared_by_id:
        body = f"{ho.partner.name} · {ho.customer_name}"
        _notify(
            recipients=[ho.shared_by],
            kind=kind,
            title=title,
            body=f"{body}: {note}" if note else body,
            link=reverse("opportunities:lead_detail", args=[ho.lead_id]),
        )
