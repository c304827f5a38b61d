"""Django admin for customers and their money. State changes go through the services:
agreements are published, associations unbound, invitations and vouchers revoked and
auto-renew switched by admin actions; balances and ledger entries are read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from partner_center.service_admin import (
    KeptRecordAdmin,
    ReadOnlyAdmin,
    ServiceAdmin,
    per_object_action,
)

from . import services
from .models import (
    Account,
    AgreementSignature,
    AgreementVersion,
    Association,
    ConsumptionRecord,
    Customer,
    ImportRun,
    Invitation,
    KnowledgeArticle,
    LedgerEntry,
    LedgerTotal,
    MoneyLimit,
    MoneyRequest,
    Order,
    OrderLine,
    Product,
    Registration,
    Resource,
    Voucher,
)


@admin.register(AgreementVersion)
class AgreementVersionAdmin(ServiceAdmin):
    """Adding a version publishes it (the next number); published versions never change."""

    list_display = ("version", "title_zh", "title_en", "published_at", "published_by")
    search_fields = ("title_zh", "title_en", "body_zh", "body_en")
    list_filter = ("published_at",)
    list_select_related = ("published_by",)
    fields = ("version", "title_zh", "title_en", "body_zh", "body_en", "published_at")
    readonly_fields = ("version", "published_at")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        published = services.agreement_publish(
            actor=request.user,
            title_zh=obj.title_zh,
            title_en=obj.title_en,
            body_zh=obj.body_zh,
            body_en=obj.body_en,
        )
        obj.pk = published.pk
        obj.version = published.version
        obj.published_at = published.published_at


@admin.register(AgreementSignature)
class AgreementSignatureAdmin(ReadOnlyAdmin):
    list_display = ("customer", "version", "signed_by", "signed_at")
    list_filter = ("version",)
    search_fields = ("customer__name", "customer__account_name", "signed_by__email")
    list_select_related = ("customer", "version", "signed_by")


@admin.register(Customer)
class CustomerAdmin(ReadOnlyAdmin):
    # Read-only: customers register themselves; imports refer to their account name.
    list_display = ("name", "account_name", "contact_email", "industry", "region", "created_at")
    search_fields = ("name", "account_name", "contact_email", "credit_code", "user__email")
    list_filter = ("industry", "region")
    raw_id_fields = ("user",)
    list_select_related = ("user",)


@admin.register(Invitation)
class InvitationAdmin(KeptRecordAdmin, admin.ModelAdmin):
    # Not added here: partners create links in the portal. Not deleted: revoked by the action,
    # kept as a record.
    list_display = ("partner", "email", "billing_model", "state", "created_at", "expires_at")
    list_filter = ("state", "billing_model", "created_at")
    search_fields = ("partner__name", "email", "note", "token")
    list_select_related = ("partner",)
    readonly_fields = (
        "partner",
        "token",
        "billing_model",
        "email",
        "state",
        "created_by",
        "created_at",
        "expires_at",
        "used_at",
        "used_by",
    )
    actions = ["revoke"]

    revoke = per_object_action(
        _("Revoke the selected links"),
        lambda user, inv: services.invitation_revoke(actor=user, invitation=inv),
        _("%(n)s link(s) revoked."),
    )


@admin.register(Association)
class AssociationAdmin(KeptRecordAdmin, admin.ModelAdmin):
    # Not added here: customers associate by accepting an invitation.
    list_display = (
        "customer",
        "partner",
        "billing_model",
        "state",
        "associated_at",
        "unbound_at",
    )
    list_filter = ("state", "billing_model", "associated_at")
    search_fields = ("customer__name", "customer__account_name", "partner__name")
    list_select_related = ("customer", "partner")
    readonly_fields = (
        "partner",
        "customer",
        "billing_model",
        "state",
        "invitation",
        "associated_at",
        "unbound_at",
        "unbound_by",
        "unbind_reason",
    )
    actions = ["unbind"]

    unbind = per_object_action(
        _("Unbind the selected customers"),
        lambda user, a: services.customer_unbind(
            actor=user, association=a, reason="Unbound in Django admin"
        ),
        _("%(n)s customer(s) unbound."),
    )


class LedgerEntryInline(admin.TabularInline):
    model = LedgerEntry
    fk_name = "account"
    extra = 0
    can_delete = False
    fields = ("created_at", "entry_type", "amount", "balance_after", "actor", "reason", "order")
    readonly_fields = fields
    ordering = ("-created_at", "-id")
    max_num = 0

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Account)
class AccountAdmin(KeptRecordAdmin, admin.ModelAdmin):
    list_display = (
        "id",
        "kind",
        "partner",
        "association",
        "balance",
        "frozen",
        "monthly_budget",
        "closed_at",
    )
    list_filter = ("kind", "frozen", ("closed_at", admin.EmptyFieldListFilter))
    search_fields = ("partner__name", "association__customer__name", "voucher__code")
    list_select_related = ("partner", "association__customer", "association__partner")
    readonly_fields = (
        "kind",
        "partner",
        "association",
        "balance",
        "frozen",
        "monthly_budget",
        "created_at",
        "closed_at",
    )
    inlines = [LedgerEntryInline]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "account",
        "entry_type",
        "amount",
        "balance_after",
        "actor",
        "reason",
    )
    list_filter = ("entry_type", "account__kind", "created_at")
    search_fields = ("reason", "account__partner__name", "order__order_no", "transfer")
    list_select_related = ("account__partner", "actor")


@admin.register(LedgerTotal)
class LedgerTotalAdmin(ReadOnlyAdmin):
    list_display = ("account", "entry_type", "amount", "entries")
    list_filter = ("entry_type", "account__kind")
    search_fields = ("account__partner__name",)
    list_select_related = ("account__partner",)


@admin.register(Voucher)
class VoucherAdmin(KeptRecordAdmin, admin.ModelAdmin):
    list_display = ("code", "partner", "customer", "face_value", "valid_until", "revoked_at")
    list_filter = ("valid_until", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("code", "partner__name", "customer__name", "customer__account_name")
    list_select_related = ("partner", "customer", "account")
    readonly_fields = (
        "code",
        "partner",
        "customer",
        "association",
        "account",
        "face_value",
        "valid_until",
        "issued_by",
        "issued_at",
        "revoked_at",
    )
    actions = ["revoke"]

    revoke = per_object_action(
        _("Revoke the selected vouchers (the rest goes back to quota)"),
        lambda user, v: services.voucher_revoke(actor=user, voucher=v),
        _("%(n)s voucher(s) revoked."),
    )


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(KnowledgeArticle)
class KnowledgeArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "product", "created_at")
    list_filter = ("product",)
    search_fields = ("title", "summary")
    list_select_related = ("product",)


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    fk_name = "order"
    extra = 0
    can_delete = False
    fields = ("resource", "amount", "periods", "original_order")
    readonly_fields = fields
    max_num = 0


class RecordAdminMixin:
    """Orders and consumption come from the vendor's site: read-only here."""

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = (
        "order_no",
        "order_type",
        "customer",
        "partner",
        "distributor",
        "attributed_to",
        "amount",
        "voucher_amount",
        "billing_period",
        "formed_at",
    )
    list_filter = ("order_type", "attributed_to", "source", "billing_period")
    search_fields = ("order_no", "customer__name", "customer__account_name", "partner__name")
    list_select_related = ("customer", "partner", "distributor")
    inlines = [OrderLineInline]


