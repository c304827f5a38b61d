import django_filters
from django.utils.translation import gettext_lazy as _

from partner_center.filters import SearchFilter, SortFilter, StyledFilterSet

from .models import Membership


class MembershipFilter(StyledFilterSet):
    """Filters of the member list (page and API). Needs a queryset with `status`."""

    status = django_filters.ChoiceFilter(
        label=_("State"),
        choices=Membership.State.choices,
        field_name="status",
        empty_label=_("Any state"),
    )
    q = SearchFilter(label=_("Name or e-mail"), fields=("user__email", "user__full_name"))
    ordering = SortFilter(
        label=_("Sort by"),
        empty_label=_("Newest first"),
        fields=(
            ("invited_at", "invited_at"),
            ("linked_at", "linked_at"),
            ("user__email", "email"),
            ("status", "status"),
        ),
        field_labels={
            "invited_at": _("Invitation sent"),
            "linked_at": _("Linked period"),
            "user__email": _("E-mail"),
            "status": _("State"),
        },
    )

    class Meta:
        model = Membership
        fields = ["status"]
