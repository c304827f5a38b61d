from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partner_center.accounts.models import User
from partner_center.serializer_fields import ReadOnlyCharField, ReadOnlyModelSerializer

from .models import (
    Attachment,
    AttachmentSlot,
    BankCardCertification,
    CapabilityLabel,
    CertificationPerson,
    CriterionReview,
    Defense,
    EnterpriseCertification,
    LabelApplication,
    LabelCriterion,
    LabelEvidence,
)


class AttachmentSerializer(ReadOnlyModelSerializer):
    """A stored file. `path` is relative: a sub-folder and the file name, no bucket, no
    `download/` prefix. Download it from `download_url` (access-checked)."""

    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "purpose",
            "path",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
            "download_url",
        ]

    def get_download_url(self, obj) -> str:
        return reverse("certification-file-download", args=[obj.pk])


class PersonSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = CertificationPerson
        fields = ["position", "role", "name"]


class SlotSerializer(ReadOnlyModelSerializer):
    label = ReadOnlyCharField()
    person = ReadOnlyCharField(source="person.name", default=None)
    attachment = AttachmentSerializer(read_only=True)

    class Meta:
        model = AttachmentSlot
        fields = ["position", "kind", "label", "person", "title", "attachment"]


class EnterpriseListSerializer(ReadOnlyModelSerializer):
    partner_name = ReadOnlyCharField(source="partner.name")
    slot_count = serializers.IntegerField(read_only=True)
    filled_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = EnterpriseCertification
        fields = [
            "id",
            "partner",
            "partner_name",
            "state",
            "slot_count",
            "filled_count",
            "created_at",
            "submitted_at",
            "decided_at",
            "reject_reasons",
            "decision_comment",
        ]


class EnterpriseDetailSerializer(EnterpriseListSerializer):
    slots = SlotSerializer(many=True, read_only=True)
    persons = PersonSerializer(many=True, read_only=True)
    # A detail object (fetched one by one, or just changed) has no list annotations.
    slot_count = serializers.SerializerMethodField()
    filled_count = serializers.SerializerMethodField()

    def get_slot_count(self, obj) -> int:
        counted = getattr(obj, "slot_count", None)
        return obj.slots.count() if counted is None else counted

    def get_filled_count(self, obj) -> int:
        counted = getattr(obj, "filled_count", None)
        if counted is None:
            return obj.slots.filter(attachment__isnull=False).count()
        return counted

    class Meta(EnterpriseListSerializer.Meta):
        fields = [*EnterpriseListSerializer.Meta.fields, "persons", "slots"]


class EnterpriseSetupSerializer(serializers.Serializer):
    legal_person = serializers.CharField(required=False, allow_blank=True, default="")
    staff = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, default=list
    )
    other_certificates = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, default=list
    )


class SlotUploadSerializer(serializers.Serializer):
    position = serializers.IntegerField(min_value=1)
    file = serializers.FileField(allow_empty_file=True)


class ApproveSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class EnterpriseRejectSerializer(serializers.Serializer):
    reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=EnterpriseCertification.RejectReason.choices)
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class BankCardRejectSerializer(serializers.Serializer):
    reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=BankCardCertification.RejectReason.choices)
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class BankCardSerializer(ReadOnlyModelSerializer):
    partner_name = ReadOnlyCharField(source="partner.name")
    face_photo = AttachmentSerializer(read_only=True)

    class Meta:
        model = BankCardCertification
        fields = [
            "id",
            "partner",
            "partner_name",
            "holder_name",
            "bank_name",
            "card_number_masked",
            "face_photo",
            "state",
            "submitted_at",
            "decided_at",
            "reject_reasons",
            "decision_comment",
        ]


class BankCardCreateSerializer(serializers.Serializer):
    holder_name = serializers.CharField(max_length=100)
    bank_name = serializers.CharField(max_length=100)
    card_number = serializers.CharField(max_length=40, write_only=True)
    face_photo = serializers.FileField(
        allow_empty_file=True, help_text="Exactly one face-scan photo (an image)."
    )


class CriterionSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = LabelCriterion
        fields = ["id", "position", "title", "title_zh", "title_en", "evidence_hint"]


