"""Geometry of the history chart, drawn as SVG on the server (no JavaScript, printable)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from assessments.scoring import GradeBand

WIDTH = 720
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 12, 36


@dataclass(frozen=True)
class BandRect:
    grade: str
    y: float
    height: float
    label_y: float


@dataclass(frozen=True)
class Point:
    year: int
    value: Decimal
    grade: str | None
    x: float
    y: float


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class HistoryChart:
    width: int
    height: int
    left: int
    right_edge: int
    top: int
    bottom_edge: int
    bands: tuple[BandRect, ...]
    points: tuple[Point, ...]
    ticks: tuple[Tick, ...]
    years: tuple[tuple[int, float], ...]
    pass_mark_y: float | None

    @property
    def plot_width(self) -> int:
        return self.right_edge - self.left

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def history_chart(
    years: list[tuple[int, Decimal | None, str | None]],
    bands: list[GradeBand],
    pass_mark: Decimal | None = None,
) -> HistoryChart:
    """Place each year's total on a chart whose background shows the grade bands."""
    known = [value for _, value, _ in years if value is not None]
    # Show from the band floor just below the lowest total (or 50), so the bands stay readable.
    floor = min([Decimal(50), *known])
    floor = Decimal(int(floor) // 10 * 10)
    plot_h = HEIGHT - TOP - BOTTOM
    plot_w = WIDTH - LEFT - RIGHT

    def y_of(value: Decimal) -> float:
        return TOP + float((Decimal(100) - value) / (Decimal(100) - floor)) * plot_h

    ordered = sorted(bands, key=lambda band: band.lower)
    rects = []
    for index, band in enumerate(ordered):
        upper = ordered[index + 1].lower if index + 1 < len(ordered) else Decimal(100)
        if upper <= floor:
            continue
        lower = max(band.lower, floor)
        top, bottom = y_of(upper), y_of(lower)
        rects.append(BandRect(band.grade, top, bottom - top, (top + bottom) / 2 + 5))

    step = plot_w / max(len(years), 1)
    xs = [LEFT + step * (index + 0.5) for index in range(len(years))]
    points = tuple(
        Point(year, value, grade, x, y_of(value))
        for (year, value, grade), x in zip(years, xs, strict=True)
        if value is not None
    )
    ticks = tuple(Tick(v, y_of(Decimal(v))) for v in range(int(floor), 101, 10))
    return HistoryChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right_edge=WIDTH - RIGHT,
        top=TOP,
        bottom_edge=HEIGHT - BOTTOM,
        bands=tuple(rects),
        points=points,
        ticks=ticks,
        years=tuple((year, x) for (year, _, _), x in zip(years, xs, strict=True)),
        pass_mark_y=None if pass_mark is None else y_of(pass_mark),
    )
