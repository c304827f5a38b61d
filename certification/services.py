"""Every write of certification. Pages, the API, admin actions and tasks call these.

Each step locks its row, checks the transition table (`transitions.py`), saves, records the
event and notifies the people who act next. A file is checked completely before anything
is stored; if the step fails after the file was written, the file is removed again."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center import workflow
from partner_center.accounts.access import require
from partner_center.accounts.models import Partner, User
from partner_center.accounts.permissions import VENDOR_ROLES
from partner_center.audit.services import PendingEvent, record_event, record_events_bulk
from partner_center.audit.verbs import Verb
from partner_center.errors import DomainError, NotAllowed
from partner_center.notifications.recipients import certification_specialists, partner_admins
from partner_center.notifications.services import notify
from partner_center.workdays import deadline_after
from partner_center.workflow import By

from . import uploads
from .models import (
    Attachment,
    AttachmentSlot,
    BankCardCertification,
    CapabilityLabel,
    CertificationPerson,
    CriterionReview,
    Defense,
    EnterpriseCertification,
    LabelApplication,
    LabelCriterion,
    LabelEvidence,
    PartnerManager,
)
from .permissions import MANAGE_CERTIFICATION, REVIEW_CERTIFICATION
from .selectors import is_pdm_of, pdm_of
from .transitions import BANK_CARD, ENTERPRISE, LABEL

# [our rules] limits a reviewer can read through; the defense window in working days.
MAX_STAFF = 10
MAX_OTHER_CERTIFICATES = 5
MAX_EVIDENCE_PER_CRITERION = 10
DEFENSE_WINDOW_WORKING_DAYS = 5

E = EnterpriseCertification.State
B = BankCardCertification.State
L = LabelApplication.State


# Who may act ----------------------------------------------------------------------------


def _require(by: str, actor, partner_id: int) -> None:
    """Defence in depth: views check capabilities first; services check again."""
    if by == By.PARTNER:
        require(actor, MANAGE_CERTIFICATION, partner_id=partner_id)
    elif by == By.REVIEWER:
        require(actor, REVIEW_CERTIFICATION)
    elif by == By.ORGANIZER:
        if not is_pdm_of(actor, partner_id):
            require(actor, REVIEW_CERTIFICATION)
    elif actor is not None:
        raise NotAllowed


_partner_admins = partner_admins
_specialists = certification_specialists


def _now() -> datetime:
    return timezone.now()


def _store_checked(upload, checked, *, partner_id: int, purpose: str, actor) -> Attachment:
    """Write the file and its row. Callers run this inside their transaction and, if a
    later part of the step fails, remove the file with `uploads.delete_quietly`."""
    path = uploads.store(upload, checked, folder=purpose.replace("_", "-"))
    try:
        return Attachment.objects.create(
            partner_id=partner_id,
            purpose=purpose,
            path=path,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
    except BaseException:
        uploads.delete_quietly(path)
        raise


def _discard_after_commit(attachments: Iterable[Attachment]) -> None:
    """Delete attachment rows now and their files once the transaction commits."""
    paths = []
    for attachment in attachments:
        paths.append(attachment.path)
        attachment.delete()
    if paths:

        def delete_files() -> None:
            for path in paths:
                uploads.delete_quietly(path)

        transaction.on_commit(delete_files)


def _check_reasons(reasons: Iterable[str], comment: str, choices) -> list[str]:
    codes = list(dict.fromkeys(reasons or []))
    if not codes:
        raise DomainError(_("Choose at least one reason for the rejection."), field="reasons")
    unknown = set(codes) - set(choices.values)
    if unknown:
        raise DomainError(_("Unknown reason."), field="reasons")
    if "other" in codes and not comment.strip():
        raise DomainError(_("Explain the other reason in the comment."), field="comment")
    return codes


def _reasons_text(codes: list[str], choices) -> str:
    labels = dict(choices.choices)
    return "; ".join(str(labels[c]) for c in codes)


# Enterprise certification ---------------------------------------------------------------


def _clean_names(values: Iterable[str], *, limit: int, field: str, what: str) -> list[str]:
    names = [v.strip() for v in values or [] if v and v.strip()]
    if len(names) > limit:
        raise DomainError(_("At most %(n)s %(what)s.") % {"n": limit, "what": what}, field=field)
    if len({n.casefold() for n in names}) != len(names):
        raise DomainError(_("Each name may appear only once."), field=field)
    for name in names:
        if len(name) > 100:
            raise DomainError(_("A name may have at most 100 characters."), field=field)
    return names


def _clean_setup(legal_person: str, staff, other_certificates):
    legal = (legal_person or "").strip()
    if len(legal) > 100:
        raise DomainError(_("A name may have at most 100 characters."), field="legal_person")
    staff_names = _clean_names(staff, limit=MAX_STAFF, field="staff", what=_("staff members"))
    if legal and legal.casefold() in {s.casefold() for s in staff_names}:
        raise DomainError(
            _("The legal person is listed already; do not list them as staff too."), field="staff"
        )
    others = _clean_names(
        other_certificates,
        limit=MAX_OTHER_CERTIFICATES,
        field="other_certificates",
        what=_("other certificates"),
    )
    return legal, staff_names, others


def _rebuild_slots(cert: EnterpriseCertification, legal: str, staff: list[str], others: list[str]):
    """Lay out the slots in the required order, keeping files already in a slot that
    still exists (same kind, same person or certificate name)."""
    old_persons = {p.pk: (p.role, p.name) for p in cert.persons.all()}
    kept: dict[tuple, int] = {}
    for slot in cert.slots.all():
        if slot.attachment_id:
            key = (slot.kind, old_persons.get(slot.person_id), slot.title)
            kept[key] = slot.attachment_id
    cert.slots.all().delete()
    cert.persons.all().delete()

    people = ([(CertificationPerson.Role.LEGAL_PERSON, legal)] if legal else []) + [
        (CertificationPerson.Role.STAFF, name) for name in staff
    ]
    persons = CertificationPerson.objects.bulk_create(
        CertificationPerson(certification=cert, position=i, role=role, name=name)
        for i, (role, name) in enumerate(people, start=1)
    )
    plan: list[tuple[str, CertificationPerson | None, str]] = [
        (AttachmentSlot.Kind.BUSINESS_LICENCE, None, "")
    ]
    plan += [(AttachmentSlot.Kind.OTHER_CERTIFICATE, None, title) for title in others]
    for person in persons:
        plan += [
            (AttachmentSlot.Kind.ID_PORTRAIT, person, ""),
            (AttachmentSlot.Kind.ID_EMBLEM, person, ""),
        ]
    used: set[int] = set()
    slots = []
    for position, (kind, person, title) in enumerate(plan, start=1):
        key = (kind, (person.role, person.name) if person else None, title)
        attachment_id = kept.get(key)
        if attachment_id:
            used.add(attachment_id)
        slots.append(
            AttachmentSlot(
                certification=cert,
                position=position,
                kind=kind,
                person=person,
                title=title,
                attachment_id=attachment_id,
            )
        )
    AttachmentSlot.objects.bulk_create(slots)
    _discard_after_commit(Attachment.objects.filter(pk__in=set(kept.values()) - used))
    return slots


def enterprise_start(
    *, actor, partner: Partner, legal_person: str = "", staff=(), other_certificates=()
) -> EnterpriseCertification:
    """Open a new enterprise certification (a draft) with its slots laid out."""
    _require(By.PARTNER, actor, partner.pk)
    legal, staff_names, others = _clean_setup(legal_person, staff, other_certificates)
    try:
        with transaction.atomic():
            Partner.objects.select_for_update().filter(pk=partner.pk).first()
            if EnterpriseCertification.objects.filter(
                partner=partner, state__in=EnterpriseCertification.OPEN_STATES
            ).exists():
                raise DomainError(
                    _("An enterprise certification is open already: continue that one."),
                    code="exists",
                )
            cert = EnterpriseCertification.objects.create(partner=partner, created_by=actor)
            _rebuild_slots(cert, legal, staff_names, others)
            ENTERPRISE.record_created(
                cert,
                "create",
                actor=actor,
                data={"legal_person": legal, "staff": staff_names, "other": others},
            )
    except IntegrityError as exc:
        raise DomainError(
            _("An enterprise certification is open already: continue that one."), code="exists"
        ) from exc
    return cert


def _lock_enterprise(certification) -> EnterpriseCertification:
    return EnterpriseCertification.objects.select_for_update().get(pk=certification.pk)


@transaction.atomic
def enterprise_setup(
    *, actor, certification, legal_person: str = "", staff=(), other_certificates=()
) -> EnterpriseCertification:
    """Change which certificates and persons the draft has; the slots follow."""
    cert = _lock_enterprise(certification)
    _require(By.PARTNER, actor, cert.partner_id)
    workflow.check(cert, "setup")
    legal, staff_names, others = _clean_setup(legal_person, staff, other_certificates)
    _rebuild_slots(cert, legal, staff_names, others)
    workflow.apply(
        cert,
        "setup",
        actor=actor,
        data={"legal_person": legal, "staff": staff_names, "other": others},
        locked=True,
    )
    return cert


def enterprise_upload(*, actor, certification, position: int, upload) -> AttachmentSlot:
    """Put a file into slot `position`. Slots fill in order: every earlier slot must hold
    a file already. A file in the slot before is replaced."""
    checked = uploads.check_upload(upload)  # refused files never reach the storage
    with transaction.atomic():
        cert = _lock_enterprise(certification)
        _require(By.PARTNER, actor, cert.partner_id)
        workflow.check(cert, "upload")
        slots = list(cert.slots.select_related("person", "attachment").order_by("position"))
        slot = next((s for s in slots if s.position == position), None)
        if slot is None:
            raise DomainError(_("There is no slot with this number."), field="position")
        earlier_empty = [s for s in slots if s.position < position and s.attachment_id is None]
        if earlier_empty:
            first = earlier_empty[0]
            raise DomainError(
                _("Attachments go in order: upload slot %(n)s (%(label)s) before slot %(this)s.")
                % {"n": first.position, "label": first.label, "this": position},
                field="file",
                code="order",
            )
        attachment = _store_checked(
            upload,
            checked,
            partner_id=cert.partner_id,
            purpose=Attachment.Purpose.ENTERPRISE,
            actor=actor,
        )
        try:
            old = slot.attachment
            slot.attachment = attachment
            slot.save(update_fields=["attachment"])
            if old is not None:
                _discard_after_commit([old])
            workflow.apply(
                cert,
                "upload",
                actor=actor,
                data={
                    "position": slot.position,
                    "slot": slot.kind,
                    "person": slot.person.name if slot.person_id else "",
                    "title": slot.title,
                    "path": attachment.path,
                    "replaced": old is not None,
                },
                locked=True,
            )
        except BaseException:
            uploads.delete_quietly(attachment.path)
            raise
    return slot


@transaction.atomic
def enterprise_submit(*, actor, certification) -> EnterpriseCertification:
    cert = _lock_enterprise(certification)
    _require(By.PARTNER, actor, cert.partner_id)
    workflow.check(cert, "submit")
    slots = list(cert.slots.select_related("person").order_by("position"))
    missing = [s for s in slots if s.attachment_id is None]
    if missing:
        raise DomainError(
            _("Not submitted: these slots are still empty: %(slots)s.")
            % {"slots": "; ".join(f"#{s.position} {s.label}" for s in missing)},
            field="slots",
            code="missing_slots",
        )
    workflow.apply(
        cert,
        "submit",
        actor=actor,
        changes={
            "submitted_at": _now(),
            "decided_by": None,
            "decided_at": None,
            "reject_reasons": [],
            "decision_comment": "",
        },
        locked=True,
    )
    notify(
        recipients=_specialists(),
        kind="certification.enterprise.submitted",
        title=_("Enterprise certification to review: %(partner)s") % {"partner": cert.partner},
        body=_("%(n)s attachments were submitted in the required order.") % {"n": len(slots)},
        link=reverse("certification:enterprise-detail", args=[cert.pk]),
    )
    return cert


@transaction.atomic
def enterprise_approve(*, actor, certification, comment: str = "") -> EnterpriseCertification:
    cert = _lock_enterprise(certification)
    _require(By.REVIEWER, actor, cert.partner_id)
    workflow.apply(
        cert,
        "approve",
        actor=actor,
        changes={
            "decided_by": actor,
            "decided_at": _now(),
            "reject_reasons": [],
            "decision_comment": comment.strip(),
        },
        reason=comment.strip(),
        locked=True,
    )
    notify(
        recipients=_partner_admins(cert.partner_id),
        kind="certification.enterprise.approved",
        title=_("Your enterprise certification is approved"),
        body=comment.strip(),
        link=reverse("certification:enterprise-detail", args=[cert.pk]),
    )
    return cert


@transaction.atomic
def enterprise_reject(
    *, actor, certification, reasons: Iterable[str], comment: str = ""
) -> EnterpriseCertification:
    cert = _lock_enterprise(certification)
    _require(By.REVIEWER, actor, cert.partner_id)
    workflow.check(cert, "reject")
    codes = _check_reasons(reasons, comment, EnterpriseCertification.RejectReason)
    text = _reasons_text(codes, EnterpriseCertification.RejectReason)
    workflow.apply(
        cert,
        "reject",
        actor=actor,
        changes={
            "decided_by": actor,
            "decided_at": _now(),
            "reject_reasons": codes,
            "decision_comment": comment.strip(),
        },
        reason=comment.strip(),
        data={"reasons": codes},
        locked=True,
    )
    notify(
        recipients=_partner_admins(cert.partner_id),
        kind="certification.enterprise.rejected",
        title=_("Your enterprise certification was rejected"),
        body="\n".join(filter(None, [text, comment.strip()])),
        link=reverse("certification:enterprise-detail", args=[cert.pk]),
    )
    return cert


def enterprise_revise(*, actor, certification) -> EnterpriseCertification:
    """Reopen a rejected certification as a draft, keeping its slots and files."""
    try:
        with transaction.atomic():
            cert = _lock_enterprise(certification)
            _require(By.PARTNER, actor, cert.partner_id)
            workflow.check(cert, "revise")
            if (
                EnterpriseCertification.objects.filter(
                    partner_id=cert.partner_id, state__in=EnterpriseCertification.OPEN_STATES
                )
                .exclude(pk=cert.pk)
                .exists()
            ):
                raise DomainError(
                    _("Another enterprise certification is open: continue that one."),
                    code="exists",
                )
            workflow.apply(cert, "revise", actor=actor, locked=True)
    except IntegrityError as exc:
        raise DomainError(
            _("Another enterprise certification is open: continue that one."), code="exists"
        ) from exc
    return cert


# Personal bank-card certification -------------------------------------------------------

_DIGITS = re.compile(r"[\s-]+")


def _luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def mask_card_number(card_number: str) -> str:
    number = _DIGITS.sub("", card_number or "")
    if not number.isdigit() or not 12 <= len(number) <= 19:
        raise DomainError(_("Enter the card number: 12 to 19 digits."), field="card_number")
    if not _luhn_ok(number):
        raise DomainError(
            _("This card number is not valid: check the digits."), field="card_number"
        )
    return f"{number[:4]} **** **** {number[-4:]}"


def bank_card_submit(
    *,
    actor,
    partner: Partner,
    holder_name: str,
    bank_name: str,
    card_number: str,
    face_photo,
) -> BankCardCertification:
    """Submit a bank-card certification with its one face-scan photo (an image)."""
    _require(By.PARTNER, actor, partner.pk)
    holder = (holder_name or "").strip()
    bank = (bank_name or "").strip()
    if not holder:
        raise DomainError(_("Enter the card holder's name."), field="holder_name")
    if not bank:
        raise DomainError(_("Enter the bank."), field="bank_name")
    masked = mask_card_number(card_number)
    checked = uploads.check_upload(face_photo, formats=uploads.IMAGE_FORMATS, field="face_photo")
    try:
        with transaction.atomic():
            if BankCardCertification.objects.filter(
                partner=partner, holder_name=holder, state=B.SUBMITTED
            ).exists():
                raise DomainError(
                    _("A certification for this card holder is under review already."),
                    field="holder_name",
                )
            photo = _store_checked(
                face_photo,
                checked,
                partner_id=partner.pk,
                purpose=Attachment.Purpose.BANK_CARD,
                actor=actor,
            )
            try:
                cert = BankCardCertification.objects.create(
                    partner=partner,
                    applicant=actor,
                    holder_name=holder,
                    bank_name=bank,
                    card_number_masked=masked,
                    face_photo=photo,
                )
                BANK_CARD.record_created(cert, "submit", actor=actor, data={"path": photo.path})
                notify(
                    recipients=_specialists(),
                    kind="certification.bank_card.submitted",
                    title=_("Bank-card certification to review: %(partner)s")
                    % {"partner": partner},
                    link=reverse("certification:bank-card-detail", args=[cert.pk]),
                )
            except BaseException:
                uploads.delete_quietly(photo.path)
                raise
    except IntegrityError as exc:
        raise DomainError(
            _("A certification for this card holder is under review already."),
            field="holder_name",
        ) from exc
    return cert


def _lock_bank_card(certification) -> BankCardCertification:
    return BankCardCertification.objects.select_for_update().get(pk=certification.pk)


@transaction.atomic
def bank_card_approve(*, actor, certification, comment: str = "") -> BankCardCertification:
    cert = _lock_bank_card(certification)
    _require(By.REVIEWER, actor, cert.partner_id)
    workflow.apply(
        cert,
        "approve",
        actor=actor,
        changes={"decided_by": actor, "decided_at": _now(), "decision_comment": comment.strip()},
        reason=comment.strip(),
        locked=True,
    )
    notify(
        recipients=_partner_admins(cert.partner_id),
        kind="certification.bank_card.approved",
        title=_("Bank-card certification approved: %(holder)s") % {"holder": cert.holder_name},
        link=reverse("certification:bank-card-detail", args=[cert.pk]),
    )
    return cert


@transaction.atomic
def bank_card_reject(
    *, actor, certification, reasons: Iterable[str], comment: str = ""
) -> BankCardCertification:
    cert = _lock_bank_card(certification)
    _require(By.REVIEWER, actor, cert.partner_id)
    workflow.check(cert, "reject")
    codes = _check_reasons(reasons, comment, BankCardCertification.RejectReason)
    text = _reasons_text(codes, BankCardCertification.RejectReason)
    workflow.apply(
        cert,
        "reject",
        actor=actor,
        changes={
            "decided_by": actor,
            "decided_at": _now(),
            "reject_reasons": codes,
            "decision_comment": comment.strip(),
        },
        reason=comment.strip(),
        data={"reasons": codes},
        locked=True,
    )
    notify(
        recipients=_partner_admins(cert.partner_id),
        kind="certification.bank_card.rejected",
        title=_("Bank-card certification rejected: %(holder)s") % {"holder": cert.holder_name},
        body="\n".join(filter(None, [text, comment.strip()])),
        link=reverse("certification:bank-card-detail", args=[cert.pk]),
    )
    return cert


# PDM ------------------------------------------------------------------------------------


@transaction.atomic
def pdm_assign(*, actor, partner: Partner, user: User) -> PartnerManager:
    """Make `user` (vendor staff) the partner's PDM, replacing any earlier one."""
    if user.role not in VENDOR_ROLES or not user.is_active:
        raise DomainError(_("A PDM must be active vendor staff."), field="user")
    row, _created = PartnerManager.objects.update_or_create(
        partner=partner, defaults={"user": user, "assigned_at": _now()}
    )
    record_event(
        actor=actor, subject=partner, verb=Verb.PARTNER_PDM_ASSIGNED, data={"user": user.pk}
    )
    return row


