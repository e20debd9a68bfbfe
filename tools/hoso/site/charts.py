"""Inline SVG bar charts: no script, no web font, no CDN; a title, a description that reads
out every number, and the numbers written on the bars."""

from __future__ import annotations

from html import escape

# Okabe–Ito: told apart with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
HIDDEN = "—"

Series = tuple[str, list[int | None]]  # name, one value per category (None: hidden)


def grouped_bars(chart_id: str, title: str, categories: list[str], series: list[Series],
                 hidden_note: str = "") -> str:
    """A grouped vertical bar chart as one ``<figure>`` block of raw HTML (no blank lines)."""
    width, height, top, bottom, left = 640, 240, 24, 36, 8
    plot_h = height - top - bottom
    peak = max([v for _, vals in series for v in vals if v is not None] + [1])
    slot = (width - 2 * left) / max(len(categories), 1)
    bar = min(28.0, (slot - 12) / max(len(series), 1))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" class="hoso-chart-svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(_describe(categories, series, hidden_note))}</desc>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - left}" y2="{top + plot_h}" stroke="#888"/>',
    ]
    for ci, cat in enumerate(categories):
        x0 = left + ci * slot + (slot - bar * len(series)) / 2
        for si, (_, vals) in enumerate(series):
            v = vals[ci]
            x = x0 + si * bar
            parts.extend(_bar(x, bar, v, peak, top, plot_h, PALETTE[si % len(PALETTE)]))
        parts.append(f'<text x="{left + ci * slot + slot / 2:.1f}" y="{height - bottom + 16}" '
                     f'text-anchor="middle" font-size="12">{escape(cat)}</text>')
    parts.append("</svg>")
    legend = "".join(
        f'<span class="hoso-legend"><svg width="10" height="10" aria-hidden="true"><rect width="10" height="10" '
        f'fill="{PALETTE[i % len(PALETTE)]}"/></svg> {escape(name)}</span> '
        for i, (name, _) in enumerate(series))
    return (f'<figure class="hoso-chart" id="{chart_id}">' + "".join(parts)
            + f"<figcaption>{escape(title)}<br/>{legend.strip()}</figcaption></figure>")


def _bar(x: float, w: float, v: int | None, peak: int, top: int, plot_h: int, colour: str) -> list[str]:
    base = top + plot_h
    cx = x + w / 2
    if v is None:
        return [f'<text class="hoso-v" x="{cx:.1f}" y="{base - 4}" text-anchor="middle" font-size="11">{HIDDEN}</text>']
    h = plot_h * v / peak
    return [
        f'<rect x="{x + 1:.1f}" y="{base - h:.1f}" width="{max(w - 2, 1):.1f}" height="{h:.1f}" fill="{colour}"/>',
        f'<text class="hoso-v" x="{cx:.1f}" y="{base - h - 4:.1f}" text-anchor="middle" font-size="11">{v}</text>',
    ]


def _describe(categories: list[str], series: list[Series], hidden_note: str) -> str:
    rows = []
    for ci, cat in enumerate(categories):
        vals = ", ".join(f"{name} {HIDDEN if vals[ci] is None else vals[ci]}" for name, vals in series)
        rows.append(f"{cat}: {vals}")
    return "; ".join(rows) + (f". {hidden_note}" if hidden_note else "")
