"""Charts drawn on the server as inline SVG: no script and no CDN, they print, and they read
on a phone (the drawing scales with its viewBox).

The portal draws its few charts itself (no chart library is shipped)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from partner_center.money import cny

# ECharts' default palette, so the charts look familiar; "others" are grey.
PALETTE = [
    "#5470c6",
    "#91cc75",
    "#fac858",
    "#ee6666",
    "#73c0de",
    "#3ba272",
    "#fc8452",
    "#9a60b4",
    "#ea7ccc",
]
OTHERS = "#b6bac2"
TOTAL = "#1f2329"

WIDTH = 800
PLOT_HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 84, 16, 16, 34
LEGEND_ROW = 22
LEGEND_ITEM = 190


def _nice_step(span: float, ticks: int = 5) -> float:
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _money_label(value: float) -> str:
    sign = "-" if value < 0 else ""
    value = abs(value)
    if (get_language() or "").startswith("zh"):
        # Chinese counts in 万 (10⁴) and 亿 (10⁸), not in thousands and millions.
        for size, unit in ((100_000_000, "亿"), (10_000, "万")):
            if value >= size:
                return f"{sign}¥{value / size:,.1f}".removesuffix(".0") + unit
        return f"{sign}¥{value:,.0f}"
    if value >= 1_000_000:
        return f"{sign}¥{value / 1_000_000:,.1f}M".replace(".0M", "M")
    if value >= 10_000:
        return f"{sign}¥{value / 1_000:,.0f}k"
    return f"{sign}¥{value:,.0f}"


def _short_period(period: str) -> str:
    return period[2:] if len(period) == 7 else period


def performance_chart(
    periods: Sequence[str],
    series: Sequence[tuple[str, Sequence[Decimal], bool]],
    *,
    total: Sequence[Decimal] | None = None,
    total_label: str = "",
    title: str = "",
    empty_text: str = "",
) -> SafeString:
    """Stacked bars per period (one colour per series; `(name, values, is_others)`) and,
    with `total`, a line of the totals. Negative values (refunds) stack below zero."""
    n = len(periods)
    if n == 0:
        return mark_safe("")  # noqa: S308 - nothing user-provided
    pos = [0.0] * n
    neg = [0.0] * n
    for _name, values, _others in series:
        for i, v in enumerate(values):
            if v >= 0:
                pos[i] += float(v)
            else:
                neg[i] += float(v)
    highs = pos + ([float(t) for t in total] if total else [])
    lows = neg + ([float(t) for t in total] if total else [])
    top = max([0.0, *highs])
    bottom = min([0.0, *lows])
    step = _nice_step(top - bottom)
    top = math.ceil(top / step) * step if top > 0 else 0.0
    bottom = math.floor(bottom / step) * step if bottom < 0 else 0.0
    if top == bottom:
        top = step
    plot_w = WIDTH - LEFT - RIGHT

    def y(value: float) -> float:
        return TOP + (top - value) / (top - bottom) * PLOT_HEIGHT

    legend_items = [(name, False) for name, _v, _o in series]
    if total is not None:
        legend_items.append((total_label, True))
    per_row = max(1, (WIDTH - LEFT) // LEGEND_ITEM)
    legend_rows = math.ceil(len(legend_items) / per_row) if legend_items else 0
    height = TOP + PLOT_HEIGHT + BOTTOM + legend_rows * LEGEND_ROW + 6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'class="pc-chart" role="img" aria-label="{escape(title)}" data-testid="chart" '
        f'preserveAspectRatio="xMidYMid meet" font-size="12" font-family="inherit">',
        f"<title>{escape(title)}</title>",
    ]
    # grid and y labels
    tick = bottom
    while tick <= top + step / 2:
        ty = y(tick)
        stroke = "#c9cdd4" if abs(tick) < step / 2 else "#eceef1"
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" '
            f'stroke="{stroke}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 8}" y="{ty + 4:.1f}" text-anchor="end" fill="#646a73" '
            f'class="pc-chart-axis">'
            f"{escape(_money_label(tick))}</text>"
        )
        tick += step
    band = plot_w / n
    bar_w = max(4.0, band * 0.58)
    colours = []
    colour_index = 0
    for _name, _values, others in series:
        if others:
            colours.append(OTHERS)
        else:
            colours.append(PALETTE[colour_index % len(PALETTE)])
            colour_index += 1
    # bars
    for i, period in enumerate(periods):
        x = LEFT + band * i + (band - bar_w) / 2
        up = 0.0
        down = 0.0
        for (name, values, _others), colour in zip(series, colours, strict=True):
            value = values[i]
            if not value:
                continue
            v = float(value)
            if v > 0:
                y1, y0 = y(up + v), y(up)
                up += v
            else:
                y1, y0 = y(down), y(down + v)
                down += v
            parts.append(
                f'<rect x="{x:.1f}" y="{y1:.1f}" width="{bar_w:.1f}" height="{max(0.5, y0 - y1):.1f}" '
                f'fill="{colour}" data-period="{period}" data-series="{escape(name)}" '
                f'data-value="{value}"><title>{escape(name)} · {period}: {cny(value)}</title></rect>'
            )
        label = _short_period(period)
        # On a phone the labels grow: every second one steps aside so they don't overlap.
        css = "pc-chart-axis pc-chart-x-alt" if (n - 1 - i) % 2 else "pc-chart-axis"
        parts.append(
            f'<text x="{LEFT + band * i + band / 2:.1f}" y="{TOP + PLOT_HEIGHT + 18}" '
            f'text-anchor="middle" fill="#646a73" class="{css}">{escape(label)}</text>'
        )
    # total line
    if total is not None:
        points = [(LEFT + band * i + band / 2, y(float(value))) for i, value in enumerate(total)]
        parts.append(
            '<polyline fill="none" stroke="{c}" stroke-width="2" points="{p}"/>'.format(
                c=TOTAL, p=" ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            )
        )
        for (px, py), period, value in zip(points, periods, total, strict=True):
            parts.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="#fff" stroke="{TOTAL}" '
                f'stroke-width="2" data-total="{value}" data-period="{period}">'
                f"<title>{escape(total_label)} · {period}: {cny(value)}</title></circle>"
            )
    # legend: drawn in the picture, and as a list of HTML under it for phones, where the
    # picture's text would be too small to read (CSS shows one or the other)
    legend_top = TOP + PLOT_HEIGHT + BOTTOM
    parts.append('<g class="pc-chart-legend">')
    legend_html = []
    for index, (name, is_total) in enumerate(legend_items):
        row, col = divmod(index, per_row)
        lx = LEFT + col * LEGEND_ITEM
        ly = legend_top + row * LEGEND_ROW
        if is_total:
            parts.append(
                f'<line x1="{lx}" x2="{lx + 16}" y1="{ly + 6}" y2="{ly + 6}" stroke="{TOTAL}" '
                f'stroke-width="2"/><circle cx="{lx + 8}" cy="{ly + 6}" r="3" fill="#fff" '
                f'stroke="{TOTAL}" stroke-width="2"/>'
            )
        else:
            parts.append(
                f'<rect x="{lx}" y="{ly}" width="14" height="12" rx="2" fill="{colours[index]}"/>'
            )
        swatch = (
            f'<line x1="0" x2="14" y1="6" y2="6" stroke="{TOTAL}" stroke-width="2"/>'
            if is_total
            else f'<rect width="14" height="12" rx="2" fill="{colours[index]}"/>'
        )
        legend_html.append(
            f'<li><svg width="14" height="12" aria-hidden="true">{swatch}</svg> {escape(name)}</li>'
        )
        text = name if len(name) <= 14 else name[:13] + "…"
        parts.append(
            f'<text x="{lx + 22}" y="{ly + 11}" fill="#1f2329">{escape(text)}'
            f"<title>{escape(name)}</title></text>"
        )
    parts.append("</g>")
    if not any(pos) and not any(neg) and empty_text:
        parts.append(
            f'<text x="{LEFT + plot_w / 2:.1f}" y="{TOP + PLOT_HEIGHT / 2:.1f}" '
            f'text-anchor="middle" fill="#8f959e">{escape(empty_text)}</text>'
        )
    parts.append("</svg>")
    if legend_html:
        parts.append(
            f'<ul class="pc-chart-legend-list" aria-hidden="true">{"".join(legend_html)}</ul>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
