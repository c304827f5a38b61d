from rest_framework import serializers

from .models import Notification, Topic


class NotificationSerializer(serializers.ModelSerializer):
    area = serializers.CharField(read_only=True)
    title = serializers.CharField(source="title_text", read_only=True)
    body = serializers.CharField(source="body_text", read_only=True)

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
        read_only_fields = fields


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
