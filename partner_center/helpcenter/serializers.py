from rest_framework import serializers

from .models import FAQEntry


class FAQEntrySerializer(serializers.ModelSerializer):
    question = serializers.CharField(read_only=True)
    answer = serializers.CharField(read_only=True)
    link_url = serializers.CharField(read_only=True)
    link_label = serializers.CharField(read_only=True)
    # Numbers filled in from the rules (facts.py), as on the pages.
    question_zh = serializers.CharField(source="question_zh_text", read_only=True)
    answer_zh = serializers.CharField(source="answer_zh_text", read_only=True)
    question_en = serializers.CharField(source="question_en_text", read_only=True)
    answer_en = serializers.CharField(source="answer_en_text", read_only=True)

    class Meta:
        model = FAQEntry
        fields = [
            "slug",
            "category",
            "question",
            "answer",
            "question_zh",
            "answer_zh",
            "question_en",
            "answer_en",
            "link_url",
            "link_label",
            "updated_at",
        ]
        read_only_fields = fields
