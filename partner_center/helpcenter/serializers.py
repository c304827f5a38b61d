from partner_center.serializer_fields import ReadOnlyCharField, ReadOnlyModelSerializer

from .models import FAQEntry


class FAQEntrySerializer(ReadOnlyModelSerializer):
    question = ReadOnlyCharField()
    answer = ReadOnlyCharField()
    link_url = ReadOnlyCharField()
    link_label = ReadOnlyCharField()
    # Numbers filled in from the rules (facts.py), as on the pages.
    question_zh = ReadOnlyCharField(source="question_zh_text")
    answer_zh = ReadOnlyCharField(source="answer_zh_text")
    question_en = ReadOnlyCharField(source="question_en_text")
    answer_en = ReadOnlyCharField(source="answer_en_text")

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
