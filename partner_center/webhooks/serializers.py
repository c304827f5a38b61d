from rest_framework import serializers

from partner_center.serializer_fields import ReadOnlyCharField, ReadOnlyModelSerializer

from .event_types import EventType
from .models import DeliveryAttempt, PartnerEvent, WebhookDelivery, WebhookEndpoint


class EndpointSerializer(serializers.ModelSerializer):
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices),
        required=False,
        allow_empty=True,
        help_text="The event types sent to this endpoint; empty: every type (also future ones).",
    )
    partner = serializers.IntegerField(
        source="partner_id",
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text="The partner (vendor admins only; a partner admin's own partner otherwise).",
    )
    secret_hint = ReadOnlyCharField(help_text="The first characters of the signing secret.")

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "partner",
            "url",
            "description",
            "event_types",
            "is_active",
            "secret_hint",
            *WebhookEndpoint.KEPT_FIELDS,
        ]
        read_only_fields = [
            "id",
            "secret_hint",
            *WebhookEndpoint.KEPT_FIELDS,
        ]


class EndpointWithSecretSerializer(EndpointSerializer):
    secret = ReadOnlyCharField(
        help_text="The signing secret: shown in this answer only (create, rotate-secret)."
    )

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]


class AttemptSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = DeliveryAttempt
        fields = DeliveryAttempt.LOG_FIELDS


class DeliverySerializer(ReadOnlyModelSerializer):
    event_type = ReadOnlyCharField(source="event.type")

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "endpoint",
            "event",
            "event_type",
            "state",
            "attempts",
            "next_attempt_at",
            "created_at",
            "finished_at",
            "last_status_code",
            "last_error",
            "redelivery_of",
        ]


class DeliveryDetailSerializer(DeliverySerializer):
    attempt_log = AttemptSerializer(many=True, read_only=True)

    class Meta(DeliverySerializer.Meta):
        fields = [*DeliverySerializer.Meta.fields, "attempt_log"]


class EventSerializer(ReadOnlyModelSerializer):
    """The same envelope a webhook's body carries."""

    partner_id = serializers.IntegerField(read_only=True)
    data = serializers.JSONField(
        source="payload",
        read_only=True,
        help_text="`object` (kind, id, state, previous_state), `links` (html, api), `action`.",
    )

    class Meta:
        model = PartnerEvent
        fields = ["id", "type", "created_at", "partner_id", "data"]

    def to_representation(self, instance):
        from .events import envelope

        return envelope(instance)  # byte for byte what the webhook's body holds


class EventFeedSerializer(serializers.Serializer):
    results = EventSerializer(many=True)
    next_after = serializers.IntegerField(
        help_text="The cursor for the next call: `?after=` this value."
    )
    has_more = serializers.BooleanField(help_text="More events wait after `next_after`.")
