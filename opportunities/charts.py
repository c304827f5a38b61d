"""The pipeline dashboards' charts, drawn on the server as inline SVG the way the incentives
dashboard draws its own (`incentives/charts.py`): no script, no inline style (CSP), and a
viewBox only, so the drawing takes the width of its card, a phone's included.

Horizontal bars, one row per item: the label on its own line above the bar, so long labels
(Chinese or English) never squeeze the bars on a narrow screen."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from incentives.charts import OTHERS, PALETTE

WIDTH = 340
ROW = 40  # label line + bar
BAR = 14
LABEL_GAP = 17
VALUE_SPACE = 112  # right of the longest bar: room for its value
# Colours by meaning (the incentives palette): under way, reached, waiting on the
# partner, ended without success.
TONES = {"": PALETTE[0], "good": PALETTE[5], "warn": PALETTE[2], "muted": OTHERS}


@dataclass
class Bar:
    label: str
    value: float
    text: str  # the value as shown (count, money, percent)
    key: str = ""
    tone: str = ""  # "", "good", "warn" or "muted" (see TONES)


def bar_chart(bars: Sequence[Bar], *, title: str, empty_text: str = "") -> SafeString:
    """Bars scaled to the largest value; each bar carries data-key and data-value (tests)."""
    height = max(1, len(bars)) * ROW + 6
    top = max([0.0, *(float(b.value) for b in bars)])
    plot = WIDTH - VALUE_SPACE
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'class="pc-pipe-chart" role="img" aria-label="{escape(title)}" data-testid="chart" '
        f'preserveAspectRatio="xMinYMin meet" font-size="13" font-family="inherit">',
        f"<title>{escape(title)}</title>",
    ]
    for index, bar in enumerate(bars):
        y = index * ROW
        colour = TONES.get(bar.tone, TONES[""])
        width = plot * float(bar.value) / top if top else 0.0
        parts.append(
            f'<text x="0" y="{y + 13}" fill="#1f2329">{escape(bar.label)}</text>'
            f'<rect x="0" y="{y + LABEL_GAP}" width="{plot:.1f}" height="{BAR}" rx="2" '
            f'fill="#f2f3f5"/>'
        )
        if width > 0:
            parts.append(
                f'<rect x="0" y="{y + LABEL_GAP}" width="{max(width, 2):.1f}" height="{BAR}" '
                f'rx="2" fill="{colour}" data-key="{escape(bar.key)}" data-value="{bar.value}">'
                f"<title>{escape(bar.label)}: {escape(bar.text)}</title></rect>"
            )
        parts.append(
            f'<text x="{max(width, 0) + 6:.1f}" y="{y + LABEL_GAP + 12}" fill="#646a73">'
            f"{escape(bar.text)}</text>"
        )
    if not top and empty_text:
        parts.append(
            f'<text x="{WIDTH / 2:.1f}" y="{height / 2:.1f}" text-anchor="middle" '
            f'fill="#8f959e">{escape(empty_text)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
