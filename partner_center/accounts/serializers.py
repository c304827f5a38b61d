from rest_framework import serializers

from .models import Partner, User


class PartnerSerializer(serializers.ModelSerializer):
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
        read_only_fields = fields

    def get_types(self, obj) -> list[str]:
        return sorted(obj.type_codes)


class MeSerializer(serializers.ModelSerializer):
    partner = PartnerSerializer(read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "role", "partner"]
        read_only_fields = fields
