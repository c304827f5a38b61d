"""API shapes of performance, the dashboard, statements and the program."""

from __future__ import annotations

from rest_framework import serializers

from .models import PerformanceRecord, PeriodStatement, ProgramPeriod

MONEY = {"max_digits": 16, "decimal_places": 2, "coerce_to_string": True}


class PerformanceRecordSerializer(serializers.ModelSerializer):
    order_no = serializers.CharField(source="order.order_no", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    customer_account = serializers.CharField(source="customer.account_name", read_only=True)
    product_code = serializers.CharField(source="product.code", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    partner_name = serializers.CharField(source="partner.name", read_only=True)

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
        read_only_fields = fields


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


class StatementSerializer(serializers.ModelSerializer):
    program_name = serializers.CharField(source="program.name", read_only=True, default="")
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
        read_only_fields = fields


class ProgramPeriodSerializer(serializers.ModelSerializer):
    rules = serializers.CharField(read_only=True)

    class Meta:
        model = ProgramPeriod
        fields = [
            "id",
            "name",
            "starts_on",
            "ends_on",
            "opportunity_rate",
            "opportunity_cap",
            "performance_rate",
            "performance_threshold",
            "monthly_target",
            "tax_rate",
            "rules",
            "rules_zh",
            "rules_en",
        ]
        read_only_fields = fields
