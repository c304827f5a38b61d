from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from .access import HasCapability
from .models import Partner
from .permissions import USE_API
from .selectors import partners_for
from .serializers import MeSerializer, PartnerSerializer


class MeView(APIView):
    """The signed-in user, its role and partner."""

    permission_classes = [HasCapability]
    required_capability = USE_API

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class PartnerViewSet(viewsets.ReadOnlyModelViewSet):
    """Partners the caller may see (its own, its resellers; all for vendor staff)."""

    permission_classes = [HasCapability]
    required_capability = USE_API
    serializer_class = PartnerSerializer
    filterset_fields = ["is_active", "parent_distributor"]
    ordering_fields = ["name", "created_at"]
    ordering = ["name"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Partner.objects.none()
        return partners_for(self.request.user).order_by("name")
