from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from partner_center.accounts.access import HasCapability
from partner_center.accounts.permissions import PARTNER_PATHS, PartnerType
from partner_center.api import validated

from . import services
from .filters import PCEApplicationFilter
from .models import PCEApplication
from .permissions import (
    DEREGISTER_PARTNER,
    MANAGE_PROGRAMS,
    REVIEW_PCE,
    VIEW_PCE_APPLICATIONS,
    VIEW_PROGRAMS,
)
from .selectors import pce_applications_for
from .serializers import (
    DecisionSerializer,
    DeregistrationSerializer,
    DeregistrationStatusSerializer,
    PathChangeSerializer,
    PathSerializer,
    PCEApplicationSerializer,
    PCEApplySerializer,
)


def _paths_of(partner) -> list[dict]:
    joined = set(services.joined_paths(partner))
    return [
        {"path": p.value, "label": str(PartnerType(p).label), "joined": p in joined}
        for p in PARTNER_PATHS
    ]


class PathListView(APIView):
    """The four partner paths and whether the caller's partner has joined each."""

    permission_classes = [HasCapability]
    required_capability = VIEW_PROGRAMS

    @extend_schema(responses=PathSerializer(many=True))
    def get(self, request):
        return Response(_paths_of(request.user.partner))


class PathChangeView(APIView):
    """Join or exit a partner path (partner admin)."""

    permission_classes = [HasCapability]
    required_capability = MANAGE_PROGRAMS
    action_name = "join"

    @extend_schema(request=PathChangeSerializer, responses=PathSerializer(many=True))
    def post(self, request):
        body = validated(PathChangeSerializer, request)
        change = services.path_join if self.action_name == "join" else services.path_exit
        change(actor=request.user, partner=request.user.partner, path=body["path"])
        return Response(_paths_of(request.user.partner))


class DeregistrationView(APIView):
    """Whether the partner account can be deregistered; POST deregisters it. Refused with
    400 naming the paths to exit while any partner path is joined."""

    permission_classes = [HasCapability]
    required_capability = DEREGISTER_PARTNER

    def _status(self, partner):
        blockers = [str(b) for b in services.deregistration_blockers(partner)]
        return {
            "can_deregister": partner.is_active and not blockers,
            "paths_to_exit": blockers,
            "is_active": partner.is_active,
        }

    @extend_schema(responses=DeregistrationStatusSerializer)
    def get(self, request):
        return Response(self._status(request.user.partner))

    @extend_schema(request=DeregistrationSerializer, responses=DeregistrationStatusSerializer)
    def post(self, request):
        body = validated(DeregistrationSerializer, request)
        partner = services.partner_deregister(
            actor=request.user,
            partner=request.user.partner,
            confirm_name=body["confirm_name"],
        )
        return Response(self._status(partner))


@extend_schema(parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)])
class PCEApplicationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """PCE applications: a partner sees its own and applies; BD sees all and decides."""

    permission_classes = [HasCapability]
    required_capability = {
        "default": VIEW_PCE_APPLICATIONS,
        "create": MANAGE_PROGRAMS,
        "approve": REVIEW_PCE,
        "reject": REVIEW_PCE,
    }
    serializer_class = PCEApplicationSerializer
    filterset_class = PCEApplicationFilter
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PCEApplication.objects.none()
        return pce_applications_for(self.request.user)

    @extend_schema(request=PCEApplySerializer, responses={201: PCEApplicationSerializer})
    def create(self, request):
        body = validated(PCEApplySerializer, request)
        application = services.pce_apply(actor=request.user, partner=request.user.partner, **body)
        return Response(PCEApplicationSerializer(application).data, status=status.HTTP_201_CREATED)

    def _decide(self, request, decide):
        body = validated(DecisionSerializer, request)
        application = decide(
            actor=request.user, application=self.get_object(), reason=body.get("reason", "")
        )
        return Response(PCEApplicationSerializer(application).data)

    @extend_schema(request=DecisionSerializer, responses=PCEApplicationSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, services.pce_approve)

    @extend_schema(request=DecisionSerializer, responses=PCEApplicationSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, services.pce_reject)
