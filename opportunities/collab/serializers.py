"""API shapes of deal collaboration. People appear as the reader may see them (partners
never see BD by name)."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partner_center.serializer_fields import ReadOnlyCharField, ReadOnlyModelSerializer

from .models import COMMENT_MAX_CHARS, NEXT_STEP_MAX_CHARS, DealAttachment, NextStep
from .selectors import person_name


class DealCommentSerializer(serializers.Serializer):
    """A comment of the deal's thread (`selectors.CommentEntry`)."""

    id = serializers.IntegerField(source="pk")
    created_at = serializers.DateTimeField()
    author = serializers.CharField(source="who", help_text="The author as you may see them.")
    by_vendor = serializers.BooleanField(help_text="Written by the vendor's BD.")
    body = serializers.CharField()
    mentioned = serializers.ListField(
        child=serializers.CharField(), help_text="Who was notified by name."
    )


class DealCommentCreateSerializer(serializers.Serializer):
    body = serializers.CharField(
        max_length=COMMENT_MAX_CHARS,
        help_text="The comment. `@owner` notifies the deal's owner, `@bd` its BD owner.",
    )
    mentions = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        help_text="Ids of people to notify (the partner's users; BD: also BD staff).",
    )


class NextStepSerializer(ReadOnlyModelSerializer):
    assignee_name = serializers.SerializerMethodField()
    done = serializers.BooleanField(source="is_done", read_only=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = NextStep
        fields = (
            "id",
            "opportunity",
            "text",
            "due_on",
            "assignee",
            "assignee_name",
            "done",
            "done_at",
            "overdue",
            "created_at",
        )

    @extend_schema_field(OpenApiTypes.STR)
    def get_assignee_name(self, obj) -> str:
        if not obj.assignee_id:
            return ""
        return person_name(obj.assignee, self.context["request"].user, obj.opportunity)


class NextStepCreateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=NEXT_STEP_MAX_CHARS)
    due_on = serializers.DateField(help_text="Today or later.")
    assignee = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="A person's id (optional)."
    )


class DealFileSerializer(ReadOnlyModelSerializer):
    kind_label = ReadOnlyCharField(source="get_kind_display")
    uploaded_by_name = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DealAttachment
        fields = (
            "id",
            "opportunity",
            "kind",
            "kind_label",
            "original_name",
            "content_type",
            "size",
            "uploaded_by_name",
            "uploaded_at",
            "download_url",
        )

    @extend_schema_field(OpenApiTypes.STR)
    def get_uploaded_by_name(self, obj) -> str:
        return person_name(obj.uploaded_by, self.context["request"].user, obj.opportunity)

    @extend_schema_field(OpenApiTypes.STR)
    def get_download_url(self, obj) -> str:
        return reverse("opportunity-file-download", args=[obj.pk])


class DealFileUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DealAttachment.Kind.choices)
    # Empty files and every other bad file are refused by the shared upload module.
    file = serializers.FileField(allow_empty_file=True, help_text="JPG, PNG, GIF, BMP or PDF.")
