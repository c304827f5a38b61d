from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from partner_center.serializer_fields import ReadOnlyCharField, ReadOnlyModelSerializer

from .models import (
    Account,
    AgreementVersion,
    Association,
    BillingModel,
    ConsumptionRecord,
    Customer,
    ImportRun,
    Invitation,
    LedgerEntry,
    MoneyRequest,
    Order,
    OrderLine,
    Resource,
    Voucher,
)

MONEY = {"max_digits": 14, "decimal_places": 2}


# ---------------------------------------------------------------- import


class ImportOrderLineSerializer(serializers.Serializer):
    resource_id = serializers.CharField(max_length=64)
    amount = serializers.DecimalField(min_value=Decimal("0"), **MONEY)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    region = serializers.CharField(max_length=64, required=False, allow_blank=True)
    billing_mode = serializers.CharField(
        required=False,
        default=Resource.PeriodUnit.MONTH,
        help_text=_("month or year"),
    )
    periods = serializers.IntegerField(min_value=0, max_value=120, required=False, default=1)
    renewal_price = serializers.DecimalField(
        min_value=Decimal("0"), required=False, allow_null=True, **MONEY
    )
    expires_at = serializers.DateTimeField(required=False, allow_null=True)
    original_order_no = serializers.CharField(max_length=64, required=False, allow_blank=True)

    def validate_billing_mode(self, value):
        if value not in Resource.PeriodUnit.values:
            raise serializers.ValidationError(_("Unknown billing mode."))
        return value


class ImportOrderSerializer(serializers.Serializer):
    order_no = serializers.CharField(max_length=64)
    customer_account = serializers.CharField(max_length=64)
    type = serializers.CharField(
        help_text=_("new, renewal, upgrade, downgrade or unsubscribe"),
    )
    product = serializers.CharField(max_length=64)
    product_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    amount = serializers.DecimalField(min_value=Decimal("0"), **MONEY)
    formed_at = serializers.DateTimeField()
    voucher_code = serializers.CharField(max_length=32, required=False, allow_blank=True)
    voucher_amount = serializers.DecimalField(
        min_value=Decimal("0"), required=False, allow_null=True, **MONEY
    )
    lines = ImportOrderLineSerializer(many=True)

    def validate_type(self, value):
        if value not in Order.Type.values:
            raise serializers.ValidationError(_("Unknown order type."))
        return value


class ImportConsumptionSerializer(serializers.Serializer):
    record_no = serializers.CharField(max_length=64)
    customer_account = serializers.CharField(max_length=64)
    product = serializers.CharField(max_length=64)
    product_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    amount = serializers.DecimalField(min_value=Decimal("0"), **MONEY)
    consumed_at = serializers.DateTimeField()
    resource_id = serializers.CharField(max_length=64, required=False, allow_blank=True)
    order_no = serializers.CharField(max_length=64, required=False, allow_blank=True)
    voucher_code = serializers.CharField(max_length=32, required=False, allow_blank=True)
    voucher_amount = serializers.DecimalField(
        min_value=Decimal("0"), required=False, allow_null=True, **MONEY
    )


class ImportPayloadSerializer(serializers.Serializer):
    """The request body of an import (documentation; rows are validated one by one)."""

    orders = ImportOrderSerializer(many=True, required=False)
    consumption = ImportConsumptionSerializer(many=True, required=False)


class ImportRunSerializer(ReadOnlyModelSerializer):
    source = ReadOnlyCharField(help_text=_("api, command or demo"))

    class Meta:
        model = ImportRun
        fields = ["id", "source", "created_at", "created", "skipped", "failed", "errors"]


# ---------------------------------------------------------------- customers and accounts


class CustomerSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Customer
        fields = [
            "id",
            "name",
            "account_name",
            "credit_code",
            "contact_email",
            "contact_phone",
            "industry",
            "region",
        ]


class AccountSerializer(ReadOnlyModelSerializer):
    closed = serializers.SerializerMethodField()

    class Meta:
        model = Account
        fields = ["id", "balance", "frozen", "monthly_budget", "closed"]

    def get_closed(self, obj) -> bool:
        return obj.closed_at is not None


class AssociationSerializer(ReadOnlyModelSerializer):
    customer = CustomerSerializer(read_only=True)
    account = serializers.SerializerMethodField()
    signed_latest_agreement = serializers.SerializerMethodField()
    new_customer = serializers.BooleanField(
        source="is_new_customer",
        read_only=True,
        help_text=_(
            "The customer's first paid order on the vendor's site came within 90 days of "
            "this association (the new-customer label)."
        ),
    )

    class Meta:
        model = Association
        fields = [
            "id",
            "partner",
            "customer",
            "billing_model",
            "state",
            "associated_at",
            "unbound_at",
            "unbind_reason",
            "signed_latest_agreement",
            "new_customer",
            "new_customer_at",
            "account",
        ]

    @extend_schema_field(AccountSerializer(allow_null=True))
    def get_account(self, obj):
        account = getattr(obj, "account", None) if hasattr(obj, "account") else None
        return AccountSerializer(account).data if account else None

    def get_signed_latest_agreement(self, obj) -> bool:
        return bool(getattr(obj, "signed_latest", False))