@admin.register(OrderLine)
class OrderLineAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("order", "resource", "amount", "periods", "original_order")
    list_filter = ("order__order_type",)
    search_fields = ("order__order_no", "resource__resource_id", "original_order__order_no")
    list_select_related = ("order", "resource", "original_order")


@admin.register(Resource)
class ResourceAdmin(KeptRecordAdmin, admin.ModelAdmin):
    list_display = (
        "resource_id",
        "name",
        "customer",
        "partner",
        "period_unit",
        "expires_at",
        "auto_renew",
        "status",
    )
    list_filter = ("status", "period_unit", "auto_renew", "expires_at")
    search_fields = ("resource_id", "name", "customer__name", "customer__account_name")
    list_select_related = ("customer", "partner")
    readonly_fields = [f.name for f in Resource._meta.fields]
    actions = ["auto_renew_on", "auto_renew_off"]

    auto_renew_on = per_object_action(
        _("Set auto-renew"),
        lambda user, r: services.resource_set_auto_renew(actor=user, resource=r, enabled=True),
        _("Auto-renew set for %(n)s resource(s)."),
    )
    auto_renew_off = per_object_action(
        _("Cancel auto-renew"),
        lambda user, r: services.resource_set_auto_renew(actor=user, resource=r, enabled=False),
        _("Auto-renew cancelled for %(n)s resource(s)."),
    )


@admin.register(ConsumptionRecord)
class ConsumptionRecordAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = (
        "record_no",
        "customer",
        "partner",
        "attributed_to",
        "product",
        "amount",
        "billing_period",
        "consumed_at",
    )
    list_filter = ("attributed_to", "billing_period")
    search_fields = ("record_no", "customer__name", "customer__account_name", "partner__name")
    list_select_related = ("customer", "partner", "product")


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "source", "actor", "created", "skipped", "failed")
    list_filter = ("source", "created_at")
    search_fields = ("actor__email",)
    list_select_related = ("actor",)


@admin.register(MoneyLimit)
class MoneyLimitAdmin(admin.ModelAdmin):
    """The vendor's admin sets a partner's limit per money operation [our rule]; partners
    without a row use the default (¥1,000,000)."""

    list_display = ["partner", "per_operation", "updated_at"]
    search_fields = ["partner__name"]
    autocomplete_fields = ["partner"]


@admin.register(MoneyRequest)
class MoneyRequestAdmin(ReadOnlyAdmin):
    """Requests above a limit are decided by a second partner admin, not here."""

    list_display = ["partner", "operation", "amount", "state", "requested_by", "requested_at"]
    list_filter = ["state", "operation"]
    search_fields = ["partner__name", "requested_by__email"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    """Registrations through invitation links (the code and password are stored hashed and
    not shown)."""

    list_display = ["email", "invitation", "created_at", "verified_at", "attempts"]
    search_fields = ["email"]
    exclude = ["password", "code_hash"]
