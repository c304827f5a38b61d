from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from partner_center.accounts.serializers import PartnerSerializer
from partner_center.serializer_fields import ReadOnlyCharField, ReadOnlyModelSerializer

from .models import ContactChange, Membership


class MembershipSerializer(ReadOnlyModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    full_name = ReadOnlyCharField(source="user.full_name")
    status = serializers.ChoiceField(
        source="current_status", choices=Membership.State.choices, read_only=True
    )
    can_move_money = serializers.BooleanField(source="user.can_move_money", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "email",
            "full_name",
            "status",
            "invited_at",
            "expires_at",
            "linked_at",
            "unlinked_at",
            "can_move_money",
        ]


class InviteSerializer(serializers.Serializer):
    email = serializers.EmailField()


class MoneyGrantSerializer(serializers.Serializer):
    allowed = serializers.BooleanField()


@extend_schema_serializer(component_name="MemberInvitation")
class InvitationSerializer(ReadOnlyModelSerializer):
    """An invitation as the invited person sees it."""

    partner = ReadOnlyCharField(source="partner.name")
    invited_by = ReadOnlyCharField(source="invited_by.get_full_name")

    class Meta:
        model = Membership
        fields = ["id", "partner", "invited_by", "invited_at", "expires_at"]


# The partner as its profile page shows it; `types` as `PartnerSerializer` gives them.
class ProfileSerializer(PartnerSerializer):
    class Meta(PartnerSerializer.Meta):
        fields = [
            "id",
            "name",
            "credit_code",
            "types",
            "contact_email",
            "contact_phone",
            "legal_representative",
            "is_active",
            "deregistered_at",
        ]


class LegalRepresentativeSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ContactChangeSerializer(serializers.ModelSerializer):
    new_value = serializers.CharField(write_only=True, max_length=254)
    masked_value = ReadOnlyCharField()

    class Meta:
        model = ContactChange
        fields = [
            "id",
            "channel",
            "new_value",
            "masked_value",
            "state",
            "attempts",
            "requested_at",
            "expires_at",
            "confirmed_at",
        ]
        read_only_fields = ["state", "attempts", "requested_at", "expires_at", "confirmed_at"]


class CodeSerializer(serializers.Serializer):
    code = serializers.CharField(min_length=6, max_length=6)