class LabelSerializer(ReadOnlyModelSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = CapabilityLabel
        fields = ["id", "code", "name", "name_zh", "name_en", "description", "criteria"]


class LabelApplicationListSerializer(ReadOnlyModelSerializer):
    partner_name = ReadOnlyCharField(source="partner.name")
    label_code = ReadOnlyCharField(source="label.code")
    evidence_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = LabelApplication
        fields = [
            "id",
            "partner",
            "partner_name",
            "label",
            "label_code",
            "state",
            "evidence_count",
            "created_at",
            "submitted_at",
            "reviewed_at",
            "defense_deadline",
            "decided_at",
        ]


class EvidenceSerializer(ReadOnlyModelSerializer):
    attachment = AttachmentSerializer(read_only=True)

    class Meta:
        model = LabelEvidence
        fields = ["id", "criterion", "note", "attachment"]


class CriterionReviewSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = CriterionReview
        fields = ["criterion", "verdict", "comment", "decided_at", "revised_in_defense"]


class DefenseSerializer(ReadOnlyModelSerializer):
    experts = serializers.SerializerMethodField()
    disputed_criteria = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Defense
        fields = [
            "id",
            "application",
            "channel",
            "organizer",
            "disputed_criteria",
            "statement",
            "requested_at",
            "scheduled_at",
            "duration_minutes",
            "meeting_link",
            "experts",
            "external_experts",
            "outcome",
            "outcome_notes",
            "outcome_at",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_experts(self, obj) -> list[str]:
        return [str(u) for u in obj.experts.all()]


class LabelApplicationDetailSerializer(LabelApplicationListSerializer):
    # A detail object (fetched one by one, or just changed) has no list annotations.
    evidence_count = serializers.SerializerMethodField()

    def get_evidence_count(self, obj) -> int:
        counted = getattr(obj, "evidence_count", None)
        return obj.evidence.count() if counted is None else counted

    evidence = EvidenceSerializer(many=True, read_only=True)
    criterion_reviews = serializers.SerializerMethodField()
    defense = serializers.SerializerMethodField()

    class Meta(LabelApplicationListSerializer.Meta):
        fields = [
            *LabelApplicationListSerializer.Meta.fields,
            "statement",
            "review_summary",
            "evidence",
            "criterion_reviews",
            "defense",
        ]

    @extend_schema_field(CriterionReviewSerializer(many=True))
    def get_criterion_reviews(self, obj):
        # Partners see verdicts once the review is concluded; reviewers always.
        if obj.state == LabelApplication.State.SUBMITTED and not self.context.get("reviewer"):
            return []
        return CriterionReviewSerializer(obj.criterion_reviews.all(), many=True).data

    @extend_schema_field(DefenseSerializer(allow_null=True))
    def get_defense(self, obj):
        defense = self.context.get("defense")
        return DefenseSerializer(defense).data if defense else None


class LabelApplicationCreateSerializer(serializers.Serializer):
    label = serializers.PrimaryKeyRelatedField(queryset=CapabilityLabel.objects.all())
    statement = serializers.CharField(required=False, allow_blank=True, default="")


class StatementSerializer(serializers.Serializer):
    statement = serializers.CharField(allow_blank=True)


class EvidenceUploadSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    file = serializers.FileField(allow_empty_file=True)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class EvidenceRemoveSerializer(serializers.Serializer):
    evidence = serializers.IntegerField()


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class DefenseRequestSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Defense.Channel.choices)
    criteria = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    statement = serializers.CharField()


class CriterionDecisionSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    verdict = serializers.ChoiceField(choices=CriterionReview.Verdict.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ConcludeSerializer(serializers.Serializer):
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class DefenseScheduleSerializer(serializers.Serializer):
    scheduled_at = serializers.DateTimeField()
    meeting_link = serializers.URLField()
    duration_minutes = serializers.IntegerField(default=60, min_value=15, max_value=480)
    experts = serializers.PrimaryKeyRelatedField(
        many=True, required=False, default=list, queryset=User.objects.filter(is_active=True)
    )
    external_experts = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=300
    )


class OutcomeSerializer(serializers.Serializer):
    verdicts = CriterionDecisionSerializer(many=True)
    notes = serializers.CharField()


class DefenseListSerializer(DefenseSerializer):
    partner_name = ReadOnlyCharField(source="application.partner.name")
    label_code = ReadOnlyCharField(source="application.label.code")
    state = serializers.ChoiceField(
        choices=LabelApplication.State.choices, source="application.state", read_only=True
    )

    class Meta(DefenseSerializer.Meta):
        fields = [*DefenseSerializer.Meta.fields, "partner_name", "label_code", "state"]
