from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from partner_center.accounts.access import HasCapability
from partner_center.api import validated

from . import services
from .filters import NotificationFilter
from .models import Notification, Topic
from .permissions import MANAGE_SUBSCRIPTIONS, USE_NOTIFICATIONS
from .selectors import email_enabled_for, notifications_for, subscribed_topics_of, unread_count_for
from .serializers import (
    MarkedSerializer,
    MarkReadSerializer,
    NotificationSerializer,
    PreferenceSerializer,
    SubscriptionUpdateSerializer,
    TopicSerializer,
    UnreadCountSerializer,
)


@extend_schema(parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)])
class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's notifications, newest first. Filter by `area`, `read` (read/unread),
    `kind`, `sent_after`, `sent_before`."""

    permission_classes = [HasCapability]
    required_capability = USE_NOTIFICATIONS
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return notifications_for(self.request.user)

    @extend_schema(responses=UnreadCountSerializer, parameters=[])
    @action(detail=False, methods=["get"], url_path="unread-count", filter_backends=[])
    def unread_count(self, request):
        return Response({"unread": unread_count_for(request.user)})

    @extend_schema(request=MarkReadSerializer, responses=MarkedSerializer, parameters=[])
    @action(detail=False, methods=["post"], url_path="mark-read", filter_backends=[])
    def mark_read(self, request):
        body = validated(MarkReadSerializer, request)
        marked = services.mark_read(actor=request.user, notification_ids=body.get("ids"))
        return Response({"marked": marked})


class PreferenceView(APIView):
    """Whether the caller's notifications are also e-mailed."""

    permission_classes = [HasCapability]
    required_capability = USE_NOTIFICATIONS

    @extend_schema(responses=PreferenceSerializer)
    def get(self, request):
        return Response({"email_enabled": email_enabled_for(request.user)})

    @extend_schema(request=PreferenceSerializer, responses=PreferenceSerializer)
    def put(self, request):
        body = validated(PreferenceSerializer, request)
        pref = services.preference_set(actor=request.user, **body)
        return Response({"email_enabled": pref.email_enabled})


class SubscriptionView(APIView):
    """The topics the caller may subscribe to and whether it does. PUT sets the full list;
    reseller_info is refused (400) unless the partner is a distributor."""

    permission_classes = [HasCapability]
    required_capability = MANAGE_SUBSCRIPTIONS

    def _topics(self, user):
        subscribed = subscribed_topics_of(user)
        return [
            {"topic": t, "label": str(Topic(t).label), "subscribed": t in subscribed}
            for t in services.topics_for_partner(user.partner)
        ]

    @extend_schema(responses=TopicSerializer(many=True))
    def get(self, request):
        return Response(self._topics(request.user))

    @extend_schema(request=SubscriptionUpdateSerializer, responses=TopicSerializer(many=True))
    def put(self, request):
        body = validated(SubscriptionUpdateSerializer, request)
        services.subscriptions_set(actor=request.user, topics=body["topics"])
        return Response(self._topics(request.user))