# Capability labels ----------------------------------------------------------------------


def _lock_application(application) -> LabelApplication:
    return (
        LabelApplication.objects.select_for_update().select_related("label").get(pk=application.pk)
    )


def _application_link(application) -> str:
    return reverse("certification:label-application-detail", args=[application.pk])


def label_apply(
    *, actor, partner: Partner, label: CapabilityLabel, statement: str = ""
) -> LabelApplication:
    """Start an application for a label (a draft the partner adds evidence to)."""
    _require(By.PARTNER, actor, partner.pk)
    if not label.is_active:
        raise DomainError(_("This label takes no applications now."), field="label")
    live = LabelApplication.objects.filter(partner=partner, label=label)
    if live.filter(state=L.GRANTED).exists():
        raise DomainError(_("Your company holds this label already."), field="label")
    if live.filter(state__in=LabelApplication.OPEN_STATES).exists():
        raise DomainError(_("An application for this label is open already."), field="label")
    try:
        with transaction.atomic():
            application = LabelApplication.objects.create(
                partner=partner, label=label, statement=statement.strip(), created_by=actor
            )
            LABEL.record_created(application, "create", actor=actor, data={"label": label.code})
    except IntegrityError as exc:
        raise DomainError(
            _("An application for this label is open already."), field="label"
        ) from exc
    return application


