"""Inline SVG bar charts: no script, no web font, no CDN; a title, a description that reads
out every number, and the numbers written on the bars.

Every colour reaches 3:1 against the white page (WCAG AA for graphics), and the text is never
shown below 12 px: on a narrow screen the chart keeps its size and scrolls sideways. A hidden
(suppressed) count is drawn as a hatched, dashed box marked "—", never as a bar of height zero;
a zero is a bare "0" on the axis.
"""

from __future__ import annotations

from html import escape

# Okabe–Ito hues (told apart with the common colour-vision deficiencies), darkened where the
# original is lighter than 3:1 on white. A hidden count is hatched and outlined in its series' colour.
PALETTE = ("#0072B2", "#D55E00", "#007A5E", "#A6528A", "#9E6A00", "#000000", "#6B6B6B")
HIDDEN = "—"
FONT = 13  # px in the drawing; never shown below MIN_FONT px
MIN_FONT = 12
HIDDEN_H = 18  # the hidden box's height: the same whatever the hidden value is

Series = tuple[str, list[int | None]]  # name, one value per category (None: hidden)


def grouped_bars(chart_id: str, title: str, categories: list[str], series: list[Series],
                 hidden_note: str = "", hidden_word: str = HIDDEN) -> str:
    """A grouped vertical bar chart as one ``<figure>`` block of raw HTML (no blank lines).

    ``hidden_word`` is what the description says for a hidden count (for example "ẩn")."""
    width, height, top, bottom, left = 640, 240, 26, 36, 8
    plot_h = height - top - bottom
    peak = max([v for _, vals in series for v in vals if v is not None] + [1])
    slot = (width - 2 * left) / max(len(categories), 1)
    bar = min(28.0, (slot - 12) / max(len(series), 1))
    smallest = -(-width * MIN_FONT // FONT)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" class="hoso-chart-svg" '
        f'style="width: 100%; max-width: {width}px; min-width: {smallest}px; height: auto">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(_describe(categories, series, hidden_note, hidden_word))}</desc>',
        "<defs>" + "".join(_hatch(f"{chart_id}-hatch-{si}", PALETTE[si % len(PALETTE)]) for si in range(len(series)))
        + "</defs>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - left}" y2="{top + plot_h}" stroke="#595959"/>',
    ]
    for ci, cat in enumerate(categories):
        x0 = left + ci * slot + (slot - bar * len(series)) / 2
        for si, (_, vals) in enumerate(series):
            x = x0 + si * bar
            parts.extend(_bar(x, bar, vals[ci], peak, top, plot_h, PALETTE[si % len(PALETTE)], f"{chart_id}-hatch-{si}"))
        parts.append(f'<text x="{left + ci * slot + slot / 2:.1f}" y="{height - bottom + 18}" '
                     f'text-anchor="middle" font-size="{FONT}">{escape(cat)}</text>')
    parts.append("</svg>")
    legend = "".join(
        f'<span class="hoso-legend"><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" '
        f'fill="{PALETTE[i % len(PALETTE)]}"/></svg> {escape(name)}</span> '
        for i, (name, _) in enumerate(series))
    return (f'<figure class="hoso-chart" id="{chart_id}">' + "".join(parts)
            + f"<figcaption>{escape(title)}<br/>{legend.strip()}</figcaption></figure>")


def _hatch(pattern_id: str, colour: str) -> str:
    return (f'<pattern id="{pattern_id}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="{colour}" stroke-width="2"/></pattern>')


def _bar(x: float, w: float, v: int | None, peak: int, top: int, plot_h: int, colour: str,
         hatch: str) -> list[str]:
    base = top + plot_h
    cx = x + w / 2
    if v is None:
        return [
            f'<rect class="hoso-bar-hidden" x="{x + 1:.1f}" y="{base - HIDDEN_H}" width="{max(w - 2, 1):.1f}" '
            f'height="{HIDDEN_H}" fill="url(#{hatch})" stroke="{colour}" stroke-dasharray="3 2"/>',
            f'<text class="hoso-v hoso-v-hidden" x="{cx:.1f}" y="{base - HIDDEN_H - 4}" text-anchor="middle" '
            f'font-size="{FONT}">{HIDDEN}</text>',
        ]
    if v == 0:
        return [f'<text class="hoso-v hoso-v-zero" x="{cx:.1f}" y="{base - 4}" text-anchor="middle" '
                f'font-size="{FONT}">0</text>']
    h = plot_h * v / peak
    return [
        f'<rect class="hoso-bar" x="{x + 1:.1f}" y="{base - h:.1f}" width="{max(w - 2, 1):.1f}" height="{h:.1f}" '
        f'fill="{colour}"/>',
        f'<text class="hoso-v" x="{cx:.1f}" y="{base - h - 4:.1f}" text-anchor="middle" font-size="{FONT}">{v}</text>',
    ]


def _describe(categories: list[str], series: list[Series], hidden_note: str, hidden_word: str) -> str:
    rows = []
    for ci, cat in enumerate(categories):
        vals = ", ".join(f"{name} {hidden_word if vals[ci] is None else vals[ci]}" for name, vals in series)
        rows.append(f"{cat}: {vals}")
    return "; ".join(rows) + (f". {hidden_note}" if hidden_note else "")
