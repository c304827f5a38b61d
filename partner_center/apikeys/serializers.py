from rest_framework import serializers

from partner_center.serializer_fields import ReadOnlyCharField, ReadOnlyModelSerializer

from .models import ApiKey, KeyStatus
from .scopes import ALL_SCOPES
from .services import MAX_DAYS


class ApiKeySerializer(ReadOnlyModelSerializer):
    """A key as listed: never its secret."""

    prefix = ReadOnlyCharField(source="display_prefix")
    status = serializers.ChoiceField(choices=KeyStatus.choices, read_only=True)
    user_email = serializers.EmailField(source="user.email", read_only=True)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=ALL_SCOPES))

    class Meta:
        model = ApiKey
        fields = [
            "id",
            "label",
            "prefix",
            "scopes",
            "user_email",
            "created_at",
            "expires_at",
            "revoked_at",
            "last_used_at",
            "last_used_ip",
            "migrated",
            "status",
        ]


class ApiKeyCreateSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=100)
    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=ALL_SCOPES),
        allow_empty=True,
        max_length=len(ALL_SCOPES),
        help_text="Write scopes; `read` is always included.",
    )
    expires_in_days = serializers.IntegerField(min_value=1, max_value=MAX_DAYS)


class ApiKeyCreatedSerializer(ApiKeySerializer):
    """The new key, with the full key text: shown this once, never again."""

    key = ReadOnlyCharField(help_text="`pck_<prefix>_<secret>`: keep it.")

    class Meta(ApiKeySerializer.Meta):
        fields = [*ApiKeySerializer.Meta.fields, "key"]
