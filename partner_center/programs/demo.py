"""Demo: the core demo made PCE applications in every state (huayun, dingsheng, qihang
approved; zhiyuan waiting; xinrui rejected; boxue can't apply). Here BD is told about the
waiting one, and xinrui's rejected application gets its timeline."""

from django.urls import reverse

from partner_center.audit.services import record_event
from partner_center.notifications.messages import msg
from partner_center.notifications.services import notify

from .models import PCEApplication
from .transitions import PCE


def load(ctx) -> None:
    waiting = PCEApplication.objects.get(
        partner=ctx.partners["zhiyuan"], state=PCEApplication.State.APPLIED
    )
    PCE.record_created(waiting, "apply", actor=waiting.applied_by)
    notify(
        recipients=[ctx.users["bd"], ctx.users["bd2"]],
        kind="programs.pce_applied",
        title=msg("%(partner)s applied to the PCE program", partner=waiting.partner.name),
        link=reverse("programs:pce_review", kwargs={"pk": waiting.pk}),
        email=False,
    )
    rejected = PCEApplication.objects.get(
        partner=ctx.partners["xinrui"], state=PCEApplication.State.REJECTED
    )
    # Its state was set by the core demo: the events are written as the table has them.
    record_event(
        actor=rejected.applied_by,
        subject=rejected,
        verb=PCE.verb("apply"),
        to_state=PCE["apply"].target,
    )
    record_event(
        actor=rejected.decided_by,
        subject=rejected,
        verb=PCE.verb("reject"),
        from_state=PCE["apply"].target,
        to_state=PCE["reject"].target,
        reason=rejected.decision_reason,
    )
