from django.db.models import QuerySet

from partner_center.accounts.access import scope_to_partner

from .models import PCEApplication


def is_pce_member(partner_id: int | None) -> bool:
    """Only approved PCE members share POs and receive HOs."""
    if not partner_id:
        return False
    return PCEApplication.objects.filter(
        partner_id=partner_id, state=PCEApplication.State.APPROVED
    ).exists()


def pce_applications_for(user) -> QuerySet[PCEApplication]:
    """The partner's own applications; every application for vendor staff."""
    qs = PCEApplication.objects.select_related("partner", "applied_by", "decided_by")
    return scope_to_partner(qs, user)


def current_pce_application(partner_id: int) -> PCEApplication | None:
    """The application that states the partner's PCE status: the open or approved one,
    else the latest decided one."""
    qs = PCEApplication.objects.filter(partner_id=partner_id).select_related("decided_by")
    return (
        qs.filter(state__in=[PCEApplication.State.APPLIED, PCEApplication.State.APPROVED]).first()
        or qs.order_by("-applied_at", "-id").first()
    )
