"""The pipeline API (issue [5]): PO/HO assessment, pipeline dashboards, lead routing and
the HO profile — the same selectors as the pages, so the same figures."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from partner_center.accounts.access import HasCapability, is_vendor_staff
from partner_center.accounts.models import Partner
from partner_center.accounts.permissions import PartnerType
from partner_center.api import is_schema_view, validated
from partner_center.periods import current_period, is_period, parse_period

from . import assessment, dashboards, routing
from .catalog import Industry, Product, Region
from .models import VendorLead
from .permissions import (
    MANAGE_HO_PROFILE,
    REVIEW_OPPORTUNITIES,
    VIEW_OPPORTUNITIES,
    VIEW_PIPELINE,
)
from .services.pipeline import update_ho_profile

PERIOD = OpenApiParameter("period", OpenApiTypes.STR, description="Billing period YYYY-MM.")
DASHBOARD_PARAMS = [
    OpenApiParameter(
        "period", OpenApiTypes.STR, description="Clock started in this period (YYYY-MM)."
    ),
    OpenApiParameter("region", OpenApiTypes.STR, enum=Region.values),
    OpenApiParameter("industry", OpenApiTypes.STR, enum=Industry.values),
]
BD_PARAMS = [
    *DASHBOARD_PARAMS,
    OpenApiParameter("bd_owner", OpenApiTypes.INT, description="A BD user's id."),
    OpenApiParameter("partner", OpenApiTypes.INT, description="A partner's id."),
    OpenApiParameter("by", OpenApiTypes.STR, enum=list(dashboards.BREAKDOWNS)),
]
MONEY = {"max_digits": 16, "decimal_places": 2}


# ---- Serializers (responses) -------------------------------------------------------------


class FiguresSerializer(serializers.Serializer):
    """Counts and amounts of verified POs and accepted HOs."""

    po_count = serializers.IntegerField()
    po_amount = serializers.DecimalField(**MONEY)
    ho_count = serializers.IntegerField()
    ho_amount = serializers.DecimalField(**MONEY)
    total_count = serializers.IntegerField()
    total_amount = serializers.DecimalField(**MONEY)


class AssessmentRowSerializer(FiguresSerializer):
    partner = serializers.IntegerField(source="pk")
    partner_name = serializers.CharField(source="name")


class PeriodFiguresSerializer(FiguresSerializer):
    period = serializers.CharField()


class PartnerAssessmentSerializer(serializers.Serializer):
    partner = serializers.IntegerField()
    period = serializers.CharField()
    current = PeriodFiguresSerializer()
    history = PeriodFiguresSerializer(many=True, help_text="12 periods, oldest first.")


class FunnelStepSerializer(serializers.Serializer):
    kind = serializers.CharField()
    state = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    amount = serializers.DecimalField(**MONEY)


class StageRowSerializer(serializers.Serializer):
    stage = serializers.CharField(help_text='"" before the first progress update.')
    label = serializers.CharField()
    probability = serializers.IntegerField(help_text="Percent, set by the vendor.")
    count = serializers.IntegerField()
    amount = serializers.DecimalField(**MONEY)
    weighted = serializers.DecimalField(**MONEY)


class SlaSerializer(serializers.Serializer):
    po_verified = serializers.IntegerField()
    po_rejected_by_bd = serializers.IntegerField()
    po_auto_rejected = serializers.IntegerField()
    po_open = serializers.IntegerField()
    ho_accepted = serializers.IntegerField()
    ho_declined = serializers.IntegerField()
    ho_auto_declined = serializers.IntegerField()
    ho_open = serializers.IntegerField()
    verified_within_sla = serializers.FloatField(allow_null=True)
    po_decided_in_time = serializers.FloatField(allow_null=True)
    ho_answered_in_time = serializers.FloatField(allow_null=True)
    median_days_to_verify = serializers.FloatField(allow_null=True)
    median_days_to_accept = serializers.FloatField(allow_null=True)


class DueItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    state = serializers.CharField()
    partner = serializers.IntegerField(source="partner_id")
    partner_name = serializers.CharField(source="partner.name")
    customer_name = serializers.CharField()
    deadline = serializers.DateTimeField()
    bd_owner = serializers.IntegerField(source="bd_owner_id", allow_null=True)


class BreakdownRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    total = serializers.IntegerField()
    open = serializers.IntegerField()
    active = serializers.IntegerField()
    active_amount = serializers.DecimalField(**MONEY)
    auto_ended = serializers.IntegerField()


class WinRateSerializer(serializers.Serializer):
    won = serializers.IntegerField()
    lost = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class PartnerDashboardSerializer(serializers.Serializer):
    funnel = FunnelStepSerializer(many=True)
    stages = StageRowSerializer(many=True)
    weighted = serializers.DecimalField(**MONEY)
    open_amount = serializers.DecimalField(**MONEY)
    win = WinRateSerializer()
    sla = SlaSerializer()


class BDDashboardSerializer(serializers.Serializer):
    funnel = FunnelStepSerializer(many=True)
    stages = StageRowSerializer(many=True)
    weighted = serializers.DecimalField(**MONEY)
    sla = SlaSerializer()
    overdue = DueItemSerializer(many=True)
    due_today = DueItemSerializer(many=True)
    breakdown_by = serializers.CharField()
    breakdown = BreakdownRowSerializer(many=True)


class FactorSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    points = serializers.FloatField()
    max_points = serializers.FloatField()
    detail = serializers.CharField()


class CandidateSerializer(serializers.Serializer):
    partner = serializers.IntegerField(source="partner.pk")
    partner_name = serializers.CharField(source="partner.name")
    score = serializers.FloatField()
    eligible = serializers.BooleanField()
    reason = serializers.CharField()
    factors = FactorSerializer(many=True)


class RoutingSerializer(serializers.Serializer):
    lead = serializers.IntegerField()
    max_score = serializers.IntegerField()
    candidates = CandidateSerializer(many=True)


class HOProfileSerializer(serializers.Serializer):
    industries = serializers.ListField(
        child=serializers.CharField(),
        help_text="Industry codes: " + ", ".join(Industry.values),
    )
    regions = serializers.ListField(
        child=serializers.CharField(), help_text="Region codes: " + ", ".join(Region.values)
    )
    products = serializers.ListField(
        child=serializers.CharField(), help_text="Product codes: " + ", ".join(Product.values)
    )
    labels = serializers.ListField(child=serializers.CharField(), read_only=True)
    pending = serializers.IntegerField(read_only=True)
    acceptance_rate = serializers.FloatField(read_only=True, allow_null=True)
    sla_record = serializers.FloatField(read_only=True, allow_null=True)
    verified_pos = serializers.IntegerField(read_only=True)


class RequirementSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    target = serializers.CharField()
    current = serializers.CharField()
    met = serializers.BooleanField()
    hint = serializers.CharField()


class RequirementsSerializer(serializers.Serializer):
    profile = HOProfileSerializer()
    requirements = RequirementSerializer(many=True)
    all_met = serializers.BooleanField()


# ---- Views -------------------------------------------------------------------------------


class AssessmentViewSet(viewsets.GenericViewSet):
    """PO/HO assessment per partner and billing period: verified POs and accepted HOs.
    Vendor staff see every partner; a partner's users only their own."""

    permission_classes = [HasCapability]
    required_capability = VIEW_OPPORTUNITIES
    serializer_class = AssessmentRowSerializer
    filter_backends: list = []

    def _period(self) -> str:
        return parse_period(self.request.query_params.get("period"), current_period())

    def get_queryset(self):
        if is_schema_view(self):
            return Partner.objects.none()
        params = self.request.query_params
        partner_type = params.get("partner_type", "")
        region = params.get("region", "")
        sort = params.get("sort", assessment.DEFAULT_SORT)
        rows = assessment.overview(
            self._period(),
            partner_type=partner_type if partner_type in PartnerType.values else "",
            region=region if region in Region.values else "",
            sort=sort if sort in assessment.SORTS else assessment.DEFAULT_SORT,
        )
        if not is_vendor_staff(self.request.user):
            rows = rows.filter(pk=self.request.user.partner_id)
        return rows

    @extend_schema(
        parameters=[
            PERIOD,
            OpenApiParameter("partner_type", OpenApiTypes.STR, enum=PartnerType.values),
            OpenApiParameter(
                "region", OpenApiTypes.STR, enum=Region.values, description="Customer region."
            ),
            OpenApiParameter("sort", OpenApiTypes.STR, enum=list(assessment.SORTS)),
        ]
    )
    def list(self, request):
        """Partners with their assessment figures of the period (paginated)."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(AssessmentRowSerializer(page, many=True).data)

    @extend_schema(parameters=[PERIOD], responses=PartnerAssessmentSerializer)
    def retrieve(self, request, pk=None):
        """One partner's figures: the period and the 12 periods ending with it."""
        partner = get_object_or_404(Partner, pk=pk)
        if not is_vendor_staff(request.user) and partner.pk != request.user.partner_id:
            raise Http404
        figures = assessment.for_partner(partner.pk, self._period())
        data = {
            "partner": partner.pk,
            "period": figures.period,
            "current": figures.current,
            "history": figures.history,
        }
        return Response(PartnerAssessmentSerializer(data).data)


