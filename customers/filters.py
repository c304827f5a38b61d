"""Filters shared by the list pages and the API."""

import django_filters as df
from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partner_center.filters import (
    SearchFilter,
    SortFilter,
    StyledFilterSet,
    YesNoFilter,
    date_range,
)

from .models import (
    Association,
    Attribution,
    BillingModel,
    ConsumptionRecord,
    Invitation,
    Order,
    Resource,
    Voucher,
)
from .selectors import EXPIRING_SOON_DAYS, expiring_soon_q

SEARCH_WIDGET = forms.TextInput(attrs={"placeholder": _("Name, account or e-mail")})


class AssociationFilter(StyledFilterSet):
    q = SearchFilter(
        label=_("Search"),
        fields=("customer__name", "customer__account_name", "customer__contact_email"),
        widget=SEARCH_WIDGET,
    )
    state = df.ChoiceFilter(label=_("State"), choices=Association.State.choices)
    billing_model = df.ChoiceFilter(label=_("Billing model"), choices=BillingModel.choices)
    frozen = YesNoFilter(label=_("Account frozen"), field_name="account__frozen")
    new_customer = YesNoFilter(label=_("New customer"), method="filter_new_customer")
    associated_after, associated_before = date_range(
        "associated_at", _("Associated from"), _("Associated until")
    )
    sort = SortFilter(
        label=_("Sort by"),
        fields=(
            ("associated_at", "associated_at"),
            ("customer__name", "name"),
            ("account__balance", "balance"),
        ),
        field_labels={
            "associated_at": _("Associated at"),
            "customer__name": _("Name"),
            "account__balance": _("Balance"),
        },
    )

    class Meta:
        model = Association
        fields = ["q", "state", "billing_model", "frozen", "new_customer"]

    def filter_new_customer(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(new_customer_at__isnull=not value)


class InvitationFilter(StyledFilterSet):
    state = df.ChoiceFilter(
        label=_("State"),
        method="filter_state",
        choices=[*Invitation.State.choices, ("expired", _("Expired"))],
    )

    class Meta:
        model = Invitation
        fields = ["state"]

    def filter_state(self, queryset, name, value):
        now = timezone.now()
        if value == "expired":
            return queryset.filter(state=Invitation.State.PENDING, expires_at__lte=now)
        if value == Invitation.State.PENDING:
            return queryset.filter(state=value, expires_at__gt=now)
        return queryset.filter(state=value)


class ResourceFilter(StyledFilterSet):
    q = SearchFilter(
        label=_("Search"),
        fields=("name", "resource_id", "customer__name", "customer__account_name"),
        widget=SEARCH_WIDGET,
    )
    expiring = YesNoFilter(
        label=_("Expiring soon"),
        method="filter_expiring",
        # Lazy: formatted in the reader's language, not in the language of the import.
        help_text=lazy(
            lambda: gettext("Within %(days)s days") % {"days": EXPIRING_SOON_DAYS}, str
        )(),
    )
    status = df.ChoiceFilter(label=_("Status"), choices=Resource.Status.choices)
    auto_renew = YesNoFilter(label=_("Auto-renew"))
    period_unit = df.ChoiceFilter(label=_("Billing mode"), choices=Resource.PeriodUnit.choices)
    sort = SortFilter(
        label=_("Sort by"),
        fields=(("expires_at", "expires_at"), ("customer__name", "customer")),
        field_labels={"expires_at": _("Expiry"), "customer__name": _("Customer")},
    )

    class Meta:
        model = Resource
        fields = ["q", "expiring", "status", "auto_renew", "period_unit"]

    def filter_expiring(self, queryset, name, value):
        return queryset.filter(expiring_soon_q()) if value else queryset.exclude(expiring_soon_q())


class OrderFilter(StyledFilterSet):
    q = SearchFilter(
        label=_("Search"),
        fields=(
            "order_no",
            "customer__name",
            "customer__account_name",
            "product__code",
            "product__name",
        ),
    )
    order_type = df.ChoiceFilter(label=_("Order type"), choices=Order.Type.choices)
    billing_period = df.CharFilter(
        label=_("Billing period"), widget=forms.TextInput(attrs={"placeholder": "2026-01"})
    )
    attributed_to = df.ChoiceFilter(label=_("Booked to"), choices=Attribution.choices)
    formed_after, formed_before = date_range("formed_at", _("Formed from"), _("Formed until"))
    sort = SortFilter(
        label=_("Sort by"),
        fields=(("formed_at", "formed_at"), ("amount", "amount")),
        field_labels={"formed_at": _("Formed at"), "amount": _("Amount")},
    )

    class Meta:
        model = Order
        fields = ["q", "order_type", "billing_period", "attributed_to"]


class ConsumptionFilter(StyledFilterSet):
    billing_period = df.CharFilter(label=_("Billing period"))
    attributed_to = df.ChoiceFilter(label=_("Booked to"), choices=Attribution.choices)
    customer = df.CharFilter(label=_("Customer account"), field_name="customer__account_name")

    class Meta:
        model = ConsumptionRecord
        fields = ["billing_period", "attributed_to", "customer"]


class VoucherFilter(StyledFilterSet):
    q = SearchFilter(label=_("Search"), fields=("code", "customer__name", "customer__account_name"))
    state = df.ChoiceFilter(
        label=_("State"),
        method="filter_state",
        choices=[(k, v) for k, v in Voucher.STATE_LABELS.items()],
    )

    class Meta:
        model = Voucher
        fields = ["q", "state"]

    def filter_state(self, queryset, name, value):
        now = timezone.now()
        if value == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        live = queryset.filter(revoked_at__isnull=True)
        if value == "used_up":
            return live.filter(account__balance__lte=0)
        if value == "expired":
            return live.filter(account__balance__gt=0, valid_until__lte=now)
        return live.filter(account__balance__gt=0, valid_until__gt=now)
