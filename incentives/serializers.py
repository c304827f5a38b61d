"""API shapes of performance, the dashboard, statements and the program."""

from __future__ import annotations

from rest_framework import serializers

from partner_center.serializer_fields import ReadOnlyCharField, ReadOnlyModelSerializer

from .models import IncentiveApplication, PerformanceRecord, PeriodStatement, ProgramPeriod

MONEY = {"max_digits": 16, "decimal_places": 2, "coerce_to_string": True}


class PerformanceRecordSerializer(ReadOnlyModelSerializer):
    order_no = ReadOnlyCharField(source="order.order_no")
    customer_name = ReadOnlyCharField(source="customer.name")
    customer_account = ReadOnlyCharField(source="customer.account_name")
    product_code = ReadOnlyCharField(source="product.code")
    product_name = ReadOnlyCharField(source="product.name")
    partner_name = ReadOnlyCharField(source="partner.name")

    class Meta:
        model = PerformanceRecord
        fields = [
            "id",
            "billing_period",
            "formed_at",
            "order_no",
            "order_type",
            "partner",
            "partner_name",
            "distributor",
            "customer",
            "customer_name",
            "customer_account",
            "product",
            "product_code",
            "product_name",
            "order_amount",
            "voucher_amount",
            "amount",
        ]


class BreakdownSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    total = serializers.DecimalField(**MONEY)


class SummarySerializer(serializers.Serializer):
    period = serializers.CharField()
    total = serializers.DecimalField(**MONEY)
    gross = serializers.DecimalField(**MONEY)
    refunds = serializers.DecimalField(**MONEY)
    vouchers = serializers.DecimalField(**MONEY)
    order_count = serializers.IntegerField()
    customer_count = serializers.IntegerField()
    by_type = BreakdownSerializer(many=True)
    by_product = BreakdownSerializer(many=True)
    by_customer = BreakdownSerializer(many=True)


class DashboardResellerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    is_current_reseller = serializers.SerializerMethodField()
    performance = serializers.DecimalField(**MONEY)
    previous = serializers.DecimalField(**MONEY)
    order_count = serializers.IntegerField()
    customer_count = serializers.IntegerField()

    def get_is_current_reseller(self, obj) -> bool:
        return obj.parent_distributor_id == self.context["distributor_id"]


class SeriesSerializer(serializers.Serializer):
    reseller = serializers.IntegerField(source="key", allow_null=True)
    name = serializers.CharField()
    values = serializers.ListField(child=serializers.DecimalField(**MONEY))


class ChartSerializer(serializers.Serializer):
    periods = serializers.ListField(child=serializers.CharField())
    total = serializers.ListField(child=serializers.DecimalField(**MONEY))
    series = SeriesSerializer(many=True)


class StatementSerializer(ReadOnlyModelSerializer):
    program_name = ReadOnlyCharField(source="program.name", default="")
    achievement = serializers.DecimalField(
        max_digits=8, decimal_places=1, read_only=True, allow_null=True
    )
    growth = serializers.DecimalField(
        max_digits=10, decimal_places=1, read_only=True, allow_null=True
    )

    class Meta:
        model = PeriodStatement
        fields = [
            "id",
            "partner",
            "period",
            "program",
            "program_name",
            "performance",
            "previous_performance",
            "growth",
            "order_count",
            "customer_count",
            "new_customer_count",
            "opportunity_count",
            "target",
            "achievement",
            "threshold",
            "rate",
            "estimated_incentive",
            "created_at",
            "notified_at",
        ]


class RunningStatementSerializer(StatementSerializer):
    """The open period's estimate: computed, not stored, so it has no id yet."""

    id = serializers.IntegerField(read_only=True, allow_null=True)


class ProgramPeriodSerializer(ReadOnlyModelSerializer):
    rules = ReadOnlyCharField()

    class Meta:
        model = ProgramPeriod
        fields = [
            "id",
            *ProgramPeriod.TERMS,
            "rules",
            "rules_zh",
            "rules_en",
        ]


class ApplicationSerializer(ReadOnlyModelSerializer):
    partner_name = ReadOnlyCharField(source="partner.name")
    project_name = ReadOnlyCharField(source="opportunity.project_name")
    customer_name = ReadOnlyCharField(source="opportunity.customer_name")
    offering_label = ReadOnlyCharField()
    program_name = ReadOnlyCharField(source="program.name")

    class Meta:
        model = IncentiveApplication
        fields = [
            "id",
            "partner",
            "partner_name",
            "opportunity",
            "project_name",
            "customer_name",
            "offering",
            "offering_label",
            "state",
            "program",
            "program_name",
            "delivery_completed_on",
            "note",
            "applied_at",
            "basis",
            "rate",
            "amount",
            "tax_rate",
            "tax",
            "total",
            "capped",
            "reconciliation_note",
            "published_at",
            "dispute_reason",
            "dispute_count",
            "confirmed_at",
            "invoice_no",
            "payment_requested_at",
            "paid_at",
            "payment_reference",
            "rejection_reason",
        ]


class ApplySerializer(serializers.Serializer):
    opportunity = serializers.IntegerField()
    offering = serializers.CharField(max_length=24)
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class PublishSerializer(serializers.Serializer):
    basis = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class PaymentRequestSerializer(serializers.Serializer):
    invoice_no = serializers.CharField(max_length=64)


class MarkPaidSerializer(serializers.Serializer):
    reference = serializers.CharField(required=False, allow_blank=True, max_length=64)


class EligibilitySerializer(serializers.Serializer):
    opportunity = serializers.IntegerField(source="opportunity.pk")
    project_name = serializers.CharField(source="opportunity.project_name")
    offering = serializers.CharField()
    offering_label = serializers.CharField()
    delivery_completed_on = serializers.DateField(source="opportunity.delivery_completed_on")
    eligible = serializers.BooleanField(source="ok")
    reason = serializers.CharField()
    message = serializers.CharField()
    opens_on = serializers.DateField(allow_null=True)


class PendingRowSerializer(serializers.Serializer):
    opportunity = serializers.IntegerField(source="verdict.opportunity.pk")
    project_name = serializers.CharField(source="verdict.opportunity.project_name")
    offering = serializers.CharField(source="verdict.offering")
    offering_label = serializers.CharField(source="verdict.offering_label")
    delivery_completed_on = serializers.DateField(
        source="verdict.opportunity.delivery_completed_on"
    )
    eligible = serializers.BooleanField(source="verdict.ok")
    reason = serializers.CharField(source="verdict.reason")
    message = serializers.CharField(source="verdict.message")
    opens_on = serializers.DateField(source="verdict.opens_on", allow_null=True)
    basis_so_far = serializers.DecimalField(max_digits=16, decimal_places=2)