def _filters(request, *, bd: bool) -> dashboards.Filters:
    params = request.query_params
    period = params.get("period", "")

    def number(name):
        value = params.get(name, "")
        return int(value) if bd and value.isdigit() else None

    return dashboards.Filters(
        period=period if is_period(period) else "",
        region=params.get("region", "") if params.get("region") in Region.values else "",
        industry=params.get("industry", "") if params.get("industry") in Industry.values else "",
        bd_owner_id=number("bd_owner"),
        partner_id=number("partner"),
    )


class PipelineDashboardViewSet(viewsets.GenericViewSet):
    """Pipeline dashboards: BD's across every partner, and a partner's own."""

    permission_classes = [HasCapability]
    required_capability = {"bd": REVIEW_OPPORTUNITIES, "partner": VIEW_PIPELINE}
    serializer_class = PartnerDashboardSerializer
    filter_backends: list = []
    pagination_class = None

    @extend_schema(parameters=BD_PARAMS, responses=BDDashboardSerializer)
    @action(detail=False)
    def bd(self, request):
        """BD's dashboard: funnel, stages, SLA compliance, overdue and due today, breakdown."""
        board = dashboards.bd_dashboard(
            _filters(request, bd=True), breakdown_by=request.query_params.get("by", "bd_owner")
        )
        return Response(BDDashboardSerializer(board).data)

    @extend_schema(parameters=DASHBOARD_PARAMS, responses=PartnerDashboardSerializer)
    @action(detail=False)
    def partner(self, request):
        """The partner's own dashboard: funnel, win rate, stages and weighted pipeline."""
        board = dashboards.partner_dashboard(request.user.partner_id, _filters(request, bd=False))
        return Response(PartnerDashboardSerializer(board).data)


