from .models import PCEApplication


def is_pce_member(partner_id: int | None) -> bool:
    """Only approved PCE members share POs and receive HOs."""
    if not partner_id:
        return False
    return PCEApplication.objects.filter(
        partner_id=partner_id, state=PCEApplication.State.APPROVED
    ).exists()
