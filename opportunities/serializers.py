from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partner_center.accounts.access import is_vendor_staff
from partner_center.serializer_fields import ReadOnlyCharField, ReadOnlyModelSerializer

from . import protection, selectors, sla
from .catalog import (
    ConsentMethod,
    DealOutcome,
    LeadCloseReason,
    LostReason,
    Product,
    RejectionReason,
)
from .models import DuplicatePair, Opportunity, POImport, VendorLead
from .transitions import PO_FIELDS, PROGRESS_FIELDS, RETURNABLE_FIELDS, partner_editable_fields


class ProductsField(serializers.ListField):
    child = serializers.ChoiceField(choices=Product.choices)


class DecisionSerializer(serializers.Serializer):
    rule = serializers.CharField()
    reason = serializers.CharField()
    note = serializers.CharField()
    text = serializers.CharField(help_text="The deciding rule in words; never names a partner.")
    decided_at = serializers.DateTimeField(allow_null=True)


class OpportunitySerializer(ReadOnlyModelSerializer):
    partner_name = ReadOnlyCharField(source="partner.name")
    state_label = ReadOnlyCharField(source="get_state_display")
    decision = serializers.SerializerMethodField()
    editable_fields = serializers.SerializerMethodField()
    contact_masked = serializers.SerializerMethodField()
    lead_crm_id = serializers.SerializerMethodField()
    deadline_provisional = serializers.SerializerMethodField(
        help_text=(
            "The deadline counts over days of a year whose official holiday schedule is not "
            "entered yet: it may still move when the calendar is completed."
        )
    )
    protection_label = ReadOnlyCharField(source="get_protection_display")
    lost_reason_label = ReadOnlyCharField(source="get_lost_reason_display")
    owner_name = ReadOnlyCharField(source="owner", allow_null=True, default=None)
    bd_owner_name = ReadOnlyCharField(source="bd_owner", allow_null=True, default=None)
    protection_live = serializers.SerializerMethodField(
        help_text="Whether this item protects its customer and products now (R4.1)."
    )

    class Meta:
        model = Opportunity
        fields = (
            "id",
            "kind",
            "state",
            "state_label",
            "partner",
            "partner_name",
            "external_ref",
            *PO_FIELDS,
            "created_at",
            "submitted_at",
            "deadline",
            "reviewed_at",
            "verified_at",
            "account_manager",
            "account_manager_confirmed_on",
            "unlocked_fields",
            "return_comment",
            "shared_at",
            "accepted_at",
            "stage",
            "delivery_completed_on",
            "core_label",
            "last_progress_at",
            "consent_method",
            "consent_confirmed_at",
            "decision",
            "editable_fields",
            "contact_masked",
            "lead_crm_id",
            "deadline_provisional",
            "protection",
            "protection_label",
            "protection_live",
            "protected_until",
            "closed_at",
            "lost_reason",
            "lost_reason_label",
            "lost_note",
            "extension_requested_at",
            "extension_request_note",
            "owner",
            "owner_name",
            "bd_owner",
            "bd_owner_name",
        )

    def _user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    @extend_schema_field(DecisionSerializer(allow_null=True))
    def get_decision(self, obj):
        if not obj.decision_rule:
            return None
        return DecisionSerializer(
            {
                "rule": obj.decision_rule,
                "reason": obj.decision_reason,
                "note": obj.decision_note,
                "text": selectors.decision_text(obj),
                "decided_at": obj.decided_at,
            }
        ).data

    def get_deadline_provisional(self, obj) -> bool:
        return sla.is_provisional(obj, cache=self.context.setdefault("provisional_cache", {}))

    def get_protection_live(self, obj) -> bool:
        return protection.is_live(obj)

    def get_editable_fields(self, obj) -> list[str]:
        user = self._user()
        if user is None or is_vendor_staff(user):
            return []
        return sorted(partner_editable_fields(obj))

    def get_contact_masked(self, obj) -> bool:
        return obj.kind == Opportunity.Kind.HO and obj.state != Opportunity.State.ACCEPTED

    def get_lead_crm_id(self, obj) -> str | None:
        user = self._user()
        if obj.lead_id and user is not None and is_vendor_staff(user):
            return obj.lead.crm_id
        return None


class POWriteSerializer(serializers.ModelSerializer):
    products = ProductsField(min_length=1)

    class Meta:
        model = Opportunity
        fields = ("external_ref", *PO_FIELDS)
        extra_kwargs = {"external_ref": {"required": False}}

    def validate_customer_credit_code(self, value):
        return (value or "").strip().upper()


class POUpdateSerializer(POWriteSerializer):
    class Meta(POWriteSerializer.Meta):
        fields = PO_FIELDS