class ConfirmedMoney(serializers.Serializer):
    """Every money call states its amount and sends `"confirm": true` [our rule]: the API's
    confirmation step. Without it the answer is 400 and names the amount in words."""

    amount_field = "amount"
    confirm = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Must be true: you confirm the amount you send."),
    )

    def validate(self, attrs):
        from partner_center.amount_words import in_words
        from partner_center.money import cny

        if not attrs.get("confirm"):
            amount = attrs.get(self.amount_field)
            if amount is None:
                message = _('Send "confirm": true to confirm this operation.')
            else:
                message = _('Send "confirm": true to confirm %(amount)s (%(words)s).') % {
                    "amount": cny(amount),
                    "words": in_words(amount),
                }
            raise serializers.ValidationError({"confirm": [message]})
        return attrs


class MoneySerializer(ConfirmedMoney):
    amount = serializers.DecimalField(min_value=Decimal("0.01"), **MONEY)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ReclaimSerializer(ConfirmedMoney):
    amount = serializers.DecimalField(
        min_value=Decimal("0.01"),
        required=False,
        allow_null=True,
        help_text=_("The amount to reclaim; or leave it out and send reclaim_all."),
        **MONEY,
    )
    reclaim_all = serializers.BooleanField(
        required=False, default=False, help_text=_("Reclaim the whole balance.")
    )
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)

    def validate(self, attrs):
        if attrs.get("amount") is None and not attrs.get("reclaim_all"):
            raise serializers.ValidationError(
                {
                    "amount": [
                        _("Enter the amount to reclaim, or send reclaim_all to take everything.")
                    ]
                }
            )
        return super().validate(attrs)


class BudgetSerializer(ConfirmedMoney):
    amount_field = "monthly_budget"
    monthly_budget = serializers.DecimalField(min_value=Decimal("0"), **MONEY)


@extend_schema_serializer(component_name="PendingMoneyOperation")
class MoneyRequestSerializer(ReadOnlyModelSerializer):
    """A money operation above the partner's limit, waiting for a second admin."""

    operation_label = ReadOnlyCharField(source="get_operation_display")
    state_label = ReadOnlyCharField(source="get_state_display")
    target = ReadOnlyCharField(source="target_name")
    requested_by = ReadOnlyCharField(source="requested_by.email")

    class Meta:
        model = MoneyRequest
        fields = [
            "id",
            "operation",
            "operation_label",
            "amount",
            "target",
            "reason",
            "state",
            "state_label",
            "requested_by",
            "requested_at",
            "decided_at",
            "decision_note",
        ]


class RefuseSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class UnbindSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class LedgerEntrySerializer(ReadOnlyModelSerializer):
    who = ReadOnlyCharField()
    order_no = ReadOnlyCharField(source="order.order_no", default=None)

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "created_at",
            "entry_type",
            "amount",
            "balance_after",
            "who",
            "reason",
            "order_no",
            "transfer",
        ]


class ConsumptionSummaryRowSerializer(serializers.Serializer):
    period = serializers.CharField()
    hosted_sub_account = serializers.DecimalField(source="hosted", **MONEY)
    main_account = serializers.DecimalField(source="main", **MONEY)
    total = serializers.DecimalField(**MONEY)
    unbinding_month = serializers.BooleanField()


class ArticleSerializer(serializers.Serializer):
    title = serializers.CharField()
    summary = serializers.CharField()
    url = serializers.CharField()
    product = serializers.CharField(source="product.name")


class RecommendationsSerializer(serializers.Serializer):
    visible = serializers.BooleanField()
    reason = serializers.CharField()
    articles = ArticleSerializer(many=True)


# ---------------------------------------------------------------- invitations


@extend_schema_serializer(component_name="CustomerInvitation")
class InvitationSerializer(ReadOnlyModelSerializer):
    link = serializers.SerializerMethodField()
    display_state = ReadOnlyCharField()

    class Meta:
        model = Invitation
        fields = [
            "id",
            "billing_model",
            "email",
            "note",
            "state",
            "display_state",
            "created_at",
            "expires_at",
            "used_at",
            "link",
        ]

    def get_link(self, obj) -> str:
        from .services import invitation_link

        return invitation_link(obj)


class InvitationCreateSerializer(serializers.Serializer):
    billing_model = serializers.ChoiceField(choices=BillingModel.choices, required=False)
    email = serializers.EmailField(required=False, allow_blank=True)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class InvitationStatusSerializer(serializers.Serializer):
    partner = serializers.CharField()
    billing_model = serializers.CharField()
    expires_at = serializers.DateTimeField()
    usable = serializers.BooleanField()
    problem = serializers.CharField()
    agreement_version = serializers.IntegerField(allow_null=True)


