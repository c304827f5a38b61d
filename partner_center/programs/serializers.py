from rest_framework import serializers

from partner_center.accounts.permissions import PARTNER_PATHS, PartnerType
from partner_center.serializer_fields import ReadOnlyCharField, ReadOnlyModelSerializer

from .models import PCEApplication


class PCEApplicationSerializer(ReadOnlyModelSerializer):
    partner_name = ReadOnlyCharField(source="partner.name")

    class Meta:
        model = PCEApplication
        fields = [
            "id",
            "partner",
            "partner_name",
            "state",
            "industries",
            "motivation",
            "applied_at",
            "decided_at",
            "decision_reason",
        ]


class PCEApplySerializer(serializers.Serializer):
    industries = serializers.CharField(max_length=200, required=False, allow_blank=True)
    motivation = serializers.CharField(required=False, allow_blank=True)
    accept_rules = serializers.BooleanField(
        help_text="Must be true: the partner read and accepts the program rules."
    )


class DecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True)


class PathSerializer(serializers.Serializer):
    path = serializers.ChoiceField(choices=[(p.value, PartnerType(p).label) for p in PARTNER_PATHS])
    label = ReadOnlyCharField()
    joined = serializers.BooleanField(read_only=True)


class PathChangeSerializer(serializers.Serializer):
    path = serializers.ChoiceField(choices=[(p.value, PartnerType(p).label) for p in PARTNER_PATHS])


class DeregistrationSerializer(serializers.Serializer):
    confirm_name = serializers.CharField(help_text="The partner's name, exactly.")


class DeregistrationStatusSerializer(serializers.Serializer):
    can_deregister = serializers.BooleanField()
    paths_to_exit = serializers.ListField(child=serializers.CharField())
    is_active = serializers.BooleanField()