def _requirements_data(partner_id: int) -> dict:
    found = routing.requirements(partner_id)
    return {
        "profile": routing.profile_of(partner_id),
        "requirements": found,
        "all_met": all(r.met for r in found),
    }


class RoutingViewSet(viewsets.GenericViewSet):
    """Lead routing (R5.7): partners ranked by fit for an HO lead; a partner's HO profile
    and the HO requirements it must reach (R5.8)."""

    permission_classes = [HasCapability]
    required_capability = {
        "retrieve": REVIEW_OPPORTUNITIES,
        "requirements": VIEW_PIPELINE,
        "profile": MANAGE_HO_PROFILE,
    }
    serializer_class = RoutingSerializer
    filter_backends: list = []
    pagination_class = None

    def get_queryset(self):
        return VendorLead.objects.all()

    @extend_schema(responses=RoutingSerializer)
    def retrieve(self, request, pk=None):
        """Every active PCE member for this lead, the eligible first by score, with the
        points of each factor."""
        lead = get_object_or_404(VendorLead, pk=pk)
        data = {"lead": lead.pk, "max_score": routing.MAX_SCORE, "candidates": routing.rank(lead)}
        return Response(RoutingSerializer(data).data)

    @extend_schema(responses=RequirementsSerializer)
    @action(detail=False)
    def requirements(self, request):
        """The partner's HO profile and where it stands against the HO requirements."""
        return Response(RequirementsSerializer(_requirements_data(request.user.partner_id)).data)

    @extend_schema(request=HOProfileSerializer, responses=RequirementsSerializer)
    @action(detail=False, methods=["put"])
    def profile(self, request):
        """Replace the industries, regions and products the partner serves (partner admin)."""
        data = validated(HOProfileSerializer, request)
        update_ho_profile(
            actor=request.user,
            partner_id=request.user.partner_id,
            industries=data["industries"],
            regions=data["regions"],
            products=data["products"],
        )
        return Response(RequirementsSerializer(_requirements_data(request.user.partner_id)).data)
