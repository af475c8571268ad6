"""Server-made SVG charts for the statistics page: no script, no library, no network.

Why SVG from the server: the admin page must render on an office PC without internet (no CDN) and
under the strict Content-Security-Policy (no inline script or style), and screen readers must get the
figures. Each chart is `<svg role="img" aria-labelledby>` with a `<title>` naming it and a `<desc>`
giving the figures in words; the page also shows the same numbers as a table. Colours are set with
SVG presentation attributes (not `style=`), which the CSP allows. Text is escaped by `markupsafe`.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

WIDTH = 960
DAY_HEIGHT = 260
BAR_ROW = 26
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 48, 56, 16, 40
BAR = "#1a3d8f"  # questions (blue, 9:1 on white)
RATE = "#b3171b"  # decline rate (the admin's red, 6:1 on white)
AXIS = "#4d4d4d"
LABEL_CHARS = 28  # a question label is cut to this many characters (the table shows it whole)


def _open(chart_id: str, title: str, desc: str, height: int) -> list[str]:
    return [f'<svg role="img" aria-labelledby="{chart_id}-t {chart_id}-d" viewBox="0 0 {WIDTH} {height}" '
            f'width="100%" class="chart" id="{chart_id}" xmlns="http://www.w3.org/2000/svg">',
            f'<title id="{chart_id}-t">{escape(title)}</title>', f'<desc id="{chart_id}-d">{escape(desc)}</desc>']


def _nice_max(value: int) -> int:
    """The axis top: the smallest of 1, 2, 5 × 10^k at or above `value` (at least 1)."""
    step = 1
    while True:
        for m in (1, 2, 5):
            if m * step >= value:
                return max(1, m * step)
        step *= 10


def days_chart(days: Sequence[dict[str, Any]], chart_id: str = "chart-days") -> Markup:
    """Questions per day as bars, the decline rate (declined / questions) as a line on a 0–100 % axis."""
    total = sum(d["questions"] for d in days)
    declined = sum(d["declined"] for d in days)
    rate = f"{declined * 100 / total:.0f}%" if total else "0%"
    first, last = (days[0]["date"], days[-1]["date"]) if days else ("", "")
    busiest = max(days, key=lambda d: d["questions"], default=None)
    desc = f"{first} 至 {last}，共 {total} 个问题，其中 {declined} 个未能回答（{rate}）。"
    if busiest and busiest["questions"]:
        desc += f"最多的一天是 {busiest['date']}（{busiest['questions']} 个）。"
    parts = _open(chart_id, "每日提问数与未回答率", desc, DAY_HEIGHT)
    top = _nice_max(max((d["questions"] for d in days), default=0))
    plot_w, plot_h = WIDTH - PAD_LEFT - PAD_RIGHT, DAY_HEIGHT - PAD_TOP - PAD_BOTTOM
    base = PAD_TOP + plot_h
    parts.append(f'<g fill="{AXIS}" font-size="12">'
                 f'<text x="{PAD_LEFT - 6}" y="{PAD_TOP + 4}" text-anchor="end">{top}</text>'
                 f'<text x="{PAD_LEFT - 6}" y="{base}" text-anchor="end">0</text>'
                 f'<text x="{WIDTH - PAD_RIGHT + 6}" y="{PAD_TOP + 4}" fill="{RATE}">100%</text>'
                 f'<text x="{WIDTH - PAD_RIGHT + 6}" y="{base}" fill="{RATE}">0%</text></g>')
    parts.append(f'<line x1="{PAD_LEFT}" y1="{base}" x2="{WIDTH - PAD_RIGHT}" y2="{base}" stroke="{AXIS}"/>')
    slot = plot_w / max(1, len(days))
    points = []
    label_every = max(1, len(days) // 10)
    for i, d in enumerate(days):
        x = PAD_LEFT + i * slot
        h = plot_h * d["questions"] / top
        parts.append(f'<rect x="{x + slot * 0.15:.1f}" y="{base - h:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" '
                     f'fill="{BAR}"><title>{escape(d["date"])}：{d["questions"]} 个问题，'
                     f'{d["declined"]} 个未回答</title></rect>')
        if d["questions"]:
            points.append(f'{x + slot / 2:.1f},{base - plot_h * d["declined"] / d["questions"]:.1f}')
        if i % label_every == 0:
            parts.append(f'<text x="{x + slot / 2:.1f}" y="{base + 16}" font-size="12" fill="{AXIS}" '
                         f'text-anchor="middle">{escape(d["date"][5:])}</text>')
    if points:
        parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{RATE}" stroke-width="2"/>')
        parts += [f'<circle cx="{p.split(",")[0]}" cy="{p.split(",")[1]}" r="3" fill="{RATE}"/>' for p in points]
    parts.append(f'<g font-size="12"><rect x="{PAD_LEFT}" y="{DAY_HEIGHT - 14}" width="10" height="10" fill="{BAR}"/>'
                 f'<text x="{PAD_LEFT + 14}" y="{DAY_HEIGHT - 5}" fill="{AXIS}">提问数</text>'
                 f'<rect x="{PAD_LEFT + 80}" y="{DAY_HEIGHT - 10}" width="14" height="3" fill="{RATE}"/>'
                 f'<text x="{PAD_LEFT + 98}" y="{DAY_HEIGHT - 5}" fill="{AXIS}">未回答率</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))


def bars_chart(rows: Sequence[dict[str, Any]], title: str, chart_id: str, colour: str = BAR) -> Markup:
    """A horizontal bar per question, most asked first, its count at the bar's end."""
    desc = "；".join(f"{r['question']}：{r['count']} 次" for r in rows) or "暂无记录。"
    height = PAD_TOP + BAR_ROW * max(1, len(rows)) + 8
    parts = _open(chart_id, title, desc, height)
    top = max((r["count"] for r in rows), default=1)
    label_w = 420
    span = WIDTH - label_w - PAD_RIGHT - 8
    for i, r in enumerate(rows):
        y = PAD_TOP + i * BAR_ROW
        text = r["question"] if len(r["question"]) <= LABEL_CHARS else r["question"][:LABEL_CHARS - 1] + "…"
        w = max(2.0, span * r["count"] / top)
        parts.append(f'<text x="{label_w - 8}" y="{y + 15}" font-size="13" fill="#1f1f1f" text-anchor="end">'
                     f'{escape(text)}</text>'
                     f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{BAR_ROW - 8}" fill="{colour}"/>'
                     f'<text x="{label_w + w + 6:.1f}" y="{y + 15}" font-size="13" fill="{AXIS}">{r["count"]}</text>')
    if not rows:
        parts.append(f'<text x="{PAD_LEFT}" y="{PAD_TOP + 12}" font-size="13" fill="{AXIS}">暂无记录</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
