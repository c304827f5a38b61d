"""Capability labels: applying, evidence, submitting and withdrawing."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from partner_center import workflow
from partner_center.accounts.models import Partner, User
from partner_center.errors import DomainError
from partner_center.notifications.messages import msg, names
from partner_center.notifications.services import notify
from partner_center.workflow import By

from .. import uploads
from ..models import (
    Attachment,
    CapabilityLabel,
    LabelApplication,
    LabelCriterion,
    LabelEvidence,
)
from ..transitions import LABEL
from ._common import (
    MAX_EVIDENCE_PER_CRITERION,
    L,
    _discard_after_commit,
    _now,
    _require,
    _specialists,
    _store_checked,
)


def _lock_application(application) -> LabelApplication:
    return (
        LabelApplication.objects.select_for_update().select_related("label").get(pk=application.pk)
    )


def _application_link(application) -> str:
    return reverse("certification:label-application-detail", args=[application.pk])


def label_apply(
    *, actor: User, partner: Partner, label: CapabilityLabel, statement: str = ""
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
def label_edit(*, actor: User, application, statement: str) -> LabelApplication:
    app = _lock_application(application)
    _require(By.PARTNER, actor, app.partner_id)
    workflow.apply(app, "edit", actor=actor, changes={"statement": statement.strip()}, locked=True)
    return app


def label_add_evidence(
    *, actor: User, application, criterion: LabelCriterion, upload, note: str = ""
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
def label_remove_evidence(*, actor: User, evidence: LabelEvidence) -> None:
    app = _lock_application(evidence.application)
    _require(By.PARTNER, actor, app.partner_id)
    workflow.check(app, "remove_evidence")
    attachment = evidence.attachment
    name = attachment.original_name
    evidence.delete()
    _discard_after_commit([attachment])
    workflow.apply(app, "remove_evidence", actor=actor, reason=name, locked=True)


@transaction.atomic
def label_submit(*, actor: User, application) -> LabelApplication:
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
    _tell_specialists(
        app,
        "certification.label.submitted",
        msg("Label application to review: %(label)s, %(partner)s", **_subject(app)),
    )
    return app


def _subject(app: LabelApplication) -> dict:
    """The label (in the reader's language) and the partner a message names."""
    return {"label": names(app.label.name_zh, app.label.name_en), "partner": app.partner.name}


def _tell_specialists(app: LabelApplication, kind: str, title, **kwargs) -> None:
    notify(
        recipients=_specialists(),
        kind=kind,
        title=title,
        link=_application_link(app),
        **kwargs,
    )


@transaction.atomic
def label_withdraw(*, actor: User, application, reason: str = "") -> LabelApplication:
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
        _tell_specialists(
            app,
            "certification.label.withdrawn",
            msg("Label application withdrawn: %(label)s, %(partner)s", **_subject(app)),
            email=False,
        )
    return app
