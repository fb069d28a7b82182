"""Charts drawn on the server as SVG geometry: the templates print rectangles, no JS needed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of a column chart, in SVG user units."""

    x: float
    y: float
    width: float
    height: float
    label: str
    value: int


@dataclass(frozen=True, slots=True)
class ColumnChart:
    """A column chart: bars, the tallest value, and tick labels to print under the axis."""

    width: int
    height: int
    bars: tuple[Bar, ...]
    top: int
    ticks: tuple[tuple[float, str], ...]


def column_chart(values: Mapping[str, int], *, width: int = 720, height: int = 160) -> ColumnChart:
    """Bars for ``values`` (label -> count, in display order) filling ``width`` x ``height``.

    Labels are also printed under the axis, thinned out to about 12 ticks so that a long
    monthly series stays readable.
    """
    items = list(values.items())
    top = max((v for _, v in items), default=0)
    if not items:
        return ColumnChart(width, height, (), 0, ())
    slot = width / len(items)
    gap = min(2.0, slot * 0.2)
    bars = tuple(
        Bar(
            x=round(i * slot + gap / 2, 2),
            y=round(height - (v / top * height if top else 0), 2),
            width=round(max(slot - gap, 0.5), 2),
            height=round(v / top * height if top else 0, 2),
            label=label,
            value=v,
        )
        for i, (label, v) in enumerate(items)
    )
    step = max(1, round(len(items) / 12))
    ticks = tuple((round(i * slot + slot / 2, 2), label) for i, (label, _) in enumerate(items) if i % step == 0)
    return ColumnChart(width, height, bars, top, ticks)


def share(values: Mapping[str, int]) -> list[tuple[str, int, float]]:
    """(label, count, percent of the largest) for horizontal bars."""
    top = max(values.values(), default=0)
    return [(k, v, round(100 * v / top, 1) if top else 0.0) for k, v in values.items()]


def fill_months(by_month: Mapping[str, int]) -> dict[str, int]:
    """Monthly counts with the empty months in between filled with 0 (unknown months dropped)."""
    months = sorted(m for m in by_month if len(m) == 7 and m[4] == "-")
    if not months:
        return {}
    first = int(months[0][:4]) * 12 + int(months[0][5:]) - 1
    last = int(months[-1][:4]) * 12 + int(months[-1][5:]) - 1
    # At most 50 years of months: a stray date in 1900 must not make a 1,500-bar chart.
    first = max(first, last - 599)
    out: dict[str, int] = {}
    for n in range(first, last + 1):
        key = f"{n // 12:04d}-{n % 12 + 1:02d}"
        out[key] = int(by_month.get(key, 0))
    return out
