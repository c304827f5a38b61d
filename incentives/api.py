"""REST endpoints over the same selectors and services as the pages."""

from __future__ import annotations

import django_filters as df
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from partner_center.accounts.access import HasCapability, is_vendor_staff
from partner_center.accounts.models import Partner

from . import periods, selectors
from .filters import StaffPerformanceFilter
from .models import PerformanceRecord, PeriodStatement, ProgramPeriod
from .permissions import VIEW_DASHBOARD, VIEW_ESTIMATES, VIEW_PERFORMANCE, VIEW_PROGRAM
from .serializers import (
    ChartSerializer,
    DashboardResellerSerializer,
    PerformanceRecordSerializer,
    ProgramPeriodSerializer,
    StatementSerializer,
    SummarySerializer,
)

PK = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
PERIOD = OpenApiParameter(
    "period", OpenApiTypes.STR, description="Billing period YYYY-MM (default: the current one)"
)


def _fake(view) -> bool:
    return getattr(view, "swagger_fake_view", False)


def _period(request) -> str:
    return periods.parse(request.query_params.get("period"), periods.current_period())


class ApiPerformanceFilter(StaffPerformanceFilter):
    """As on the pages, but any period may be asked for (`YYYY-MM`)."""

    period = df.CharFilter(field_name="billing_period", label="Billing period (YYYY-MM)")


class PerformanceViewSet(viewsets.ReadOnlyModelViewSet):
    """Performance lines credited to the partner (every partner's for vendor staff)."""

    permission_classes = [HasCapability]
    required_capability = VIEW_PERFORMANCE
    serializer_class = PerformanceRecordSerializer
    filterset_class = ApiPerformanceFilter
    ordering_fields = ["formed_at", "amount"]

    def get_queryset(self):
        if _fake(self):
            return PerformanceRecord.objects.none()
        return selectors.performance_for(self.request.user).order_by("-formed_at", "-pk")

    @extend_schema(parameters=[PERIOD], responses=SummarySerializer)
    @action(detail=False)
    def summary(self, request):
        """Totals of one billing period by order type, product and customer."""
        records = self.get_queryset()
        partner = request.query_params.get("partner", "")
        if is_vendor_staff(request.user) and partner.isdigit():
            records = records.filter(partner_id=int(partner))
        return Response(
            SummarySerializer(selectors.performance_summary(records, _period(request))).data
        )


class DashboardViewSet(viewsets.ReadOnlyModelViewSet):
    """A distributor's tier-2 resellers with their performance of a billing period."""

    permission_classes = [HasCapability]
    required_capability = VIEW_DASHBOARD
    serializer_class = DashboardResellerSerializer
    filter_backends: list = []

    def get_queryset(self):
        if _fake(self):
            return Partner.objects.none()
        return selectors.dashboard_resellers(self.request.user.partner_id, _period(self.request))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "distributor_id": self.request.user.partner_id}

    def get_object(self):
        reseller = selectors.reseller_of(self.request.user.partner_id, int(self.kwargs["pk"]))
        found = self.get_queryset().filter(pk=reseller.pk).first()
        if found is None:
            raise NotFound
        return found

    @extend_schema(parameters=[PERIOD])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(parameters=[PK, PERIOD])
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        parameters=[PK, PERIOD, OpenApiParameter("all_periods", OpenApiTypes.BOOL)],
        responses=PerformanceRecordSerializer(many=True),
    )
    @action(detail=True)
    def records(self, request, pk=None):
        """The reseller's performance lines of the period."""
        me = request.user.partner_id
        reseller = selectors.reseller_of(me, int(pk))
        rows = (
            selectors.reseller_records(me, reseller.pk)
            .filter(billing_period=_period(request))
            .order_by("-formed_at", "-pk")
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(PerformanceRecordSerializer(page, many=True).data)

    @extend_schema(parameters=[PERIOD], responses=ChartSerializer)
    @action(detail=False)
    def chart(self, request):
        """Performance of the last 12 periods (ending with `period`) per reseller and in
        total; resellers beyond the top ones are summed as one series without an id."""
        me = request.user.partner_id
        period_list = periods.series(_period(request))
        data = {
            "periods": period_list,
            "total": selectors.period_totals(selectors.reseller_records(me), period_list),
            "series": selectors.dashboard_series(me, period_list),
        }
        return Response(ChartSerializer(data).data)


class StatementViewSet(viewsets.ReadOnlyModelViewSet):
    """Estimated incentives and indicators of closed billing periods."""

    permission_classes = [HasCapability]
    required_capability = VIEW_ESTIMATES
    serializer_class = StatementSerializer
    filterset_fields = ["period", "partner"]

    def get_queryset(self):
        if _fake(self):
            return PeriodStatement.objects.none()
        return selectors.statements_for(self.request.user).order_by("-period", "partner_id")

    @extend_schema(responses=StatementSerializer)
    @action(detail=False)
    def running(self, request):
        """The open billing period's estimate, computed now (partners only)."""
        if not request.user.partner_id:
            raise NotFound
        statement = selectors.running_estimate(request.user.partner_id, periods.current_period())
        return Response(StatementSerializer(statement).data)


class ProgramPeriodViewSet(viewsets.ReadOnlyModelViewSet):
    """The incentive program's periods, rates and rules."""

    permission_classes = [HasCapability]
    required_capability = VIEW_PROGRAM
    serializer_class = ProgramPeriodSerializer
    filter_backends: list = []

    def get_queryset(self):
        if _fake(self):
            return ProgramPeriod.objects.none()
        return selectors.program_periods()
