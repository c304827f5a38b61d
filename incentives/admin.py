"""Django admin for incentives. Program periods (rates and rules) are edited here; performance
records and statements are read-only (they follow the orders and the period close); closing
a period and crediting missed orders are admin actions that call the services. Incentive
applications change state only through admin actions that call the same services as BD's
pages (publish with the computed basis, mark paid); their fields are read-only."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from partner_center.service_admin import KeptRecordAdmin, ReadOnlyAdmin, by_pk, per_object_action

from . import periods, services
from .models import (
    IncentiveApplication,
    PerformanceRecord,
    PeriodClose,
    PeriodStatement,
    ProgramPeriod,
)


@admin.register(ProgramPeriod)
class ProgramPeriodAdmin(SimpleHistoryAdmin):
    """The rates and rules per program period are data: admins change them here."""

    list_display = ProgramPeriod.TERMS
    search_fields = ("name", "rules_zh", "rules_en")
    list_filter = ("starts_on",)
    date_hierarchy = "starts_on"
    fieldsets = (
        (None, {"fields": ("name", ("starts_on", "ends_on"))}),
        (
            _("PCE opportunity-sharing incentive"),
            {"fields": ("opportunity_rate", "opportunity_cap", "tax_rate")},
        ),
        (
            _("Performance incentive and indicators"),
            {"fields": ("performance_rate", "performance_threshold", "monthly_target")},
        ),
        (_("Rules shown to partners"), {"fields": ("rules_zh", "rules_en")}),
    )


@admin.register(PerformanceRecord)
class PerformanceRecordAdmin(ReadOnlyAdmin):
    list_display = (
        "billing_period",
        "formed_at",
        "order",
        "order_type",
        "partner",
        "distributor",
        "customer",
        "product",
        "amount",
    )
    list_filter = ("billing_period", "order_type", "product")
    search_fields = ("order__order_no", "partner__name", "customer__name", "customer__account_name")
    list_select_related = ("order", "partner", "distributor", "customer", "product")
    date_hierarchy = "formed_at"
    actions = ["action_credit_missed", "action_relink"]

    @admin.action(description=_("Credit orders that have no performance record yet"))
    def action_credit_missed(self, request, queryset):
        written = services.performance_sync()
        self.message_user(request, _("%(n)s orders credited.") % {"n": written}, messages.SUCCESS)

    @admin.action(description=_("Work out the opportunity of the selected records again"))
    def action_relink(self, request, queryset):
        changed = services.performance_relink(records=queryset)
        self.message_user(request, _("%(n)s links changed.") % {"n": changed}, messages.SUCCESS)


@admin.register(PeriodClose)
class PeriodCloseAdmin(ReadOnlyAdmin):
    list_display = ("period", "closed_at", "statements")
    search_fields = ("period",)
    list_filter = ("closed_at",)
    actions = ["action_close_last_period"]

    @admin.action(description=_("Close the last ended billing period now (idempotent)"))
    def action_close_last_period(self, request, queryset):
        result = services.period_close(period=periods.last_closed_period())
        self.message_user(
            request,
            _("%(period)s: %(written)s statements written, %(sent)s sent.")
            % {"period": result.period, "written": result.written, "sent": result.sent},
            messages.SUCCESS,
        )


@admin.register(PeriodStatement)
class PeriodStatementAdmin(ReadOnlyAdmin):
    list_display = (
        "period",
        "partner",
        "performance",
        "target",
        "rate",
        "estimated_incentive",
        "notified_at",
    )
    list_filter = ("period", "program")
    search_fields = ("partner__name", "period")
    list_select_related = ("partner", "program")


@admin.register(IncentiveApplication)
class IncentiveApplicationAdmin(KeptRecordAdmin, admin.ModelAdmin):
    # Not added here: partners apply through the portal.
    list_display = (
        "pk",
        "partner",
        "opportunity",
        "offering",
        "state",
        "applied_at",
        "total",
        "dispute_count",
    )
    list_filter = ("state", "offering", "program", "applied_at")
    search_fields = (
        "partner__name",
        "opportunity__project_name",
        "opportunity__customer_name",
        "invoice_no",
        "payment_reference",
    )
    list_select_related = ("partner", "opportunity", "program")
    date_hierarchy = "applied_at"
    actions = ["action_publish", "action_mark_paid"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    action_publish = per_object_action(
        _("Publish the amounts (computed basis)"),
        lambda user, a: services.incentive_publish(actor=user, application=a),
        _("%(n)s applications published."),
        name=by_pk,
    )
    action_mark_paid = per_object_action(
        _("Mark the requested payments paid"),
        lambda user, a: services.incentive_mark_paid(actor=user, application=a),
        _("%(n)s applications marked paid."),
        name=by_pk,
    )
