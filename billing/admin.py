from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from partner_center.service_admin import KeptRecordAdmin, ReadOnlyAdmin, per_object_action

from . import services
from .models import Bill, BillLine, ExportTask, Invoice, InvoiceLine

# Billing's admin actions always say how many rows were done, as a plain message.
SAY_DONE_ALWAYS = {"done_level": messages.INFO, "done_always": True}


@admin.register(Bill)
class BillAdmin(KeptRecordAdmin, admin.ModelAdmin):
    # Not added here: bills come from bill_generate. Not deleted: a bill is settled or
    # regenerated.
    list_display = (
        "number",
        "partner",
        "period",
        "state",
        "line_count",
        "consumption_amount",
        "amount_due",
        "tax_amount",
        "generated_at",
    )
    list_filter = ("state", "period")
    search_fields = ("partner__name", "partner__credit_code", "period")
    list_select_related = ("partner",)
    raw_id_fields = ("partner",)
    readonly_fields = [f.name for f in Bill._meta.fields] + ["lines_link"]
    actions = ["settle"]

    @admin.display(description=_("lines"))
    def lines_link(self, bill):
        url = reverse("admin:billing_billline_changelist") + f"?bill__id__exact={bill.pk}"
        return format_html(
            '<a href="{}">{}</a>', url, _("Show the %(n)s lines") % {"n": bill.line_count}
        )

    settle = per_object_action(
        _("Settle the selected bills (period ended)"),
        lambda user, bill: services.bill_settle(actor=user, bill=bill),
        _("%(n)s bill(s) settled."),
        **SAY_DONE_ALWAYS,
    )


@admin.register(BillLine)
class BillLineAdmin(ReadOnlyAdmin):
    # Read-only: a bill is a snapshot; lines change only with their bill.
    list_display = (
        "occurred_at",
        "bill",
        "customer_name",
        "product_name",
        "order_no",
        "line_type",
        "amount",
        "voucher_amount",
        "reseller_name",
    )
    list_filter = ("line_type", "bill__period")
    search_fields = (
        "customer_name",
        "customer_account",
        "order_no",
        "source_ref",
        "bill__partner__name",
    )
    list_select_related = ("bill__partner",)
    raw_id_fields = ("bill", "reseller")
    show_full_result_count = False  # bills may hold millions of lines


@admin.register(ExportTask)
class ExportTaskAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "partner",
        "bill",
        "state",
        "progress",
        "page_count",
        "created_at",
        "expires_at",
    )
    list_filter = ("state", "kind", "language")
    search_fields = ("partner__name", "bill__period", "failure_reason")
    list_select_related = ("partner", "bill__partner")
    raw_id_fields = ("partner", "bill", "requested_by")
    readonly_fields = [f.name for f in ExportTask._meta.fields]
    actions = ["expire_now"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Delete the files of exports past their expiry"))
    def expire_now(self, request, queryset):
        count = services.exports_expire()
        self.message_user(request, _("%(n)s export file(s) deleted.") % {"n": count})


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0
    can_delete = False
    readonly_fields = InvoiceLine.SHOWN_FIELDS

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(InvoiceLine)
class InvoiceLineAdmin(KeptRecordAdmin, admin.ModelAdmin):
    # Not added here: lines come with their invoice.
    list_display = (
        "invoice",
        "position",
        "description",
        "net_amount",
        "tax_amount",
        "total_amount",
    )
    search_fields = ("invoice__number", "description", "product_code")
    list_filter = ("invoice__state",)
    list_select_related = ("invoice",)
    raw_id_fields = ("invoice",)
    readonly_fields = [f.name for f in InvoiceLine._meta.fields]


@admin.register(Invoice)
class InvoiceAdmin(KeptRecordAdmin, admin.ModelAdmin):
    # Not added here: partners request invoices in the portal. Not deleted: an invoice request
    # is a record.
    list_display = (
        "number",
        "partner",
        "bill",
        "state",
        "net_amount",
        "tax_amount",
        "total_amount",
        "requested_at",
        "issued_at",
    )
    list_filter = ("state",)
    search_fields = ("number", "partner__name", "buyer_tax_id", "bill__period")
    list_select_related = ("partner", "bill__partner")
    raw_id_fields = ("partner", "bill", "requested_by", "issued_by")
    readonly_fields = [f.name for f in Invoice._meta.fields]
    inlines = [InvoiceLineInline]
    actions = ["issue"]

    issue = per_object_action(
        _("Mark the selected invoices as issued"),
        lambda user, invoice: services.invoice_issue(actor=user, invoice=invoice),
        _("%(n)s invoice(s) issued."),
        **SAY_DONE_ALWAYS,
    )
