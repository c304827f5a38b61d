"""Capability labels: the reviewer's verdicts and the partner's acceptance."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from partner_center import workflow
from partner_center.accounts.models import User
from partner_center.errors import DomainError
from partner_center.notifications.messages import join, msg, names
from partner_center.notifications.services import notify
from partner_center.workdays import deadline_after
from partner_center.workflow import By

from ..models import (
    CriterionReview,
    LabelApplication,
    LabelCriterion,
)
from ._common import DEFENSE_WINDOW_WORKING_DAYS, _now, _partner_admins, _require
from .labels import _application_link, _lock_application


def _check_verdict(verdict: str, comment: str, field_prefix: str = "") -> None:
    if verdict not in CriterionReview.Verdict.values:
        raise DomainError(_("Choose met or not met."), field=f"{field_prefix}verdict")
    if verdict == CriterionReview.Verdict.NOT_MET and not comment.strip():
        raise DomainError(
            _("Say in the comment why the criterion is not met."), field=f"{field_prefix}comment"
        )


@transaction.atomic
def label_decide_criterion(
    *, actor: User, application, criterion: LabelCriterion, verdict: str, comment: str = ""
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
def label_conclude(*, actor: User, application, summary: str = "") -> LabelApplication:
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
            title=msg(
                "Capability label granted: %(label)s",
                label=names(app.label.name_zh, app.label.name_en),
            ),
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
        title=msg(
            "Capability label not passed: %(label)s",
            label=names(app.label.name_zh, app.label.name_en),
        ),
        body=msg(
            "Criteria not met: %(criteria)s. If you disagree, request an online defense "
            "within %(n)s working days.",
            criteria=join(
                *(
                    names(f"{c.position}. {c.title_zh}", f"{c.position}. {c.title_en}")
                    for c in not_met
                ),
                sep="; ",
            ),
            n=DEFENSE_WINDOW_WORKING_DAYS,
        ),
        link=_application_link(app),
    )
    return app


@transaction.atomic
def label_accept_result(*, actor: User, application) -> LabelApplication:
    app = _lock_application(application)
    _require(By.PARTNER, actor, app.partner_id)
    workflow.apply(app, "accept_result", actor=actor, changes={"decided_at": _now()}, locked=True)
    if app.reviewed_by_id:
        notify(
            recipients=[app.reviewed_by],
            kind="certification.label.result_accepted",
            title=msg(
                "The partner accepted the review result: %(label)s, %(partner)s",
                label=names(app.label.name_zh, app.label.name_en),
                partner=app.partner.name,
            ),
            link=_application_link(app),
            email=False,
        )
    return app
