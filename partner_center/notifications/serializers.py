from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partner_center.accounts.language import preferred_language
from partner_center.serializer_fields import ReadOnlyCharField, ReadOnlyModelSerializer

from .models import Notification, Topic


class NotificationSerializer(ReadOnlyModelSerializer):
    """Title and body in the caller's preferred language (else the request's language),
    as the e-mail and the portal show them."""

    area = ReadOnlyCharField()
    title = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()

    def _language(self) -> str:
        request = self.context.get("request")
        return preferred_language(getattr(request, "user", None), translation.get_language())

    @extend_schema_field(OpenApiTypes.STR)
    def get_title(self, note: Notification) -> str:
        return note.title_in(self._language())

    @extend_schema_field(OpenApiTypes.STR)
    def get_body(self, note: Notification) -> str:
        return note.body_in(self._language())

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "area",
            "title",
            "body",
            "link",
            "created_at",
            "read_at",
            "emailed_at",
        ]


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="Notifications to mark read; all unread ones when left out.",
    )


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class PreferenceSerializer(serializers.Serializer):
    email_enabled = serializers.BooleanField()


class TopicSerializer(serializers.Serializer):
    topic = serializers.ChoiceField(choices=Topic.choices)
    label = serializers.CharField()
    subscribed = serializers.BooleanField()


class SubscriptionUpdateSerializer(serializers.Serializer):
    topics = serializers.ListField(
        child=serializers.CharField(max_length=32),
        allow_empty=True,
        help_text="The complete list of topics to receive (values of `topic`); reseller_info: "
        "distributors only.",
    )
