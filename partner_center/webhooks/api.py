"""Webhook endpoints, their deliveries, and the events feed (`GET /api/v1/events/`)."""

from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from partner_center.accounts.access import HasCapability, is_vendor_staff
from partner_center.accounts.models import Partner
from partner_center.api import validated
from partner_center.errors import DomainError

from . import selectors, services
from .models import WebhookDelivery, WebhookEndpoint
from .permissions import MANAGE_WEBHOOKS, READ_EVENTS
from .serializers import (
    DeliveryDetailSerializer,
    DeliverySerializer,
    EndpointSerializer,
    EndpointWithSecretSerializer,
    EventFeedSerializer,
)

MAX_ID = 2**63 - 1  # a database id (bigint); larger values are a 400, not a database error


class EndpointViewSet(viewsets.ModelViewSet):
    """The partner's webhook endpoints. Creating one answers its signing secret, once."""

    permission_classes = [HasCapability]
    required_capability = MANAGE_WEBHOOKS
    serializer_class = EndpointSerializer
    http_method_names = ["get", "post", "patch", "delete"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WebhookEndpoint.objects.none()
        return selectors.endpoints_for(self.request.user)

    def _partner_for_create(self, data) -> Partner:
        user = self.request.user
        if not is_vendor_staff(user):
            return user.partner
        partner = Partner.objects.filter(pk=data.get("partner_id")).first()
        if partner is None:
            raise DomainError(gettext("This field is required."), field="partner")
        return partner

    @extend_schema(
        summary="Register a webhook endpoint",
        request=EndpointSerializer,
        responses={201: EndpointWithSecretSerializer},
        description="Register an endpoint; the answer holds its signing secret (shown once).",
    )
    def create(self, request, *args, **kwargs):
        body = validated(EndpointSerializer, request)
        data = dict(body)
        endpoint, secret = services.endpoint_create(
            actor=request.user,
            partner=self._partner_for_create(data),
            url=data["url"],
            event_types=data.get("event_types", []),
            description=data.get("description", ""),
            is_active=data.get("is_active", True),
        )
        endpoint.secret = secret
        return Response(EndpointWithSecretSerializer(endpoint).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Change a webhook endpoint", request=EndpointSerializer)
    def partial_update(self, request, *args, **kwargs):
        endpoint = self.get_object()
        body = EndpointSerializer(endpoint, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        changes = {k: v for k, v in body.validated_data.items() if k != "partner_id"}
        endpoint = services.endpoint_update(actor=request.user, endpoint=endpoint, **changes)
        return Response(EndpointSerializer(endpoint).data)

    def update(self, request, *args, **kwargs):  # PUT is not offered (http_method_names)
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(summary="Delete a webhook endpoint")
    def destroy(self, request, *args, **kwargs):
        services.endpoint_delete(actor=request.user, endpoint=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Replace the signing secret",
        request=None,
        responses=EndpointWithSecretSerializer,
        description="A new signing secret; the old one stops working at once. Shown once.",
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        endpoint = self.get_object()
        services.endpoint_rotate_secret(actor=request.user, endpoint=endpoint)
        return Response(EndpointWithSecretSerializer(endpoint).data)


@extend_schema(parameters=[OpenApiParameter("endpoint", int, description="Only this endpoint's.")])
class DeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Deliveries of events to the partner's endpoints, newest first, with each attempt's
    status, latency and response excerpt."""

    permission_classes = [HasCapability]
    required_capability = MANAGE_WEBHOOKS

    def get_serializer_class(self):
        return DeliveryDetailSerializer if self.action == "retrieve" else DeliverySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WebhookDelivery.objects.none()
        qs = selectors.deliveries_for(self.request.user)
        if self.action == "retrieve":
            return qs.prefetch_related("attempt_log")
        if self.request.query_params.get("endpoint"):
            endpoint = _int_param(self.request, "endpoint", 0, minimum=1, maximum=MAX_ID)
            qs = qs.filter(endpoint_id=endpoint)
        return qs

    @extend_schema(
        summary="Send a delivery again",
        request=None,
        responses={202: DeliverySerializer},
        description="Queue the delivery's event for its endpoint again, as a new delivery.",
    )
    @action(detail=True, methods=["post"])
    def redeliver(self, request, pk=None):
        again = services.delivery_redeliver(actor=request.user, delivery=self.get_object())
        return Response(DeliverySerializer(again).data, status=status.HTTP_202_ACCEPTED)


class EventFeedView(APIView):
    """The partner's events after a cursor, oldest first: the same payloads as the webhooks,
    for systems that poll instead. Start with `after=0`, then pass `next_after`."""

    permission_classes = [HasCapability]
    required_capability = READ_EVENTS
    MAX_LIMIT = 200

    @extend_schema(
        summary="List the partner's events after a cursor",
        parameters=[
            OpenApiParameter(
                "after",
                int,
                description="Only events with a larger id (default 0: from the start).",
            ),
            OpenApiParameter("limit", int, description="How many (1 to 200, default 50)."),
            OpenApiParameter(
                "partner", int, description="Vendor staff only: one partner's events."
            ),
        ],
        responses=EventFeedSerializer,
    )
    def get(self, request):
        after = _int_param(request, "after", 0, minimum=0, maximum=MAX_ID)
        limit = _int_param(request, "limit", 50, minimum=1, maximum=self.MAX_LIMIT)
        partner_id = None
        if is_vendor_staff(request.user) and request.query_params.get("partner"):
            partner_id = _int_param(request, "partner", 0, minimum=1, maximum=MAX_ID)
        rows = list(
            selectors.events_for(request.user, after=after, partner_id=partner_id)[: limit + 1]
        )
        has_more = len(rows) > limit
        rows = rows[:limit]
        body = EventFeedSerializer(
            {
                "results": rows,
                "next_after": rows[-1].pk if rows else after,
                "has_more": has_more,
            }
        )
        return Response(body.data)


def _int_param(request, name, default, *, minimum=None, maximum=None) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if (
        value is None
        or (minimum is not None and value < minimum)
        or (maximum is not None and value > maximum)
    ):
        raise serializers.ValidationError({name: [_range_message(minimum, maximum)]})
    return value


def _range_message(minimum, maximum) -> str:
    return gettext("Enter a whole number from %(min)s to %(max)s.") % {
        "min": minimum,
        "max": maximum,
    }
