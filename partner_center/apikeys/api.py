from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from partner_center.accounts.access import HasCapability
from partner_center.api import validated

from . import services
from .models import ApiKey
from .permissions import MANAGE_API_KEYS
from .scopes import Scope
from .selectors import keys_for
from .serializers import ApiKeyCreatedSerializer, ApiKeyCreateSerializer, ApiKeySerializer


class ApiKeyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """API keys: a partner admin's list is the partner's keys, staff see their own keys.
    The secret is shown once, in the answer to the create."""

    permission_classes = [HasCapability]
    required_capability = MANAGE_API_KEYS
    required_scope = Scope.ACCOUNT
    serializer_class = ApiKeySerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ApiKey.objects.none()
        return keys_for(self.request.user)

    @extend_schema(
        request=ApiKeyCreateSerializer,
        responses={201: ApiKeyCreatedSerializer},
        examples=[
            OpenApiExample(
                "A CRM key",
                value={"label": "CRM sync", "scopes": ["opportunities"], "expires_in_days": 90},
                request_only=True,
            )
        ],
    )
    def create(self, request):
        """Create a key: its full text is in this answer only (`key`)."""
        body = validated(ApiKeyCreateSerializer, request)
        via_key = request.auth if isinstance(request.auth, ApiKey) else None
        key, full = services.create_key(actor=request.user, via_key=via_key, **body)
        data = ApiKeyCreatedSerializer(key).data
        data["key"] = full
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ApiKeySerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """Revoke a key: it stops working at once."""
        key = services.revoke_key(actor=request.user, key=self.get_object())
        return Response(ApiKeySerializer(key).data)
