"""Every write to opportunities. Views, the API, admin actions, imports and tasks call these;
nothing else saves an opportunity. Each transition locks its row, checks the transition
table (`transitions.py`) and the deadline, saves with `update_fields` and records an event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from partner_center import uploads
from partner_center.accounts.access import require
from partner_center.accounts.models import Partner
from partner_center.audit.services import record_event
from partner_center.audit.verbs import Verb
from partner_center.errors import Conflict, DomainError
from partner_center.notifications.recipients import bd_staff, partner_users
from partner_center.notifications.services import notify
from partner_center.programs.selectors import is_pce_member
from partner_center.programs.services import ensure_pce_member
from partner_center.validators import check_date, clean_name, clean_phone

from . import duplicates as dup
from . import protection, sla
from .catalog import ConsentMethod, LeadCloseReason, LostReason, RejectionReason, Rule, Stage
from .models import DuplicatePair, Opportunity, VendorLead
from .permissions import ACT_FOR_PARTNER, REVIEW_OPPORTUNITIES
from .transitions import (
    ACTIVE_STATES,
    HO,
    LEAD,
    LIVE_SHARE_STATES,
    PO,
    PO_FIELDS,
    PO_OPEN_STATES,
    PROGRESS_FIELDS,
    PROTECTION,
    RETURNABLE_FIELDS,
    check_editable,
    field_label,
)

S = Opportunity.State
K = Opportunity.Kind

# A PO can be submitted only when these are filled in [our rule].
REQUIRED_FOR_SUBMISSION = (
    "customer_name",
    "contact_name",
    "contact_phone",
    "project_name",
    "products",
    "amount",
    "expected_close_date",
)
LEAD_FIELDS = PO_FIELDS


# ---- Helpers -----------------------------------------------------------------------------


partner_recipients = partner_users  # the partner's users hear about its opportunities
bd_recipients = bd_staff


def _notify(*, recipients, kind: str, title, body="", opportunity=None, link="") -> None:
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            recipients=recipients,
            kind=kind,
            title=str(title),
            body=str(body),
            link=link or (reverse("opportunities:detail", args=[opportunity.pk])),
        )


def _notify_partner(opportunity: Opportunity, kind: str, title, body="") -> None:
    _notify(
        recipients=partner_recipients([opportunity.partner_id]).get(opportunity.partner_id, []),
        kind=kind,
        title=title,
        body=body,
        opportunity=opportunity,
    )


def _lock(opportunity: Opportunity) -> Opportunity:
    return Opportunity.objects.select_for_update().get(pk=opportunity.pk)


def _check_deadline(opportunity: Opportunity, now=None) -> None:
    """Past its deadline an item belongs to the sweep: nobody may act on it any more, so a
    late sweep ends it exactly as a punctual one would have."""
    now = now or timezone.now()
    if opportunity.clock_running and opportunity.deadline and opportunity.deadline < now:
        raise DomainError(
            _("The deadline passed at %(time)s: the deadline rule closes this item.")
            % {"time": timezone.localtime(opportunity.deadline).strftime("%Y-%m-%d %H:%M")},
            code="deadline",
        )


def _normalize(values: dict) -> dict:
    out = dict(values)
    for name in ("customer_name", "project_name", "contact_name"):
        if name in out and isinstance(out[name], str):
            out[name] = clean_name(out[name])
    if "contact_phone" in out:
        out["contact_phone"] = clean_phone(out["contact_phone"], field="contact_phone")
    for name in ("expected_close_date", "delivery_completed_on"):
        if name in out:
            check_date(out[name], field=name)
    if "customer_credit_code" in out:
        out["customer_credit_code"] = (out["customer_credit_code"] or "").strip().upper()
    if "amount" in out and out["amount"] not in (None, ""):
        try:
            out["amount"] = Decimal(str(out["amount"])).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError) as exc:
            raise DomainError(_("Enter an amount in CNY."), field="amount") from exc
    elif "amount" in out:
        out["amount"] = None
    if "products" in out:
        out["products"] = sorted(set(out["products"] or []))
    return out


def _validate(obj, names) -> None:
    """Model-level validation of the given fields, as a DomainError on the first field."""
    names = set(names)
    exclude = [f.name for f in obj._meta.fields if f.name not in names]
    try:
        obj.clean_fields(exclude=exclude)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field=field) from exc


def _apply(obj, changes: dict) -> list[str]:
    """Set the changed values; returns the names that really changed."""
    changed = []
    for name, value in changes.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    if "customer_name" in changed:
        obj.customer_key = dup.normalize_customer_name(obj.customer_name)
        changed.append("customer_key")
    return changed


def _jsonable(value):
    if isinstance(value, Decimal | date):
        return str(value)
    return value


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
    PO.apply(
        po,
        "edit",
        actor=actor,
        changes={n: getattr(po, n) for n in changed},
        data={"fields": [n for n in changed if n != "customer_key"]},
        locked=True,
    )
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


# ---- PO: BD review, verification, return, rejection --------------------------------------


@transaction.atomic
def po_start_verification(*, actor, po: Opportunity, note: str = "") -> Opportunity:
    """Review (审核) passed: submitted → under verification."""
    require(actor, REVIEW_OPPORTUNITIES)
    po = _lock(po)
    PO.check(po, "start_verification")
    _check_deadline(po)
    PO.apply(
        po,
        "start_verification",
        actor=actor,
        changes={"reviewed_at": timezone.now(), "reviewed_by": actor},
        reason=note,
        locked=True,
    )
    return po


@transaction.atomic
def po_return_for_changes(*, actor, po: Opportunity, fields, comment: str) -> Opportunity:
    """BD unlocks named fields with a comment; the partner edits them and resubmits."""
    require(actor, REVIEW_OPPORTUNITIES)
    fields = sorted(set(fields or ()))
    if not fields:
        raise DomainError(_("Choose the fields the partner should change."), field="fields")
    bad = [f for f in fields if f not in RETURNABLE_FIELDS]
    if bad:
        raise DomainError(_("These fields cannot be unlocked: %s") % ", ".join(bad), field="fields")
    if not (comment or "").strip():
        raise DomainError(_("Tell the partner what to change."), field="comment")
    po = _lock(po)
    PO.check(po, "return_for_changes")
    _check_deadline(po)
    PO.apply(
        po,
        "return_for_changes",
        actor=actor,
        changes={
            "unlocked_fields": fields,
            "return_comment": comment.strip(),
            "returned_at": timezone.now(),
        },
        reason=comment.strip(),
        data={"fields": fields},
        locked=True,
    )
    _notify_partner(
        po,
        "opportunities.returned",
        _("PO #%(id)s needs changes") % {"id": po.pk},
        _("BD asks you to change: %(fields)s. %(comment)s")
        % {"fields": ", ".join(field_label(f) for f in fields), "comment": po.return_comment},
    )
    return po


def _reject(
    po: Opportunity,
    *,
    actor,
    transition: str,
    rule: str,
    reason: str = "",
    note: str = "",
    detail: dict | None = None,
) -> Opportunity:
    """Reject a locked PO and tell its partner which rule decided."""
    PO.apply(
        po,
        transition,
        actor=actor,
        changes={
            "decided_at": timezone.now(),
            "decided_by": actor if getattr(actor, "pk", None) else None,
            "decision_rule": rule,
            "decision_reason": reason,
            "decision_note": note.strip(),
            "decision_detail": detail or {"rule": rule},
        },
        reason=note.strip(),
        data={"rule": rule, "reason": reason, **(detail or {})},
        locked=True,
    )
    _notify_partner(
        po,
        "opportunities.rejected",
        _("PO #%(id)s was rejected") % {"id": po.pk},
        _("%(customer)s, %(project)s. Open it to see the rule that decided.")
        % {"customer": po.customer_name, "project": po.project_name},
    )
    return po


@transaction.atomic
def po_reject(*, actor, po: Opportunity, reason: str, note: str = "") -> Opportunity:
    """BD rejects a pending PO for one of the validity reasons."""
    require(actor, REVIEW_OPPORTUNITIES)
    if reason not in RejectionReason.values:
        raise DomainError(_("Choose the reason for the rejection."), field="reason")
    po = _lock(po)
    PO.check(po, "reject")
    _check_deadline(po)
    rule = Rule.DUPLICATE if reason == RejectionReason.DUPLICATE else Rule.VALIDITY
    return _reject(po, actor=actor, transition="reject", rule=rule, reason=reason, note=note)


@transaction.atomic
def po_verify(
    *,
    actor,
    po: Opportunity,
    account_manager: str,
    confirmed_on: date | None,
    note: str = "",
) -> Opportunity:
    """Verification (验证) passed, after the account manager confirmed with the customer.

    Under the customer's lock: an HO the vendor created earlier wins (refused, decide it in
    the duplicate queue); another partner's duplicate verified first wins (this PO is
    rejected by the rule). Otherwise this PO wins, and other partners' pending duplicates
    are rejected by the rule. Returns the PO in its new state (verified or rejected)."""
    require(actor, REVIEW_OPPORTUNITIES)
    if not (account_manager or "").strip():
        raise DomainError(
            _("Name the account manager who confirmed with the customer."), field="account_manager"
        )
    today = timezone.localdate()
    check_date(confirmed_on, field="account_manager_confirmed_on")
    if confirmed_on is None or confirmed_on > today:
        raise DomainError(
            _("Give the day the account manager confirmed (today or earlier)."),
            field="account_manager_confirmed_on",
        )
    dup.lock_customer_keys(po)
    po = _lock(po)
    PO.check(po, "verify")
    _check_deadline(po)
    now = timezone.now()
    matches = dup.find_duplicates(po)
    leads = [
        m.other for m in matches if isinstance(m.other, VendorLead) and dup.ho_wins(m.other, now)
    ]
    if leads:
        lead = min(leads, key=lambda lead: lead.crm_created_at)
        raise DomainError(
            _(
                "The vendor created the same opportunity in its CRM at %(time)s (HO %(crm)s), "
                "before this verification: the HO wins. Settle it in the duplicate queue."
            )
            % {"time": _fmt(lead.crm_created_at), "crm": lead.crm_id},
            code="duplicate",
        )
    winner = dup.first_verified(
        m.other
        for m in matches
        if isinstance(m.other, Opportunity) and m.other.partner_id != po.partner_id
    )
    if winner is not None:
        _reject(
            po,
            actor=actor,
            transition="reject",
            rule=Rule.DUPLICATE,
            reason=RejectionReason.DUPLICATE,
            detail=dup.duplicate_detail(winner=winner, loser=po),
        )
        _resolve_pairs(po, [winner])
        return po
    PO.apply(
        po,
        "verify",
        actor=actor,
        changes={
            "verified_at": now,
            "verified_by": actor,
            "account_manager": account_manager.strip(),
            "account_manager_confirmed_on": confirmed_on,
            **protection.start_changes(now),
        },
        reason=note,
        data={"account_manager": account_manager.strip(), "confirmed_on": str(confirmed_on)},
        locked=True,
    )
    _notify_partner(
        po,
        "opportunities.verified",
        _("PO #%(id)s passed verification") % {"id": po.pk},
        _("%(customer)s, %(project)s: your progress updates now take effect.")
        % {"customer": po.customer_name, "project": po.project_name},
    )
    losers = [
        m.other
        for m in matches
        if isinstance(m.other, Opportunity)
        and m.other.partner_id != po.partner_id
        and m.other.state in PO_OPEN_STATES
    ]
    rejected = []
    for loser in sorted(losers, key=lambda o: o.pk):
        loser = _lock(loser)
        if loser.state in PO_OPEN_STATES:
            _reject(
                loser,
                actor=None,
                transition="reject_duplicate",
                rule=Rule.DUPLICATE,
                reason=RejectionReason.DUPLICATE,
                detail=dup.duplicate_detail(winner=po, loser=loser),
            )
            rejected.append(loser)
    _resolve_pairs(po, rejected)
    dup.record_pairs(po, [m for m in matches if m.other not in rejected])
    return po


def _resolve_pairs(po: Opportunity, others) -> None:
    for other in others:
        if isinstance(other, VendorLead):
            lookup = {"po": po, "lead": other}
        else:
            first, second = sorted((po, other), key=lambda o: o.pk)
            lookup = {"po": first, "other_po": second}
        DuplicatePair.objects.filter(**lookup).exclude(
            status=DuplicatePair.Status.DISMISSED
        ).update(status=DuplicatePair.Status.RESOLVED, decided_at=timezone.now())


# ---- Progress (after verification or acceptance) -----------------------------------------


@transaction.atomic
def opportunity_update_progress(
    *, actor, opportunity: Opportunity, changes: dict, note: str = ""
) -> Opportunity:
    """A progress update: stage, amount, close date, delivery date, contact, notes."""
    opp = _lock(opportunity)
    require(actor, ACT_FOR_PARTNER, partner_id=opp.partner_id)
    if opp.state not in ACTIVE_STATES:
        raise DomainError(
            _("Progress updates take effect after verification (PO) or acceptance (HO)."),
            code="state",
        )
    unknown = set(changes) - set(PROGRESS_FIELDS)
    if unknown:
        check_editable(opp, sorted(unknown))
    values = _normalize(changes)
    candidates = [n for n, v in values.items() if getattr(opp, n) != v]
    check_editable(opp, candidates)
    before = {n: _jsonable(getattr(opp, n)) for n in candidates}
    changed = _apply(opp, {n: values[n] for n in candidates})
    note = (note or "").strip()
    if not changed and not note:
        raise DomainError(_("Change something or write a note."))
    if changed:
        _validate(opp, changed)
    if opp.delivery_completed_on and opp.delivery_completed_on > timezone.localdate():
        raise DomainError(
            _("The delivery cannot be completed in the future."), field="delivery_completed_on"
        )
    opp.last_progress_at = timezone.now()
    opp.save(update_fields=[*changed, "last_progress_at"])
    _progress_protection(actor, opp, before.get("stage"), note)
    record_event(
        actor=actor,
        subject=opp,
        verb=Verb.OPPORTUNITY_PROGRESS,
        reason=note,
        data={
            "changes": {n: [before[n], _jsonable(getattr(opp, n))] for n in candidates},
        },
    )
    return opp


@transaction.atomic
def opportunity_set_core_label(
    *, actor, opportunity: Opportunity, core_label: bool, note: str = ""
) -> Opportunity:
    """BD marks (or unmarks) a verified PO or accepted HO with the core label."""
    require(actor, REVIEW_OPPORTUNITIES)
    opp = _lock(opportunity)
    if opp.state not in ACTIVE_STATES:
        raise DomainError(
            _("Only verified POs and accepted HOs carry the core label."), code="state"
        )
    if opp.core_label == core_label:
        return opp
    opp.core_label = core_label
    opp.save(update_fields=["core_label"])
    record_event(
        actor=actor,
        subject=opp,
        verb=Verb.OPPORTUNITY_CORE_LABEL,
        reason=note,
        data={"core_label": core_label},
    )
    return opp


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
        crm_id=crm_id, crm_created_at=crm_created_at, created_by=actor, state=LEAD["create"].target
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
    LEAD.apply(
        lead,
        "edit",
        actor=actor,
        changes={n: getattr(lead, n) for n in changed},
        data={"fields": [n for n in changed if n != "customer_key"]},
        locked=True,
    )
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
        _("New HO from the vendor: %(customer)s") % {"customer": share.customer_name},
        _("Accept or decline it by %(deadline)s, or it goes back to the vendor.")
        % {"deadline": _fmt(deadline)},
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
        },
        locked=True,
    )
    if ho.shared_by_id:
        _notify(
            recipients=[ho.shared_by],
            kind="opportunities.ho_accepted",
            title=_("HO #%(id)s was accepted") % {"id": ho.pk},
            body=f"{ho.partner.name} · {ho.customer_name}",
            link=reverse("opportunities:lead_detail", args=[ho.lead_id]),
        )
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
    HO.apply(
        ho,
        "decline",
        actor=actor,
        changes={
            "decided_at": timezone.now(),
            "decided_by": actor,
            "decision_rule": Rule.PARTNER_DECLINED,
            "decision_note": reason.strip(),
            "decision_detail": {"rule": Rule.PARTNER_DECLINED},
        },
        reason=reason.strip(),
        data={"rule": Rule.PARTNER_DECLINED},
        locked=True,
    )
    if ho.shared_by_id:
        _notify(
            recipients=[ho.shared_by],
            kind="opportunities.ho_declined",
            title=_("HO #%(id)s was declined and is back in the pool") % {"id": ho.pk},
            body=f"{ho.partner.name} · {ho.customer_name}: {ho.decision_note}",
            link=reverse("opportunities:lead_detail", args=[ho.lead_id]),
        )
    return ho


# ---- Duplicates --------------------------------------------------------------------------


@transaction.atomic
def duplicate_decide(*, actor, pair: DuplicatePair, decision: str, note: str = "") -> DuplicatePair:
    """BD settles a candidate pair: "apply" the rule's verdict (the loser is rejected, or
    the losing HO closed) or "dismiss" (not duplicates; the rules ignore the pair)."""
    require(actor, REVIEW_OPPORTUNITIES)
    items = [pair.po, pair.other_po or pair.lead]
    dup.lock_customer_keys(*items)
    pair = DuplicatePair.objects.select_for_update().get(pk=pair.pk)
    if pair.status != DuplicatePair.Status.OPEN:
        raise DomainError(_("This pair was settled already."), code="state")
    now = timezone.now()
    if decision == "dismiss":
        pair.status = DuplicatePair.Status.DISMISSED
    elif decision == "apply":
        verdict = dup.verdict_for(pair)
        if not verdict.decided:
            raise DomainError(verdict.explanation, code="undecided")
        loser = verdict.loser
        if isinstance(loser, VendorLead):
            assert isinstance(verdict.winner, Opportunity)  # a lead loses only to a PO
            lead_close(actor=actor, lead=loser, winner=verdict.winner, note=note)
        else:
            loser = _lock(loser)
            if loser.state == S.REJECTED:
                raise DomainError(_("The losing PO is rejected already."), code="state")
            _reject(
                loser,
                actor=actor,
                transition="reject_duplicate",
                rule=Rule.DUPLICATE,
                reason=RejectionReason.DUPLICATE,
                note=note,
                detail=dup.duplicate_detail(winner=verdict.winner, loser=loser),
            )
        pair.status = DuplicatePair.Status.RESOLVED
    else:
        raise DomainError(_("Unknown decision."), field="decision")
    pair.decided_by = actor
    pair.decided_at = now
    pair.decision_note = (note or "").strip()
    pair.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    record_event(
        actor=actor,
        subject=pair,
        verb=Verb.duplicate(decision),
        reason=pair.decision_note,
        partner_id=pair.po.partner_id,
    )
    return pair


def lead_close(*, actor, lead: VendorLead, winner: Opportunity, note: str = "") -> VendorLead:
    """The lead lost to an earlier verified PO: it leaves the pool; a pending share of it is
    withdrawn by the duplicate rule. An accepted share must be settled with that partner."""
    lead = _lock_lead(lead)
    if not LEAD.can(lead, "close"):
        return lead
    if lead.shares.filter(state=S.ACCEPTED).exists():
        raise DomainError(
            _("A partner accepted this HO already: settle it with that partner first."),
            code="accepted",
        )
    detail = dup.duplicate_detail(winner=winner, loser=lead)
    for share in lead.shares.select_for_update().filter(state=S.PENDING):
        HO.apply(
            share,
            "withdraw_duplicate",
            actor=actor,
            changes={
                "decided_at": timezone.now(),
                "decided_by": actor,
                "decision_rule": Rule.DUPLICATE,
                "decision_note": (note or "").strip(),
                "decision_detail": detail,
            },
            reason=(note or "").strip(),
            data=detail,
            locked=True,
        )
    LEAD.apply(
        lead,
        "close",
        actor=actor,
        changes={"closed_at": timezone.now(), "closed_by": actor, "close_detail": detail},
        reason=note,
        data=detail,
        locked=True,
    )
    return lead


# ---- Bulk import -------------------------------------------------------------------------


@transaction.atomic
def po_import_start(
    *,
    actor,
    partner: Partner,
    upload,
    submit_rows: bool = False,
    consent: Consent | None = None,
):
    """Store an uploaded CSV/XLSX and queue its import (rows are processed by a worker)."""
    from partner_center.outbox.services import enqueue

    from .models import POImport

    require(actor, ACT_FOR_PARTNER, partner_id=partner.pk)
    if submit_rows:
        ensure_pce_member(partner.pk, field="submit_rows")
        _check_consent(consent or Consent(confirmed=False))
    checked = uploads.check_spreadsheet(upload, field="file")  # refused files are never stored
    name = checked.original_name[:200]
    imp = POImport(
        partner=partner,
        created_by=actor,
        file_name=name,
        submit_rows=submit_rows,
        consent_method=consent.method if submit_rows and consent else "",
        consent_note=(consent.note or "").strip() if submit_rows and consent else "",
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    from partner_center.storage import save_or_refuse

    upload.seek(0)
    stored = save_or_refuse(
        imp.file.storage,
        imp.file.field.generate_filename(imp, uploads.generated_name(checked)),
        upload,
        field="file",
    )
    imp.file.name = stored
    try:
        imp.save()
    except BaseException:
        uploads.delete_quietly(stored)  # no orphan file
        raise
    record_event(actor=actor, subject=imp, verb=Verb.PO_IMPORT_QUEUED, data={"file": name})
    enqueue("opportunities.tasks.run_po_import", {"import_id": imp.pk}, key=f"po-import:{imp.pk}")
    return imp


# ---- Deal protection (R4.1, rules in protection.py) --------------------------------------


def _progress_protection(actor, opp: Opportunity, stage_before, note: str) -> None:
    """A progress update that moves the stage forward restarts the protection period; one
    that reports the deal won or lost closes the protection."""
    if stage_before is None or not protection.is_live(opp):
        return
    if opp.stage in (Stage.WON, Stage.LOST):
        PROTECTION.apply(
            opp,
            "close_won" if opp.stage == Stage.WON else "close_lost",
            actor=actor,
            changes={
                "closed_at": timezone.now(),
                "lost_reason": LostReason.OTHER if opp.stage == Stage.LOST else "",
            },
            reason=note,
            locked=True,
        )
        return
    if protection.stage_moves_forward(stage_before, opp.stage):
        until = protection.protection_end(timezone.now())
        if until > opp.protected_until:
            PROTECTION.apply(
                opp,
                "extend_by_progress",
                actor=actor,
                changes={
                    "protected_until": until,
                    "protection_remind_at": protection.reminder_at(until),
                    "protection_reminded_at": None,
                },
                data={"protected_until": until.isoformat(), "stage": opp.stage},
                locked=True,
            )


def _check_protection_live(opp: Opportunity) -> None:
    if not protection.is_live(opp):
        raise DomainError(_("This opportunity is not protected any more."), code="wrong_state")


@transaction.atomic
def opportunity_close(
    *, actor, opportunity: Opportunity, outcome: str, lost_reason: str = "", note: str = ""
) -> Opportunity:
    """The partner closes a protected deal as won or lost (lost: with a reason). The
    customer and products are free for other partners from then on."""
    opp = _lock(opportunity)
    require(actor, ACT_FOR_PARTNER, partner_id=opp.partner_id)
    if outcome not in ("won", "lost"):
        raise DomainError(_("Choose won or lost."), field="outcome")
    if outcome == "lost" and lost_reason not in LostReason.values:
        raise DomainError(_("Choose why the deal was lost."), field="lost_reason")
    _check_protection_live(opp)
    PROTECTION.apply(
        opp,
        f"close_{outcome}",
        actor=actor,
        changes={
            "closed_at": timezone.now(),
            "stage": Stage.WON if outcome == "won" else Stage.LOST,
            "lost_reason": lost_reason if outcome == "lost" else "",
        },
        reason=(note or "").strip(),
        data={"lost_reason": lost_reason} if outcome == "lost" else {},
        locked=True,
    )
    return opp


@transaction.atomic
def protection_request_extension(*, actor, opportunity: Opportunity, note: str) -> Opportunity:
    """The partner asks BD for `EXTENSION_DAYS` more protection, saying why."""
    opp = _lock(opportunity)
    require(actor, ACT_FOR_PARTNER, partner_id=opp.partner_id)
    if not (note or "").strip():
        raise DomainError(_("Say why you need more time."), field="note")
    _check_protection_live(opp)
    if opp.extension_requested_at:
        raise DomainError(_("An extension request is waiting for BD already."), code="pending")
    PROTECTION.apply(
        opp,
        "request_extension",
        actor=actor,
        changes={"extension_requested_at": timezone.now(), "extension_request_note": note.strip()},
        reason=note.strip(),
        locked=True,
    )
    _notify(
        recipients=bd_recipients(),
        kind="opportunities.protection_extension_requested",
        title=_("Protection extension requested for #%(id)s") % {"id": opp.pk},
        body=f"{opp.partner.name} · {opp.customer_name}: {note.strip()}",
        opportunity=opp,
    )
    return opp


@transaction.atomic
def protection_decide_extension(
    *, actor, opportunity: Opportunity, approve: bool, reason: str = ""
) -> Opportunity:
    """BD approves (protection ends `EXTENSION_DAYS` later) or refuses (with a reason)."""
    require(actor, REVIEW_OPPORTUNITIES)
    opp = _lock(opportunity)
    if not opp.extension_requested_at:
        raise DomainError(_("No extension request is waiting."), code="state")
    if not approve and not (reason or "").strip():
        raise DomainError(_("Say why you refuse."), field="reason")
    _check_protection_live(opp)
    changes: dict = {"extension_requested_at": None, "extension_request_note": ""}
    if approve:
        until = protection.protection_end(
            max(opp.protected_until, timezone.now()), protection.EXTENSION_DAYS
        )
        changes.update(
            protected_until=until,
            protection_remind_at=protection.reminder_at(until),
            protection_reminded_at=None,
        )
    PROTECTION.apply(
        opp,
        "approve_extension" if approve else "refuse_extension",
        actor=actor,
        changes=changes,
        reason=(reason or "").strip(),
        data={"protected_until": opp.protected_until.isoformat()} if approve else {},
        locked=True,
    )
    until_text = _fmt(opp.protected_until)
    _notify_partner(
        opp,
        "opportunities.protection_extension_decided",
        (
            _("Protection of #%(id)s extended to %(until)s")
            if approve
            else _("Protection extension for #%(id)s refused")
        )
        % {"id": opp.pk, "until": until_text},
        (reason or "").strip(),
    )
    return opp


# ---- Leads BD retires (R4.2) -------------------------------------------------------------


@transaction.atomic
def lead_retire(*, actor, lead: VendorLead, reason: str, note: str = "") -> VendorLead:
    """BD closes a lead from the pool with a reason: it wins no duplicate any more and a
    pending share of it is withdrawn. An accepted share must be settled with its partner."""
    require(actor, REVIEW_OPPORTUNITIES)
    if reason not in LeadCloseReason.values:
        raise DomainError(_("Choose why the lead is closed."), field="reason")
    note = (note or "").strip()
    if reason == LeadCloseReason.OTHER and not note:
        raise DomainError(_("Say why the lead is closed."), field="note")
    lead = _lock_lead(lead)
    LEAD.check(lead, "retire")
    if lead.shares.filter(protection.live_q()).exists():
        raise DomainError(
            _("A partner accepted this HO: it must close the deal or its protection must end."),
            code="accepted",
        )
    now = timezone.now()
    for share in lead.shares.select_for_update().filter(state=S.PENDING):
        HO.apply(
            share,
            "withdraw",
            actor=actor,
            changes={
                "decided_at": now,
                "decided_by": actor,
                "decision_rule": Rule.LEAD_CLOSED,
                "decision_note": note,
                "decision_detail": {"rule": Rule.LEAD_CLOSED},
            },
            reason=note,
            data={"rule": Rule.LEAD_CLOSED},
            locked=True,
        )
        _notify_partner(
            share,
            "opportunities.ho_withdrawn",
            _("HO #%(id)s was withdrawn by the vendor") % {"id": share.pk},
            share.customer_name,
        )
    LEAD.apply(
        lead,
        "retire",
        actor=actor,
        changes={
            "closed_at": now,
            "closed_by": actor,
            "close_reason": reason,
            "close_note": note,
            "close_detail": {"rule": Rule.LEAD_CLOSED, "reason": reason},
        },
        reason=note,
        data={"reason": reason},
        locked=True,
    )
    return lead


@transaction.atomic
def lead_reopen(*, actor, lead: VendorLead, note: str) -> VendorLead:
    """BD puts a closed lead back in the pool, saying why."""
    require(actor, REVIEW_OPPORTUNITIES)
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Say why the lead is reopened."), field="note")
    lead = _lock_lead(lead)
    LEAD.check(lead, "reopen")
    dup.lock_customer_keys(lead)
    LEAD.apply(
        lead,
        "reopen",
        actor=actor,
        changes={
            "closed_at": None,
            "closed_by": None,
            "close_reason": "",
            "close_note": "",
            "close_detail": {},
        },
        reason=note,
        locked=True,
    )
    dup.record_pairs(lead, dup.find_duplicates(lead))
    return lead
