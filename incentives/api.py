"""REST endpoints over the same selectors and services as the pages."""

from __future__ import annotations

import django_filters as df
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from partner_center.accounts.access import HasCapability, is_vendor_staff
from partner_center.accounts.models import Partner
from partner_center.api import is_schema_view, validated

from . import periods, selectors, services
from .filters import ApplicationFilter, StaffPerformanceFilter
from .models import IncentiveApplication, PerformanceRecord, PeriodStatement, ProgramPeriod
from .permissions import (
    APPLY_INCENTIVES,
    REVIEW_INCENTIVES,
    SETTLE_INCENTIVES,
    VIEW_APPLICATIONS,
    VIEW_DASHBOARD,
    VIEW_ESTIMATES,
    VIEW_PERFORMANCE,
    VIEW_PROGRAM,
)
from .serializers import (
    ApplicationSerializer,
    ApplySerializer,
    ChartSerializer,
    DashboardResellerSerializer,
    EligibilitySerializer,
    MarkPaidSerializer,
    PaymentRequestSerializer,
    PendingRowSerializer,
    PerformanceRecordSerializer,
    ProgramPeriodSerializer,
    PublishSerializer,
    ReasonSerializer,
    RunningStatementSerializer,
    StatementSerializer,
    SummarySerializer,
)

PK = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
PERIOD = OpenApiParameter(
    "period", OpenApiTypes.STR, description="Billing period YYYY-MM (default: the current one)"
)


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
        if is_schema_view(self):
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
        if is_schema_view(self):
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
        if is_schema_view(self):
            return PeriodStatement.objects.none()
        return selectors.statements_for(self.request.user).order_by("-period", "partner_id")

    @extend_schema(responses=RunningStatementSerializer)
    @action(detail=False)
    def running(self, request):
        """The open billing period's estimate, computed now (partners only)."""
        if not request.user.partner_id:
            raise NotFound
        statement = selectors.running_estimate(request.user.partner_id, periods.current_period())
        return Response(RunningStatementSerializer(statement).data)


class ProgramPeriodViewSet(viewsets.ReadOnlyModelViewSet):
    """The incentive program's periods, rates and rules."""

    permission_classes = [HasCapability]
    required_capability = VIEW_PROGRAM
    serializer_class = ProgramPeriodSerializer
    filter_backends: list = []

    def get_queryset(self):
        if is_schema_view(self):
            return ProgramPeriod.objects.none()
        return selectors.program_periods()


class ApplicationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """PCE opportunity-sharing incentive applications: the partner's own (all for BD).
    Creating one applies; each step of the flow is an action."""

    permission_classes = [HasCapability]
    required_capability = {
        "default": VIEW_APPLICATIONS,
        "create": APPLY_INCENTIVES,
        "publish": REVIEW_INCENTIVES,
        "reject": REVIEW_INCENTIVES,
        "mark_paid": REVIEW_INCENTIVES,
        "dispute": SETTLE_INCENTIVES,
        "confirm": SETTLE_INCENTIVES,
        "request_payment": SETTLE_INCENTIVES,
    }
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter

    def get_queryset(self):
        if is_schema_view(self):
            return IncentiveApplication.objects.none()
        return selectors.applications_for(self.request.user).order_by("-applied_at", "-pk")

    def _fresh(self, application, code=status.HTTP_200_OK):
        found = self.get_queryset().get(pk=application.pk)
        return Response(ApplicationSerializer(found).data, status=code)

    @extend_schema(request=ApplySerializer, responses={201: ApplicationSerializer})
    def create(self, request, *args, **kwargs):
        body = validated(ApplySerializer, request)
        opportunity = selectors.opportunity_of_partner(request.user, body["opportunity"])
        application = services.incentive_apply(
            actor=request.user,
            opportunity=opportunity,
            offering=body["offering"],
            note=body.get("note", ""),
        )
        return self._fresh(application, status.HTTP_201_CREATED)

    @extend_schema(parameters=[PK], request=PublishSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """BD publishes the reconciliation summary (basis computed unless given)."""
        body = validated(PublishSerializer, request)
        application = services.incentive_publish(
            actor=request.user,
            application=self.get_object(),
            basis=body.get("basis"),
            note=body.get("note", ""),
        )
        return self._fresh(application)

    @extend_schema(parameters=[PK], request=ReasonSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        body = validated(ReasonSerializer, request)
        application = services.incentive_reject(
            actor=request.user, application=self.get_object(), reason=body["reason"]
        )
        return self._fresh(application)

    @extend_schema(parameters=[PK], request=ReasonSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def dispute(self, request, pk=None):
        """The partner disputes the published amounts; the application goes back to BD."""
        application = self.get_object()  # 404 for another partner's, before validation
        body = validated(ReasonSerializer, request)
        application = services.incentive_dispute(
            actor=request.user, application=application, reason=body["reason"]
        )
        return self._fresh(application)

    @extend_schema(parameters=[PK], request=None, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        application = services.incentive_confirm(actor=request.user, application=self.get_object())
        return self._fresh(application)

    @extend_schema(
        parameters=[PK], request=PaymentRequestSerializer, responses=ApplicationSerializer
    )
    @action(detail=True, methods=["post"])
    def request_payment(self, request, pk=None):
        application = self.get_object()  # 404 for another partner's, before validation
        body = validated(PaymentRequestSerializer, request)
        application = services.incentive_request_payment(
            actor=request.user,
            application=application,
            invoice_no=body["invoice_no"],
        )
        return self._fresh(application)

    @extend_schema(parameters=[PK], request=MarkPaidSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def mark_paid(self, request, pk=None):
        body = validated(MarkPaidSerializer, request)
        application = services.incentive_mark_paid(
            actor=request.user,
            application=self.get_object(),
            reference=body.get("reference", ""),
        )
        return self._fresh(application)


class PendingViewSet(viewsets.GenericViewSet):
    """The "pending application" list: each offering of each opportunity with the core
    label and a completed delivery, not applied for yet, with whether it can be applied
    for today and why not."""

    permission_classes = [HasCapability]
    required_capability = APPLY_INCENTIVES
    serializer_class = PendingRowSerializer
    filter_backends: list = []

    def get_queryset(self):
        return IncentiveApplication.objects.none()  # rows are computed, see list()

    def list(self, request):
        rows = selectors.pending_for(request.user.partner_id).rows
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(PendingRowSerializer(page, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("opportunity", OpenApiTypes.INT, required=True),
            OpenApiParameter("offering", OpenApiTypes.STR, required=True),
        ],
        responses=EligibilitySerializer,
    )
    @action(detail=False)
    def check(self, request):
        """Whether one offering of one of your opportunities can be applied for, and why not."""
        raw = request.query_params.get("opportunity", "")
        if not raw.isdigit():
            raise NotFound
        opportunity = selectors.opportunity_of_partner(request.user, int(raw))
        verdict = selectors.eligibility_for(opportunity, request.query_params.get("offering", ""))
        return Response(EligibilitySerializer(verdict).data)