class SubmitSerializer(serializers.Serializer):
    consent_confirmed = serializers.BooleanField(
        help_text="The customer explicitly agreed to share its personal information."
    )
    consent_method = serializers.ChoiceField(choices=ConsentMethod.choices)
    consent_note = serializers.CharField(required=False, allow_blank=True, default="")
    consent_file = serializers.FileField(required=False, allow_null=True, allow_empty_file=True)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ProgressSerializer(serializers.ModelSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")

    class Meta:
        model = Opportunity
        fields = (*PROGRESS_FIELDS, "note")
        extra_kwargs = {name: {"required": False} for name in PROGRESS_FIELDS}


class VerifySerializer(serializers.Serializer):
    account_manager = serializers.CharField(max_length=100)
    account_manager_confirmed_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RejectSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=RejectionReason.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReturnSerializer(serializers.Serializer):
    fields = serializers.ListField(
        child=serializers.ChoiceField(choices=RETURNABLE_FIELDS), min_length=1
    )
    comment = serializers.CharField()


class BulkReviewSerializer(serializers.Serializer):
    """One review action on many POs: pass review, return for changes or reject."""

    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=200
    )
    action = serializers.ChoiceField(choices=["pass_review", "return_for_changes", "reject"])
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.ChoiceField(
        choices=RejectionReason.choices, required=False, allow_blank=True, default=""
    )
    fields = serializers.ListField(
        child=serializers.ChoiceField(choices=RETURNABLE_FIELDS), required=False, default=list
    )


class BulkResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    ok = serializers.BooleanField()
    message = serializers.CharField(allow_blank=True)
    code = serializers.CharField(allow_blank=True)


class BulkReviewResultSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    refused = serializers.IntegerField()
    results = BulkResultSerializer(many=True)


class CoreLabelSerializer(serializers.Serializer):
    core_label = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField()


class TimelineEntrySerializer(serializers.Serializer):
    created_at = serializers.DateTimeField()
    who = serializers.CharField()
    label = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    reason = serializers.CharField()


class DuplicateHintSerializer(serializers.Serializer):
    own = serializers.BooleanField()
    opportunity_id = serializers.IntegerField(allow_null=True)
    kind_label = serializers.CharField()
    state_label = serializers.CharField()
    matched_on = serializers.CharField()
    products = serializers.ListField(child=serializers.CharField())
    moment_label = serializers.CharField()
    moment = serializers.DateTimeField(allow_null=True)
    blocking = serializers.BooleanField()


class LeadSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()
    share_partner = ReadOnlyCharField(allow_null=True, default=None)
    share_deadline = serializers.DateTimeField(read_only=True, allow_null=True, default=None)
    bd_owner_name = ReadOnlyCharField(source="bd_owner", allow_null=True, default=None)

    class Meta:
        model = VendorLead
        fields = (
            "id",
            "crm_id",
            "crm_created_at",
            *PO_FIELDS,
            "created_at",
            "closed_at",
            "state",
            "close_reason",
            "close_note",
            "status",
            "share_partner",
            "share_deadline",
            "bd_owner",
            "bd_owner_name",
        )
        read_only_fields = (
            "id",
            "bd_owner",
            "created_at",
            "closed_at",
            "state",
            "close_reason",
            "close_note",
            "status",
        )

    def get_status(self, obj) -> str:
        return selectors.lead_status(obj)


class LeadWriteSerializer(serializers.ModelSerializer):
    products = ProductsField(min_length=1)

    class Meta:
        model = VendorLead
        fields = ("crm_id", "crm_created_at", *PO_FIELDS)
        extra_kwargs = {"crm_id": {"validators": []}}  # the service answers for duplicates


class ShareSerializer(serializers.Serializer):
    partner = serializers.IntegerField(help_text="Id of a PCE member partner.")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DuplicatePairSerializer(ReadOnlyModelSerializer):
    verdict = serializers.SerializerMethodField()
    winner = serializers.SerializerMethodField()

    class Meta:
        model = DuplicatePair
        fields = (
            "id",
            "po",
            "other_po",
            "lead",
            "matched_on",
            "products",
            "status",
            "detected_at",
            "verdict",
            "winner",
        )

    def get_verdict(self, obj) -> str:
        return obj.verdict.explanation

    def get_winner(self, obj) -> str | None:
        """ "po:<id>" or "lead:<id>" of the item the rule says wins, if it can tell yet."""
        winner = obj.verdict.winner
        if winner is None:
            return None
        prefix = "lead" if isinstance(winner, VendorLead) else "po"
        return f"{prefix}:{winner.pk}"


class DecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=(("apply", "apply"), ("dismiss", "dismiss")))
    note = serializers.CharField(required=False, allow_blank=True, default="")


class POImportSerializer(ReadOnlyModelSerializer):
    failed_rows_url = serializers.SerializerMethodField()

    class Meta:
        model = POImport
        fields = (
            "id",
            "file_name",
            "state",
            "submit_rows",
            "total_rows",
            "processed_rows",
            "succeeded",
            "failed",
            "created_ids",
            "error",
            "created_at",
            "finished_at",
            "failed_rows_url",
        )

    def get_failed_rows_url(self, obj) -> str | None:
        if not obj.failed_file:
            return None
        from django.urls import reverse

        return reverse("opportunity-import-failed-rows", args=[obj.pk])


class POImportCreateSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)  # checked by the service
    submit_rows = serializers.BooleanField(required=False, default=False)
    consent_confirmed = serializers.BooleanField(required=False, default=False)
    consent_method = serializers.ChoiceField(
        choices=ConsentMethod.choices, required=False, allow_blank=True, default=""
    )
    consent_note = serializers.CharField(required=False, allow_blank=True, default="")


class CloseDealSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=DealOutcome.choices)
    lost_reason = serializers.ChoiceField(
        choices=LostReason.choices, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ExtensionRequestSerializer(serializers.Serializer):
    note = serializers.CharField(help_text="Why the deal needs more time.")


class ExtensionDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class LeadCloseSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=LeadCloseReason.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class LeadReopenSerializer(serializers.Serializer):
    note = serializers.CharField()