class InvitationAcceptSerializer(serializers.Serializer):
    agreement_version = serializers.IntegerField(
        help_text=_("The number of the agreement version the customer read and signs.")
    )


# ---------------------------------------------------------------- resources and orders


class ResourceSerializer(ReadOnlyModelSerializer):
    customer = ReadOnlyCharField(source="customer.name")
    customer_account = ReadOnlyCharField(source="customer.account_name")
    product = ReadOnlyCharField(source="product.code")
    original_order_no = ReadOnlyCharField(source="original_order.order_no", default=None)

    class Meta:
        model = Resource
        fields = [
            "id",
            "resource_id",
            "name",
            "customer",
            "customer_account",
            "product",
            "region",
            "period_unit",
            "renewal_price",
            "started_at",
            "expires_at",
            "auto_renew",
            "status",
            "original_order_no",
            "last_auto_renew_error",
        ]


class RenewSerializer(serializers.Serializer):
    periods = serializers.IntegerField(min_value=1, max_value=36, default=1)
    voucher = serializers.CharField(
        max_length=32, required=False, allow_blank=True, help_text=_("Voucher code, optional.")
    )


class AutoRenewSerializer(serializers.Serializer):
    enabled = serializers.BooleanField()


class OrderLineSerializer(ReadOnlyModelSerializer):
    resource_id = ReadOnlyCharField(source="resource.resource_id")
    resource_name = ReadOnlyCharField(source="resource.name")
    original_order_no = ReadOnlyCharField(source="original_order.order_no", default=None)

    class Meta:
        model = OrderLine
        fields = ["resource_id", "resource_name", "amount", "periods", "original_order_no"]


class OrderSerializer(ReadOnlyModelSerializer):
    customer = ReadOnlyCharField(source="customer.name")
    customer_account = ReadOnlyCharField(source="customer.account_name")
    product = ReadOnlyCharField(source="product.code")
    voucher_code = ReadOnlyCharField(source="voucher.code", default=None)

    class Meta:
        model = Order
        fields = [
            "id",
            "order_no",
            "order_type",
            "customer",
            "customer_account",
            "partner",
            "distributor",
            "attributed_to",
            "product",
            "amount",
            "voucher_amount",
            "voucher_code",
            "formed_at",
            "billing_period",
            "source",
        ]


class OrderDetailSerializer(OrderSerializer):
    lines = OrderLineSerializer(many=True, read_only=True)

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "lines"]


class ConsumptionRecordSerializer(ReadOnlyModelSerializer):
    customer = ReadOnlyCharField(source="customer.name")
    customer_account = ReadOnlyCharField(source="customer.account_name")
    product = ReadOnlyCharField(source="product.code")

    class Meta:
        model = ConsumptionRecord
        fields = [
            "id",
            "record_no",
            "customer",
            "customer_account",
            "partner",
            "distributor",
            "attributed_to",
            "product",
            "amount",
            "voucher_amount",
            "consumed_at",
            "billing_period",
        ]


# ---------------------------------------------------------------- resellers and vouchers


class ResellerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    distributor = serializers.IntegerField(source="parent_distributor_id")
    funds_received = serializers.DecimalField(**MONEY)
    funds_to_customers = serializers.DecimalField(**MONEY)
    funds_balance = serializers.DecimalField(**MONEY)
    quota_granted = serializers.DecimalField(**MONEY)
    quota_issued = serializers.DecimalField(**MONEY)
    quota_balance = serializers.DecimalField(**MONEY)
    customer_count = serializers.IntegerField()


class VoucherSerializer(ReadOnlyModelSerializer):
    customer = ReadOnlyCharField(source="customer.name")
    remaining = serializers.DecimalField(source="account.balance", read_only=True, **MONEY)
    state = serializers.SerializerMethodField()

    class Meta:
        model = Voucher
        fields = [
            "id",
            "code",
            "customer",
            "association",
            "face_value",
            "remaining",
            "valid_until",
            "issued_at",
            "revoked_at",
            "state",
        ]

    def get_state(self, obj) -> str:
        return obj.state()


class VoucherIssueSerializer(ConfirmedMoney):
    amount_field = "face_value"
    association = serializers.IntegerField(help_text=_("The customer association (its id)."))
    face_value = serializers.DecimalField(min_value=Decimal("0.01"), **MONEY)
    valid_until = serializers.DateTimeField()


class AgreementVersionSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = AgreementVersion
        fields = ["id", "version", "title_zh", "title_en", "body_zh", "body_en", "published_at"]


class SignSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=_("The agreement version number."))


class CustomerMeSerializer(serializers.Serializer):
    customer = CustomerSerializer(allow_null=True)
    partner = serializers.CharField(allow_null=True)
    association = serializers.IntegerField(allow_null=True)
    billing_model = serializers.CharField(allow_null=True)
    associated_at = serializers.DateTimeField(allow_null=True)
    latest_agreement_version = serializers.IntegerField(allow_null=True)
    signed_latest_agreement = serializers.BooleanField()
