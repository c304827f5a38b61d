"""Enterprise certification: setup, uploads, submission and review."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from partner_center import workflow
from partner_center.accounts.models import Partner, User
from partner_center.errors import DomainError
from partner_center.notifications.messages import msg
from partner_center.notifications.services import notify
from partner_center.workflow import By

from .. import uploads
from ..models import (
    Attachment,
    AttachmentSlot,
    CertificationPerson,
    EnterpriseCertification,
)
from ..transitions import ENTERPRISE
from ._common import (
    MAX_OTHER_CERTIFICATES,
    MAX_STAFF,
    _decide,
    _discard_after_commit,
    _now,
    _require,
    _specialists,
    _store_checked,
)


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
    *, actor: User, partner: Partner, legal_person: str = "", staff=(), other_certificates=()
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
    *, actor: User, certification, legal_person: str = "", staff=(), other_certificates=()
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


def enterprise_upload(*, actor: User, certification, position: int, upload) -> AttachmentSlot:
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


def suggest_slots(slots: list[AttachmentSlot], count: int) -> list[int | None]:
    """The slot positions suggested for `count` files dropped at once, by order: the first
    file goes to the first empty slot, the next to the next empty slot, and so on (None when
    there are more files than empty slots)."""
    empty = [s.position for s in sorted(slots, key=lambda s: s.position) if not s.attachment_id]
    return [empty[i] if i < len(empty) else None for i in range(count)]


def enterprise_upload_many(
    *, actor: User, certification, files: list, positions: list[int | None] | None = None
) -> list[AttachmentSlot]:
    """Put several files into their slots in one step ([our rule] all or nothing).

    `positions[i]` is the slot chosen for `files[i]`; a missing choice takes the suggestion
    by order (`suggest_slots`). Every file is checked first: if one is refused, the message
    names each refused file and nothing is stored. After the batch, every slot that receives
    a file must have all earlier slots filled (by an earlier upload or by this batch). The
    timeline gets one event for the batch."""
    files = [f for f in files if f is not None]
    if not files:
        raise DomainError(_("Choose at least one file."), field="files", code="no_files")
    refused: list[str] = []
    checked = []
    for upload in files:
        try:
            checked.append(uploads.check_upload(upload, field="files"))
        except DomainError as exc:
            refused.append(str(exc.message))
    if refused:
        raise DomainError(
            _("Nothing was uploaded. %(problems)s") % {"problems": " ".join(refused)},
            field="files",
            code="bad_file",
        )
    stored: list[str] = []
    try:
        with transaction.atomic():
            cert = _lock_enterprise(certification)
            _require(By.PARTNER, actor, cert.partner_id)
            workflow.check(cert, "upload_batch")
            slots = list(cert.slots.select_related("person", "attachment").order_by("position"))
            by_position = {s.position: s for s in slots}
            chosen = _batch_positions(slots, len(files), positions)
            targets = set(chosen)
            for position in sorted(targets):
                earlier_empty = [
                    s
                    for s in slots
                    if s.position < position
                    and s.attachment_id is None
                    and s.position not in targets
                ]
                if earlier_empty:
                    first = earlier_empty[0]
                    raise DomainError(
                        _(
                            "Attachments go in order: slot %(n)s (%(label)s) needs a file "
                            "before slot %(this)s."
                        )
                        % {"n": first.position, "label": first.label, "this": position},
                        field="files",
                        code="order",
                    )
            done = []
            replaced = []
            for upload, check, position in zip(files, checked, chosen, strict=True):
                slot = by_position[position]
                attachment = _store_checked(
                    upload,
                    check,
                    partner_id=cert.partner_id,
                    purpose=Attachment.Purpose.ENTERPRISE,
                    actor=actor,
                )
                stored.append(attachment.path)
                if slot.attachment is not None:
                    replaced.append(slot.attachment)
                slot.attachment = attachment
                done.append(slot)
            AttachmentSlot.objects.bulk_update(done, ["attachment"])
            _discard_after_commit(replaced)
            workflow.apply(
                cert,
                "upload_batch",
                actor=actor,
                data={
                    "files": [
                        {
                            "position": s.position,
                            "slot": s.kind,
                            "person": s.person.name if s.person_id else "",
                            "title": s.title,
                            "name": s.attachment.original_name,
                        }
                        for s in sorted(done, key=lambda s: s.position)
                    ],
                    "replaced": len(replaced),
                },
                locked=True,
            )
    except BaseException:
        for path in stored:
            uploads.delete_quietly(path)
        raise
    return sorted(done, key=lambda s: s.position)


def _batch_positions(slots, count: int, positions) -> list[int]:
    suggested = suggest_slots(slots, count)
    valid = {s.position for s in slots}
    chosen: list[int] = []
    for i in range(count):
        given = positions[i] if positions and i < len(positions) else None
        position = given or suggested[i]
        if position is None:
            raise DomainError(
                _("More files than empty slots: choose a slot for each file."),
                field="files",
                code="too_many_files",
            )
        if position not in valid:
            raise DomainError(_("There is no slot with this number."), field="files")
        chosen.append(position)
    if len(set(chosen)) != len(chosen):
        raise DomainError(
            _("Two files are assigned to the same slot: choose a different slot for each file."),
            field="files",
            code="same_slot",
        )
    return chosen


@transaction.atomic
def enterprise_submit(*, actor: User, certification) -> EnterpriseCertification:
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
        title=msg("Enterprise certification to review: %(partner)s", partner=cert.partner.name),
        body=msg("%(n)s attachments were submitted in the required order.", n=len(slots)),
        link=reverse("certification:enterprise-detail", args=[cert.pk]),
    )
    return cert


@transaction.atomic
def enterprise_approve(*, actor: User, certification, comment: str = "") -> EnterpriseCertification:
    return _decide(
        EnterpriseCertification,
        certification,
        "approve",
        actor=actor,
        comment=comment,
        kind="certification.enterprise.approved",
        title=lambda cert: msg("Your enterprise certification is approved"),
        body=comment.strip(),
        url_name="certification:enterprise-detail",
    )


@transaction.atomic
def enterprise_reject(
    *, actor: User, certification, reasons: Iterable[str], comment: str = ""
) -> EnterpriseCertification:
    return _decide(
        EnterpriseCertification,
        certification,
        "reject",
        actor=actor,
        comment=comment,
        reasons=reasons,
        kind="certification.enterprise.rejected",
        title=lambda cert: msg("Your enterprise certification was rejected"),
        url_name="certification:enterprise-detail",
    )


def enterprise_revise(*, actor: User, certification) -> EnterpriseCertification:
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
