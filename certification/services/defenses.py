"""Capability-label defenses: requesting, scheduling, outcomes and expired windows."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center import workflow
from partner_center.accounts.models import User
from partner_center.accounts.permissions import VENDOR_ROLES
from partner_center.audit.services import PendingEvent, record_events_bulk
from partner_center.errors import DomainError
from partner_center.notifications.messages import msg, names
from partner_center.notifications.services import notify
from partner_center.workflow import By

from ..models import (
    CapabilityLabel,
    CriterionReview,
    Defense,
    LabelApplication,
    LabelCriterion,
)
from ..permissions import REVIEW_CERTIFICATION
from ..selectors import pdm_of
from ..transitions import LABEL
from ._common import L, _now, _partner_admins, _require, _specialists
from .label_reviews import _check_verdict
from .labels import _application_link, _lock_application


@transaction.atomic
def label_request_defense(
    *,
    actor: User,
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
        title=msg(
            "Online defense requested: %(label)s, %(partner)s",
            label=names(app.label.name_zh, app.label.name_en),
            partner=app.partner.name,
        ),
        body=statement.strip(),
        link=_application_link(app),
    )
    return defense


@transaction.atomic
def defense_schedule(
    *,
    actor: User | None,
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
        title=msg(
            "Online defense on %(when)s: %(label)s, %(partner)s",
            when=when,
            label=names(app.label.name_zh, app.label.name_en),
            partner=app.partner.name,
        ),
        body=msg("Meeting link: %(link)s", link=link),
        link=_application_link(app),
    )
    return defense


@transaction.atomic
def defense_record_outcome(
    *, actor: User, application, verdicts: dict[int, tuple[str, str]], notes: str
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
        title=msg(
            "Defense outcome: %(label)s granted"
            if all_met
            else "Defense outcome: %(label)s refused",
            label=names(app.label.name_zh, app.label.name_en),
        ),
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
                    title=msg(
                        "Capability label refused: %(label)s",
                        label=names(labels[label_id].name_zh, labels[label_id].name_en),
                    ),
                    body=msg("No online defense was requested in time."),
                    link=reverse("certification:label-application-detail", args=[pk]),
                )
            total += changed
