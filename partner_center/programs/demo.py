"""Demo: the core demo made PCE applications in every state (huayun, dingsheng, qihang
approved; zhiyuan waiting; xinrui rejected; boxue can't apply). Here BD is told about the
waiting one, and xinrui's rejected application gets its timeline."""

from django.urls import reverse

from partner_center.audit.services import record_event
from partner_center.notifications.services import notify

from .models import PCEApplication


def load(ctx) -> None:
    waiting = PCEApplication.objects.get(
        partner=ctx.partners["zhiyuan"], state=PCEApplication.State.APPLIED
    )
    record_event(actor=waiting.applied_by, subject=waiting, verb="pce.applied", to_state="applied")
    notify(
        recipients=[ctx.users["bd"], ctx.users["bd2"]],
        kind="programs.pce_applied",
        title=f"{waiting.partner} 申请加入 PCE 计划",
        link=reverse("programs:pce_review", kwargs={"pk": waiting.pk}),
        email=False,
    )
    rejected = PCEApplication.objects.get(
        partner=ctx.partners["xinrui"], state=PCEApplication.State.REJECTED
    )
    record_event(
        actor=rejected.applied_by, subject=rejected, verb="pce.applied", to_state="applied"
    )
    record_event(
        actor=rejected.decided_by,
        subject=rejected,
        verb="pce.rejected",
        from_state="applied",
        to_state="rejected",
        reason=rejected.decision_reason,
    )