@transaction.atomic
def label_edit(*, actor, application, statement: str) -> LabelApplication:
    app = _lock_application(application)
    _require(By.PARTNER, actor, app.partner_id)
    workflow.apply(app, "edit", actor=actor, changes={"statement": statement.strip()}, locked=True)
    return app


def label_add_evidence(
    *, actor, application, criterion: LabelCriterion, upload, note: str = ""
) -> LabelEvidence:
    checked = uploads.check_upload(upload)
    with transaction.atomic():
        app = _lock_application(application)
        _require(By.PARTNER, actor, app.partner_id)
        workflow.check(app, "add_evidence")
        if criterion.label_id != app.label_id:
            raise DomainError(_("This criterion belongs to another label."), field="criterion")
        if (
            LabelEvidence.objects.filter(application=app, criterion=criterion).count()
            >= MAX_EVIDENCE_PER_CRITERION
        ):
            raise DomainError(
                _("At most %(n)s files per criterion.") % {"n": MAX_EVIDENCE_PER_CRITERION},
                field="file",
            )
        attachment = _store_checked(
            upload,
            checked,
            partner_id=app.partner_id,
            purpose=Attachment.Purpose.LABEL_EVIDENCE,
            actor=actor,
        )
        try:
            evidence = LabelEvidence.objects.create(
                application=app, criterion=criterion, attachment=attachment, note=note.strip()[:200]
            )
            workflow.apply(
                app,
                "add_evidence",
                actor=actor,
                reason=f"{criterion.position}. {attachment.original_name}",
                data={"criterion": criterion.pk, "path": attachment.path},
                locked=True,
            )
        except BaseException:
            uploads.delete_quietly(attachment.path)
            raise
    return evidence


