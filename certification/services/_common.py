"""Limits, state aliases and helpers shared by the certification service areas:
who may act, stored attachments, refusal reasons."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center import workflow
from partner_center.accounts.access import require
from partner_center.accounts.models import User
from partner_center.errors import DomainError, NotAllowed
from partner_center.notifications.messages import Message, join
from partner_center.notifications.recipients import certification_specialists, partner_admins
from partner_center.notifications.services import notify
from partner_center.workflow import By

from .. import uploads
from ..models import (
    Attachment,
    BankCardCertification,
    EnterpriseCertification,
    LabelApplication,
)
from ..permissions import MANAGE_CERTIFICATION, REVIEW_CERTIFICATION
from ..selectors import is_pdm_of

# [our rules] limits a reviewer can read through; the defense window in working days.
MAX_STAFF = 10
MAX_OTHER_CERTIFICATES = 5
MAX_EVIDENCE_PER_CRITERION = 10
DEFENSE_WINDOW_WORKING_DAYS = 5

E = EnterpriseCertification.State
B = BankCardCertification.State
L = LabelApplication.State


# Who may act ----------------------------------------------------------------------------


def _require(by: str, actor: User | None, partner_id: int) -> None:
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


def _store_checked(
    upload, checked, *, partner_id: int, purpose: str, actor: User | None
) -> Attachment:
    """Write the file and its row. Callers run this inside their transaction and, if a
    later part of the step fails, remove the file with `uploads.delete_quietly`."""
    path = uploads.store(upload, checked, folder=purpose.replace("_", "-"))
    try:
        return Attachment.objects.create(
            partner_id=partner_id,
            purpose=purpose,
            path=path,
            **checked.stored_fields(),
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
            from ..previews import preview_path

            for path in paths:
                uploads.delete_quietly(path)
                uploads.delete_quietly(preview_path(path))

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


def _reasons_text(codes: list[str], choices, comment: str = "") -> Message:
    """The reasons' labels (in the reader's language), then the reviewer's comment."""
    labels = dict(choices.choices)
    reasons = join(*(labels[c] for c in codes), sep="; ")
    return join(reasons, comment.strip()) if comment.strip() else reasons


# The reviewer's decision --------------------------------------------------------------------


def _decide(
    model,
    certification,
    step: str,
    *,
    actor: User,
    comment: str,
    reasons: Iterable[str] = (),
    kind: str,
    title,
    body="",
    url_name: str,
):
    """Approve or reject a certification under review (enterprise, bank card): lock it, check
    the reviewer, check the reasons of a rejection, record who decided when (and why) through
    the workflow, then tell the partner's admins (`title(cert)`; a rejection's body is its
    reasons, an approval's `body`)."""
    cert = model.objects.select_for_update().get(pk=certification.pk)
    _require(By.REVIEWER, actor, cert.partner_id)
    comment = comment.strip()
    codes: list[str] = []
    if step == "reject":
        workflow.check(cert, step)
        codes = _check_reasons(reasons, comment, model.RejectReason)
        body = _reasons_text(codes, model.RejectReason, comment)
    workflow.apply(
        cert,
        step,
        actor=actor,
        changes={
            "decided_by": actor,
            "decided_at": _now(),
            "reject_reasons": codes,
            "decision_comment": comment,
        },
        reason=comment,
        data={"reasons": codes} if step == "reject" else None,
        locked=True,
    )
    notify(
        recipients=_partner_admins(cert.partner_id),
        kind=kind,
        title=title(cert),
        body=body,
        link=reverse(url_name, args=[cert.pk]),
    )
    return cert
