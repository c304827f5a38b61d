from django.db.models import Prefetch

from .access import is_vendor_staff, scope_to_partner
from .models import Partner, PartnerTypeMembership


def partners_for(user):
    """Partners the user may see: its own (and, for a distributor, its resellers); all for
    vendor staff. Types come prefetched."""
    qs = Partner.objects.prefetch_related(
        Prefetch(
            "type_memberships",
            queryset=PartnerTypeMembership.objects.filter(exited_at__isnull=True),
        )
    )
    if is_vendor_staff(user):
        return qs
    return scope_to_partner(qs, user, partner_field="pk") | qs.filter(
        parent_distributor_id=user.partner_id or -1
    )