@transaction.atomic
def label_remove_evidence(*, actor, evidence: LabelEvidence) -> None:
    app = _lock_application(evidence.application)
    _require(By.PARTNER, actor, app.partner_id)
    workflow.check(app, "remove_evidence")
    attachment = evidence.attachment
    name = attachment.original_name
    evidence.delete()
    _discard_after_commit([attachment])
    workflow.apply(app, "remove_evidence", actor=actor, reason=name, locked=True)


@transaction.atomic
def label_submit(*, actor, application) -> LabelApplication:
    app = _lock_application(application)
    _require(By.PARTNER, actor, app.partner_id)
    workflow.check(app, "submit")
    if not app.statement.strip():
        raise DomainError(
            _("Describe your company's capability for this label before submitting."),
            field="statement",
        )
    criteria = list(app.label.criteria.order_by("position"))
    covered = set(
        LabelEvidence.objects.filter(application=app).values_list("criterion_id", flat=True)
    )
    missing = [c for c in criteria if c.pk not in covered]
    if missing:
        raise DomainError(
            _("Not submitted: add evidence for %(criteria)s.")
            % {"criteria": "; ".join(f"{c.position}. {c.title}" for c in missing)},
            field="evidence",
            code="missing_evidence",
        )
    workflow.apply(app, "submit", actor=actor, changes={"submitted_at": _now()}, locked=True)
    notify(
        recipients=_specialists(),
        kind="certification.label.submitted",
        title=_("Label application to review: %(label)s, %(partner)s")
        % {"label": app.label, "partner": app.partner},
        link=_application_link(app),
    )
    return app


