"""The performance chart's axis counts money the reader's way: 万/亿 in Chinese, k/M in
English."""

from django.utils import translation

from incentives.charts import _money_label


def test_axis_labels_follow_the_language():
    with translation.override("zh-hans"):
        assert [_money_label(v) for v in (0, 9_000, 25_000, 125_000, 150_000_000)] == [
            "¥0",
            "¥9,000",
            "¥2.5万",
            "¥12.5万",
            "¥1.5亿",
        ]
        assert _money_label(-20_000) == "-¥2万"
    with translation.override("en"):
        assert _money_label(125_000) == "¥125k"
        assert _money_label(2_000_000) == "¥2M"
