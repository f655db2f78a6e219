"""Charts drawn on the server as SVG strings, so HTML pages and PDFs need no JavaScript.

The one renderer of each chart: the executive summary, its PDF and the assessment history page
all draw the totals over the grade bands with trend_chart. Pure functions of plain values: no
Django, no database. Every piece of text is escaped, and the
SVG references nothing outside itself (no images, no links, no external fonts), so it is safe to
mark as safe in a template and to hand to the PDF renderer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from html import escape

from ita_portal.thai import thai_digits

# Light tints of the grade colours the portal uses for badges (static/css/portal.css).
BAND_FILLS = {
    "AA": "#dcfce7",
    "A": "#e7f6ea",
    "B": "#f0f7dc",
    "C": "#fdf6d8",
    "D": "#fde9dc",
    "E": "#fde2e2",
    "F": "#f6dede",
}
LINE = "#1f3a5f"
PASS = "#15803d"
BELOW = "#c2410c"
GRID = "#9ca3af"
FONT = "Sarabun, sans-serif"
MAX = Decimal(100)


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _number(value: Decimal, thai: bool) -> str:
    shown = str(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    return thai_digits(shown) if thai else shown


def _digits(value: object, thai: bool) -> str:
    return thai_digits(value) if thai else str(value)


def _f(value: float) -> str:
    # Coordinates with one decimal keep the SVG small and stable for tests.
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(width: int, height: int, title: str, body: list[str], css_class: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css_class}" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="{FONT}" font-size="12">'
        f"<title>{_text(title)}</title>" + "".join(body) + "</svg>"
    )


def _band_ranges(bands: Sequence[tuple[str, Decimal]]) -> list[tuple[str, Decimal, Decimal]]:
    ordered = sorted(bands, key=lambda band: band[1])
    ranges = []
    for index, (grade, lower) in enumerate(ordered):
        upper = ordered[index + 1][1] if index + 1 < len(ordered) else MAX
        ranges.append((grade, Decimal(lower), Decimal(upper)))
    return ranges


def trend_chart(
    points: Sequence[tuple[int, Decimal | None]],
    bands: Sequence[tuple[str, Decimal]],
    *,
    title: str,
    pass_mark: Decimal | None = None,
    pass_label: str = "",
    thai: bool = False,
    width: int = 640,
    height: int = 260,
) -> str:
    """Draw totals by fiscal year as a line over the grade bands, with the pass mark dashed."""
    left, right, top, bottom = 44, 36, 14, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    known = [Decimal(value) for _, value in points if value is not None]
    low = Decimal(min(known)) if known else Decimal(0)
    floor = max(0, math.floor((float(low) - 5) / 5) * 5)
    span = 100 - floor

    def y(value: Decimal | float) -> float:
        return top + plot_h * (1 - (float(value) - floor) / span)

    def x(index: int) -> float:
        if len(points) == 1:
            return left + plot_w / 2
        return left + plot_w * (index + 0.5) / len(points)

    body: list[str] = []
    for grade, lower, upper in _band_ranges(bands):
        if upper <= floor:
            continue
        top_y, bottom_y = y(upper), y(max(lower, Decimal(floor)))
        fill = BAND_FILLS.get(grade, "#f3f4f6")
        body.append(
            f'<rect class="band" x="{left}" y="{_f(top_y)}" width="{plot_w}" '
            f'height="{_f(bottom_y - top_y)}" fill="{fill}"/>'
        )
        label_y = _f((top_y + bottom_y) / 2 + 4)
        body.append(
            f'<text class="band-label" x="{width - right + 6}" y="{label_y}" fill="#4b5563">'
            f"{_text(grade)}</text>"
        )
    for tick in range(floor, 101, 5 if span <= 30 else 10):
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{_f(y(tick))}" y2="{_f(y(tick))}" '
            f'stroke="{GRID}" stroke-width="0.5" stroke-dasharray="2 3"/>'
            f'<text x="{left - 6}" y="{_f(y(tick) + 4)}" text-anchor="end" fill="#374151">'
            f"{_digits(tick, thai)}</text>"
        )
    if pass_mark is not None and floor <= pass_mark <= 100:
        line_y = _f(y(pass_mark))
        body.append(
            f'<line class="pass-mark" x1="{left}" x2="{width - right}" y1="{line_y}" '
            f'y2="{line_y}" stroke="#b91c1c" stroke-width="1.2" stroke-dasharray="5 3"/>'
            f'<text x="{left + 4}" y="{_f(y(pass_mark) - 4)}" fill="#b91c1c">'
            f"{_text(pass_label)} {_number(pass_mark, thai)}</text>"
        )
    segments: list[list[str]] = [[]]
    for index, (year, value) in enumerate(points):
        body.append(
            f'<text x="{_f(x(index))}" y="{height - 10}" text-anchor="middle" fill="#111827">'
            f"{_text(_digits(year, thai))}</text>"
        )
        if value is None:
            segments.append([])
            continue
        segments[-1].append(f"{_f(x(index))},{_f(y(value))}")
    for segment in segments:
        if len(segment) > 1:
            body.append(
                f'<polyline points="{" ".join(segment)}" fill="none" stroke="{LINE}" '
                f'stroke-width="2"/>'
            )
    for index, (_, value) in enumerate(points):
        if value is None:
            continue
        cx, cy = x(index), y(value)
        body.append(
            f'<circle class="point" cx="{_f(cx)}" cy="{_f(cy)}" r="3.5" fill="{LINE}"/>'
            f'<text class="value" x="{_f(cx)}" y="{_f(cy - 8)}" text-anchor="middle" '
            f'font-weight="600" fill="#111827">{_number(value, thai)}</text>'
        )
    return _svg(width, height, title, body, "trend-chart")


def indicator_chart(
    bars: Sequence[tuple[str, Decimal | None]],
    *,
    pass_mark: Decimal,
    title: str,
    pass_label: str = "",
    thai: bool = False,
    width: int = 640,
    label_width: int = 210,
) -> str:
    """Draw one horizontal bar per indicator on a 0–100 scale, with the pass mark as a line."""
    row, top, bottom, right = 24, 18, 26, 48
    height = top + bottom + row * len(bars)
    plot_w = width - label_width - right

    def x(value: Decimal | float) -> float:
        return label_width + plot_w * float(value) / 100

    body: list[str] = []
    for tick in range(0, 101, 20):
        body.append(
            f'<line x1="{_f(x(tick))}" x2="{_f(x(tick))}" y1="{top}" y2="{height - bottom}" '
            f'stroke="{GRID}" stroke-width="0.5" stroke-dasharray="2 3"/>'
            f'<text x="{_f(x(tick))}" y="{height - 8}" text-anchor="middle" fill="#374151">'
            f"{_digits(tick, thai)}</text>"
        )
    for index, (label, value) in enumerate(bars):
        mid = top + row * index + row / 2
        body.append(
            f'<text class="bar-label" x="{label_width - 8}" y="{_f(mid + 4)}" '
            f'text-anchor="end" fill="#111827">{_text(label)}</text>'
        )
        if value is None:
            body.append(f'<text x="{label_width + 4}" y="{_f(mid + 4)}" fill="#6b7280">–</text>')
            continue
        colour = PASS if Decimal(value) >= pass_mark else BELOW
        body.append(
            f'<rect class="bar" x="{label_width}" y="{_f(mid - 8)}" '
            f'width="{_f(x(value) - label_width)}" height="16" fill="{colour}"/>'
            f'<text class="value" x="{_f(x(value) + 4)}" y="{_f(mid + 4)}" fill="#111827">'
            f"{_number(value, thai)}</text>"
        )
    line_x = _f(x(pass_mark))
    body.append(
        f'<line class="pass-mark" x1="{line_x}" x2="{line_x}" y1="{top - 6}" '
        f'y2="{height - bottom}" stroke="#b91c1c" stroke-width="1.5" stroke-dasharray="5 3"/>'
        f'<text x="{line_x}" y="{top - 8}" text-anchor="middle" fill="#b91c1c" font-weight="600">'
        f"{_text(pass_label)} {_number(pass_mark, thai)}</text>"
    )
    return _svg(width, height, title, body, "indicator-chart")