@transaction.atomic
def label_withdraw(*, actor, application, reason: str = "") -> LabelApplication:
    app = _lock_application(application)
    _require(By.PARTNER, actor, app.partner_id)
    was_submitted = app.state == L.SUBMITTED
    workflow.apply(
        app,
        "withdraw",
        actor=actor,
        changes={"decided_at": _now()},
        reason=reason.strip(),
        locked=True,
    )
    if was_submitted:
        notify(
            recipients=_specialists(),
            kind="certification.label.withdrawn",
            title=_("Label application withdrawn: %(label)s, %(partner)s")
            % {"label": app.label, "partner": app.partner},
            link=_application_link(app),
            email=False,
        )
    return app


def _check_verdict(verdict: str, comment: str, field_prefix: str = "") -> None:
    if verdict not in CriterionReview.Verdict.values:
        raise DomainError(_("Choose met or not met."), field=f"{field_prefix}verdict")
    if verdict == CriterionReview.Verdict.NOT_MET and not comment.strip():
        raise DomainError(
            _("Say in the comment why the criterion is not met."), field=f"{field_prefix}comment"
        )


@transaction.atomic
def label_decide_criterion(
    *, actor, application, criterion: LabelCriterion, verdict: str, comment: str = ""
) -> CriterionReview:
    app = _lock_application(application)
    _require(By.REVIEWER, actor, app.partner_id)
    workflow.check(app, "decide_criterion")
    if criterion.label_id != app.label_id:
        raise DomainError(_("This criterion belongs to another label."), field="criterion")
    _check_verdict(verdict, comment)
    review, _created = CriterionReview.objects.update_or_create(
        application=app,
        criterion=criterion,
        defaults={
            "verdict": verdict,
            "comment": comment.strip(),
            "reviewer": actor,
            "decided_at": _now(),
            "revised_in_defense": False,
        },
    )
    workflow.apply(
        app,
        "decide_criterion",
        actor=actor,
        reason=review.comment,
        data={"criterion": criterion.pk, "position": criterion.position, "verdict": verdict},
        locked=True,
    )
    return review


