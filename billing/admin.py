from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from partner_center.errors import DomainError
from partner_center.service_admin import KeptRecordAdmin, ReadOnlyAdmin

from . import services
from .models import Bill, BillLine, ExportTask, Invoice, InvoiceLine


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

    @admin.action(description=_("Settle the selected bills (period ended)"))
    def settle(self, request, queryset):
        done = 0
        for bill in queryset:
            try:
                services.bill_settle(actor=request.user, bill=bill)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{bill}: {exc.message}", messages.ERROR)
        self.message_user(request, _("%(n)s bill(s) settled.") % {"n": done})


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
    readonly_fields = (
        "position",
        "product_code",
        "description",
        "net_amount",
        "tax_amount",
        "total_amount",
    )

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

    @admin.action(description=_("Mark the selected invoices as issued"))
    def issue(self, request, queryset):
        done = 0
        for invoice in queryset:
            try:
                services.invoice_issue(actor=request.user, invoice=invoice)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{invoice}: {exc.message}", messages.ERROR)
        self.message_user(request, _("%(n)s invoice(s) issued.") % {"n": done})
