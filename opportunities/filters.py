"""Filters and sorting for opportunity lists, shared by the pages and the API."""

import django_filters
from django import forms
from django.db.models import Exists
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partner_center.accounts.access import is_vendor_staff
from partner_center.accounts.models import Partner
from partner_center.filters import SortFilter, date_range
from partner_center.forms import style_fields
from partner_center.validators import validate_date_range
from partner_center.workdays import deadline_after

from .catalog import LostReason
from .models import DuplicatePair, Opportunity, VendorLead
from .transitions import SLA_OPEN_STATES

S = Opportunity.State


def _style(filterset) -> None:
    style_fields(filterset.form.fields, small=True)


class DeadlineSoonMixin:
    def filter_deadline_soon(self, queryset, name, value):
        """Clock running and at most one working day left (or already past)."""
        if not value:
            return queryset
        limit = deadline_after(timezone.now(), 1)
        return queryset.filter(state__in=SLA_OPEN_STATES, deadline__lte=limit)


KIND_STATES = {
    Opportunity.Kind.PO: (
        S.DRAFT,
        S.SUBMITTED,
        S.UNDER_VERIFICATION,
        S.RETURNED,
        S.VERIFIED,
        S.REJECTED,
    ),
    Opportunity.Kind.HO: (S.PENDING, S.ACCEPTED, S.DECLINED, S.EXPIRED),
}


# "Action needed" (issue [5]): what waits for the partner (its drafts, POs returned for
# changes, HOs to accept) or for BD (POs to review or verify).
PARTNER_ACTION_STATES = (S.DRAFT, S.RETURNED, S.PENDING)
BD_ACTION_STATES = (S.SUBMITTED, S.UNDER_VERIFICATION)


def action_states(user) -> tuple:
    return BD_ACTION_STATES if user is not None and is_vendor_staff(user) else PARTNER_ACTION_STATES


def owned_by(queryset, user):
    """The user's own deals: a partner user's as owner, vendor staff's as BD owner."""
    if user is None or not user.is_authenticated:
        return queryset.none()
    if is_vendor_staff(user):
        return queryset.filter(bd_owner=user)
    return queryset.filter(owner=user)


class OpportunityFilter(DeadlineSoonMixin, django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Opportunity.Kind.choices, empty_label=_("All")
    )
    state = django_filters.ChoiceFilter(label=_("State"), choices=S.choices, empty_label=_("All"))
    customer = django_filters.CharFilter(
        label=_("Customer"),
        method="filter_customer",
        widget=forms.TextInput(attrs={"placeholder": _("Name or credit code")}),
    )
    created_after, created_before = date_range(
        "created_at", _("Created from"), _("Created until"), validators=[validate_date_range]
    )
    deadline_soon = django_filters.BooleanFilter(
        label=_("Deadline soon"), method="filter_deadline_soon", widget=forms.CheckboxInput
    )
    # Deals closed lost, by reason (collab, issue [5]).
    lost_reason = django_filters.ChoiceFilter(
        label=_("Lost reason"), choices=LostReason.choices, empty_label=_("All")
    )
    # Issue [5]: my deals (partner: owner = me; vendor: BD owner = me), and what waits for me.
    mine = django_filters.BooleanFilter(
        label=_("Mine"), method="filter_mine", widget=forms.CheckboxInput
    )
    action_needed = django_filters.BooleanFilter(
        label=_("Action needed"), method="filter_action_needed", widget=forms.CheckboxInput
    )
    # A text field, not a <select> of every partner (1,000 options were most of the page).
    partner = django_filters.CharFilter(
        label=_("Partner"),
        method="filter_partner",
        widget=forms.TextInput(attrs={"placeholder": _("Partner name or ID")}),
    )
    sort = SortFilter(
        label=_("Sort by"),
        empty_label=_("Default order"),
        fields=(
            ("created_at", "created"),
            ("deadline", "deadline"),
            ("amount", "amount"),
            ("customer_name", "customer"),
            ("expected_close_date", "close_date"),
        ),
        field_labels={
            "created_at": _("Created on"),
            "deadline": _("Deadline"),
            "amount": _("Amount"),
            "customer_name": _("Customer"),
            "expected_close_date": _("Close date"),
        },
    )

    class Meta:
        model = Opportunity
        fields: list[str] = []

    def __init__(self, *args, user=None, kind=None, states=None, **kwargs):
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        user = user or getattr(request, "user", None)
        self.user = user
        if user is None or not is_vendor_staff(user):
            # A partner never sees the list of other partners.
            self.filters.pop("partner")
        if kind:  # a list of one kind (HO inbox, review queue): no kind filter
            self.filters.pop("kind")
            states = states or KIND_STATES[kind]
        if states:
            self.filters["state"].extra["choices"] = [(s, S(s).label) for s in states]
        _style(self)

    def filter_mine(self, queryset, name, value):
        return owned_by(queryset, self.user) if value else queryset

    def filter_action_needed(self, queryset, name, value):
        return queryset.filter(state__in=action_states(self.user)) if value else queryset

    def filter_partner(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value.isdigit():
            return queryset.filter(partner_id=int(value))
        return queryset.filter(
            partner__in=Partner.objects.filter(name__icontains=value).values("pk")
        )

    def filter_customer(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        from django.db.models import Q

        return queryset.filter(
            Q(customer_name__icontains=value) | Q(customer_credit_code=value.upper())
        )


class LeadFilter(django_filters.FilterSet):
    STATUS = (
        ("pool", _("In the pool")),
        ("pending", _("Pending acceptance")),
        ("accepted", _("Accepted")),
        ("closed", _("Closed")),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS, method="filter_status", empty_label=_("All")
    )
    customer = django_filters.CharFilter(
        label=_("Customer"), field_name="customer_name", lookup_expr="icontains"
    )
    mine = django_filters.BooleanFilter(
        label=_("Mine"), method="filter_mine", widget=forms.CheckboxInput
    )
    sort = SortFilter(
        label=_("Sort by"),
        empty_label=_("Default order"),
        fields=(
            ("crm_created_at", "crm_created"),
            ("customer_name", "customer"),
            ("amount", "amount"),
        ),
        field_labels={
            "crm_created_at": _("CRM creation time"),
            "customer_name": _("Customer"),
            "amount": _("Amount"),
        },
    )

    class Meta:
        model = VendorLead
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if not value:
            return queryset
        if user is None or not user.is_authenticated:
            return queryset.none()
        return queryset.filter(bd_owner=user)

    def filter_status(self, queryset, name, value):
        if value == "closed":
            return queryset.filter(closed_at__isnull=False)
        if value == "pool":
            # The per-row share lookup (not NOT EXISTS, which PostgreSQL plans as a hash of
            # every live share) stops as soon as the page is full.
            return queryset.filter(share_id__isnull=True, closed_at__isnull=True)
        from .selectors import live_share_of_lead

        return queryset.filter(Exists(live_share_of_lead().filter(state=value)))


class DuplicateFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Pair"),
        choices=(("po_po", _("PO and PO")), ("po_ho", _("PO and HO"))),
        method="filter_kind",
        empty_label=_("All"),
    )
    customer = django_filters.CharFilter(
        label=_("Customer"), field_name="po__customer_name", lookup_expr="icontains"
    )

    class Meta:
        model = DuplicatePair
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def filter_kind(self, queryset, name, value):
        if value == "po_po":
            return queryset.filter(other_po__isnull=False)
        if value == "po_ho":
            return queryset.filter(lead__isnull=False)
        return queryset