@transaction.atomic
def label_conclude(*, actor, application, summary: str = "") -> LabelApplication:
    """End the review: the label is granted when every criterion is met; otherwise the
    partner has a few working days to request an online defense."""
    app = _lock_application(application)
    _require(By.REVIEWER, actor, app.partner_id)
    workflow.check(app, "grant")
    criteria = list(app.label.criteria.order_by("position"))
    reviews = {r.criterion_id: r for r in CriterionReview.objects.filter(application=app)}
    undecided = [c for c in criteria if c.pk not in reviews]
    if undecided:
        raise DomainError(
            _("Decide every criterion first: %(criteria)s.")
            % {"criteria": "; ".join(f"{c.position}. {c.title}" for c in undecided)},
            code="undecided",
        )
    now = _now()
    not_met = [c for c in criteria if reviews[c.pk].verdict != CriterionReview.Verdict.MET]
    changes = {"reviewed_by": actor, "reviewed_at": now, "review_summary": summary.strip()}
    if not not_met:
        changes["decided_at"] = now
        workflow.apply(
            app, "grant", actor=actor, changes=changes, reason=summary.strip(), locked=True
        )
        notify(
            recipients=_partner_admins(app.partner_id),
            kind="certification.label.granted",
            title=_("Capability label granted: %(label)s") % {"label": app.label},
            body=summary.strip(),
            link=_application_link(app),
        )
        return app
    deadline = deadline_after(now, DEFENSE_WINDOW_WORKING_DAYS)
    changes["defense_deadline"] = deadline
    workflow.apply(
        app,
        "fail_review",
        actor=actor,
        changes=changes,
        reason=summary.strip(),
        data={"not_met": [c.pk for c in not_met]},
        locked=True,
    )
    notify(
        recipients=_partner_admins(app.partner_id),
        kind="certification.label.review_failed",
        title=_("Capability label not passed: %(label)s") % {"label": app.label},
        body=_(
            "Criteria not met: %(criteria)s. If you disagree, request an online defense "
            "within %(n)s working days."
        )
        % {
            "criteria": "; ".join(f"{c.position}. {c.title}" for c in not_met),
            "n": DEFENSE_WINDOW_WORKING_DAYS,
        },
        link=_application_link(app),
    )
    return app


@transaction.atomic
def label_accept_result(*, actor, application) -> LabelApplication:
    app = _lock_application(application)
    _require(By.PARTNER, actor, app.partner_id)
    workflow.apply(app, "accept_result", actor=actor, changes={"decided_at": _now()}, locked=True)
    if app.reviewed_by_id:
        notify(
            recipients=[app.reviewed_by],
            kind="certification.label.result_accepted",
            title=_("The partner accepted the review result: %(label)s, %(partner)s")
            % {"label": app.label, "partner": app.partner},
            link=_application_link(app),
            email=False,
        )
    return app


