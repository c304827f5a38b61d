from rest_framework import serializers

from partner_center.serializer_fields import ReadOnlyModelSerializer

from .models import Partner, User


class PartnerSerializer(ReadOnlyModelSerializer):
    types = serializers.SerializerMethodField()

    class Meta:
        model = Partner
        fields = [
            "id",
            "name",
            "credit_code",
            "contact_email",
            "contact_phone",
            "types",
            "parent_distributor",
            "is_active",
        ]

    def get_types(self, obj) -> list[str]:
        return sorted(obj.type_codes)


class MeSerializer(ReadOnlyModelSerializer):
    partner = PartnerSerializer(read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "role", "partner"]