@transaction.atomic
def label_request_defense(
    *,
    actor,
    application,
    channel: str,
    criteria: Iterable[LabelCriterion],
    statement: str,
) -> Defense:
    """The partner disputes criteria and asks for an online defense through its PDM or a
    certification specialist, before the defense window closes."""
    app = _lock_application(application)
    _require(By.PARTNER, actor, app.partner_id)
    workflow.check(app, "request_defense")
    if app.defense_deadline and _now() > app.defense_deadline:
        raise DomainError(_("The time to request a defense has ended."), code="window_closed")
    if channel not in Defense.Channel.values:
        raise DomainError(_("Choose through whom to request the defense."), field="channel")
    not_met = set(
        CriterionReview.objects.filter(
            application=app, verdict=CriterionReview.Verdict.NOT_MET
        ).values_list("criterion_id", flat=True)
    )
    chosen = list({c.pk: c for c in criteria}.values())
    if not chosen:
        raise DomainError(_("Choose the criteria you dispute."), field="criteria")
    if any(c.pk not in not_met for c in chosen):
        raise DomainError(_("Only criteria that were not met can be disputed."), field="criteria")
    if not statement.strip():
        raise DomainError(
            _("Explain what you disagree with and what you will show."), field="statement"
        )
    if channel == Defense.Channel.PDM:
        organizer = pdm_of(app.partner_id)
        if organizer is None:
            raise DomainError(
                _("Your company has no PDM: ask a certification specialist instead."),
                field="channel",
            )
        recipients = [organizer]
    else:
        reviewer = app.reviewed_by
        organizer = reviewer if reviewer and REVIEW_CERTIFICATION.allows(reviewer) else None
        recipients = [organizer] if organizer else list(_specialists())
    defense = Defense.objects.create(
        application=app,
        channel=channel,
        organizer=organizer,
        statement=statement.strip(),
        requested_by=actor,
    )
    defense.disputed_criteria.set(chosen)
    workflow.apply(
        app,
        "request_defense",
        actor=actor,
        reason=statement.strip(),
        data={"channel": channel, "criteria": [c.pk for c in chosen]},
        locked=True,
    )
    notify(
        recipients=recipients,
        kind="certification.defense.requested",
        title=_("Online defense requested: %(label)s, %(partner)s")
        % {"label": app.label, "partner": app.partner},
        body=statement.strip(),
        link=_application_link(app),
    )
    return defense


@transaction.atomic
def defense_schedule(
    *,
    actor,
    application,
    scheduled_at: datetime,
    meeting_link: str,
    experts: Iterable[User] = (),
    external_experts: str = "",
    duration_minutes: int = 60,
) -> Defense:
    """Set (or change) the time, meeting link and review experts of a defense."""
    app = _lock_application(application)
    _require(By.ORGANIZER, actor, app.partner_id)
    name = "reschedule_defense" if app.state == L.DEFENSE_SCHEDULED else "schedule_defense"
    workflow.check(app, name)
    if scheduled_at is None or scheduled_at <= _now():
        raise DomainError(_("Choose a time in the future."), field="scheduled_at")
    link = (meeting_link or "").strip()
    if not link.lower().startswith("https://"):
        raise DomainError(_("Enter the online meeting's https:// link."), field="meeting_link")
    if not 15 <= int(duration_minutes or 0) <= 480:
        raise DomainError(_("A defense lasts 15 to 480 minutes."), field="duration_minutes")
    expert_list = list({u.pk: u for u in experts}.values())
    if any(u.role not in VENDOR_ROLES for u in expert_list):
        raise DomainError(_("Review experts are vendor staff."), field="experts")
    if not expert_list and not external_experts.strip():
        raise DomainError(_("Name at least one review expert."), field="experts")
    defense = Defense.objects.select_for_update().get(application=app)
    defense.scheduled_at = scheduled_at
    defense.meeting_link = link
    defense.duration_minutes = int(duration_minutes)
    defense.external_experts = external_experts.strip()
    defense.scheduled_by = actor
    if defense.organizer_id is None:
        defense.organizer = actor
    defense.save(
        update_fields=[
            "scheduled_at",
            "meeting_link",
            "duration_minutes",
            "external_experts",
            "scheduled_by",
            "organizer",
        ]
    )
    defense.experts.set(expert_list)
    when = timezone.localtime(scheduled_at).strftime("%Y-%m-%d %H:%M")
    workflow.apply(
        app,
        name,
        actor=actor,
        reason=when,
        data={
            "scheduled_at": scheduled_at.isoformat(),
            "meeting_link": link,
            "experts": [u.pk for u in expert_list],
            "external_experts": defense.external_experts,
        },
        locked=True,
    )
    recipients = {u.pk: u for u in [*_partner_admins(app.partner_id), *expert_list]}
    if defense.organizer and defense.organizer.pk != getattr(actor, "pk", None):
        recipients[defense.organizer.pk] = defense.organizer
    notify(
        recipients=recipients.values(),
        kind="certification.defense.scheduled",
        title=_("Online defense on %(when)s: %(label)s, %(partner)s")
        % {"when": when, "label": app.label, "partner": app.partner},
        body=_("Meeting link: %(link)s") % {"link": link},
        link=_application_link(app),
    )
    return defense


@transaction.atomic
def defense_record_outcome(
    *, actor, application, verdicts: dict[int, tuple[str, str]], notes: str
) -> LabelApplication:
    """Record what the defense showed: a verdict per disputed criterion. The label is
    granted when every criterion of the label is met afterwards, refused otherwise."""
    app = _lock_application(application)
    _require(By.REVIEWER, actor, app.partner_id)
    workflow.check(app, "defense_grant")
    defense = Defense.objects.select_for_update().get(application=app)
    now = _now()
    if defense.scheduled_at is None or now < defense.scheduled_at:
        raise DomainError(
            _("The defense has not taken place yet; record the outcome after it."),
            code="too_early",
        )
    if not notes.strip():
        raise DomainError(_("Summarise the defense in the notes."), field="notes")
    disputed = list(defense.disputed_criteria.order_by("position"))
    for criterion in disputed:
        if criterion.pk not in verdicts:
            raise DomainError(
                _("Give a verdict for criterion %(n)s.") % {"n": criterion.position},
                field=f"verdict_{criterion.pk}",
            )
        verdict, comment = verdicts[criterion.pk]
        _check_verdict(verdict, comment, field_prefix="")
        CriterionReview.objects.filter(application=app, criterion=criterion).update(
            verdict=verdict,
            comment=comment.strip(),
            reviewer=actor,
            decided_at=now,
            revised_in_defense=True,
        )
    all_met = (
        not CriterionReview.objects.filter(application=app)
        .exclude(verdict=CriterionReview.Verdict.MET)
        .exists()
    )
    outcome = Defense.Outcome.GRANTED if all_met else Defense.Outcome.REFUSED
    defense.outcome = outcome
    defense.outcome_notes = notes.strip()
    defense.outcome_by = actor
    defense.outcome_at = now
    defense.save(update_fields=["outcome", "outcome_notes", "outcome_by", "outcome_at"])
    workflow.apply(
        app,
        "defense_grant" if all_met else "defense_refuse",
        actor=actor,
        changes={"decided_at": now},
        reason=notes.strip(),
        data={"verdicts": {str(k): v[0] for k, v in verdicts.items()}},
        locked=True,
    )
    recipients = {u.pk: u for u in _partner_admins(app.partner_id)}
    if defense.organizer and defense.organizer.pk != actor.pk:
        recipients[defense.organizer.pk] = defense.organizer
    notify(
        recipients=recipients.values(),
        kind=f"certification.defense.{outcome}",
        title=(
            _("Defense outcome: %(label)s granted")
            if all_met
            else _("Defense outcome: %(label)s refused")
        )
        % {"label": app.label},
        body=notes.strip(),
        link=_application_link(app),
    )
    return app


def close_expired_defense_windows(*, now: datetime | None = None, batch_size: int = 1000) -> int:
    """Refuse, in one set-based pass, applications whose defense window closed without a
    request. Safe to run late or twice: only rows still waiting change."""
    now = now or _now()
    step = LABEL["close_defense_window"]
    total = 0
    while True:
        with transaction.atomic():
            rows = list(
                LabelApplication.objects.select_for_update(skip_locked=True)
                .filter(state__in=step.sources, defense_deadline__lt=now)
                .order_by("pk")
                .values_list("pk", "partner_id", "label_id")[:batch_size]
            )
            if not rows:
                return total
            ids = [pk for pk, _p, _l in rows]
            changed = LabelApplication.objects.filter(pk__in=ids, state__in=step.sources).update(
                state=step.target, decided_at=now
            )
            record_events_bulk(
                model=LabelApplication,
                verb=LABEL.verb("close_defense_window"),
                rows=[
                    PendingEvent(
                        subject_id=pk,
                        partner_id=partner_id,
                        from_state=L.REVIEW_FAILED,
                        to_state=step.target,
                    )
                    for pk, partner_id, _l in rows
                ],
                at=now,
            )
            labels = {
                label.pk: label
                for label in CapabilityLabel.objects.filter(pk__in={lbl for _a, _b, lbl in rows})
            }
            for pk, partner_id, label_id in rows:
                notify(
                    recipients=_partner_admins(partner_id),
                    kind="certification.label.refused",
                    title=_("Capability label refused: %(label)s") % {"label": labels[label_id]},
                    body=_("No online defense was requested in time."),
                    link=reverse("certification:label-application-detail", args=[pk]),
                )
            total += changed
