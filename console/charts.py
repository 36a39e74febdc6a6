"""Geometry of the console's charts, drawn as inline SVG by templates (includes/line_chart.html,
includes/bar_chart.html): no JavaScript library, they print as they show, and each comes with
its figures as a table for screen readers and for copying."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

# Colour-blind-safe (Okabe-Ito); the region's line is the first, drawn thicker.
PALETTE = ("#0b4f8a", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000")


@dataclass
class Series:
    name: str
    color: str
    points: list[tuple[float, float, str, float]]  # x, y, date label, value

    @property
    def polyline(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y, *_ in self.points)


@dataclass
class LineChart:
    width: int
    height: int
    left: int
    top: int
    right: int
    bottom: int
    series: list[Series] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    dates: list[datetime.date] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(series.points for series in self.series)

    def table(self) -> list[tuple[datetime.date, list[float | None]]]:
        """Row per date, a column per series: the chart's figures as a table."""
        by_series = [{label: value for *_, label, value in series.points} for series in self.series]
        return [(day, [values.get(day.isoformat()) for values in by_series]) for day in self.dates]


def line_chart(
    lines: dict[str, list[tuple[datetime.date, float]]], *, width: int = 720, height: int = 260, y_max: float = 100
) -> LineChart:
    """Lines of percentages over dates, on a shared time axis (the first line is the region's)."""
    chart = LineChart(width=width, height=height, left=44, top=12, right=width - 16, bottom=height - 28)
    dates = sorted({day for points in lines.values() for day, _ in points})
    chart.dates = dates
    if not dates:
        return chart
    first, last = dates[0], dates[-1]
    span = max((last - first).days, 1)
    plot_width, plot_height = chart.right - chart.left, chart.bottom - chart.top

    def x_of(day: datetime.date) -> float:
        if first == last:
            return chart.left + plot_width / 2
        return chart.left + plot_width * (day - first).days / span

    def y_of(value: float) -> float:
        return chart.bottom - plot_height * min(max(value, 0), y_max) / y_max

    for index, (name, points) in enumerate(lines.items()):
        drawn = [(x_of(day), y_of(value), day.isoformat(), value) for day, value in points if value is not None]
        if drawn:  # a district without figures yet gets no empty line (its colour stays its own)
            chart.series.append(Series(name=name, color=PALETTE[index % len(PALETTE)], points=drawn))
    chart.y_ticks = [(y_of(value), f"{value:g}%") for value in (0, 25, 50, 75, 100) if value <= y_max]
    tick_count = min(len(dates), 6)
    step = max(1, (len(dates) - 1) // max(tick_count - 1, 1))
    chart.x_ticks = [(x_of(day), day.strftime("%d.%m")) for day in dates[::step]]
    return chart


@dataclass
class Bar:
    label: str
    value: float  # percent
    secondary: float  # percent, drawn lighter behind the main bar
    y: float
    width: float
    secondary_width: float
    caption: str
    value_x: float  # where the figure is written, right of the bar


@dataclass
class BarChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: list[Bar]


def bar_chart(rows: list[tuple[str, float, float, str]], *, width: int = 720, label_width: int = 300) -> BarChart:
    """Horizontal bars of percentages: (label, value, secondary value, caption) per row."""
    bar_height, gap = 18, 10
    plot_width = width - label_width - 60
    bars = [
        Bar(
            label=label,
            value=value,
            secondary=secondary,
            y=index * (bar_height + gap),
            width=plot_width * value / 100,
            secondary_width=plot_width * secondary / 100,
            caption=caption,
            value_x=label_width + plot_width * value / 100 + 6,
        )
        for index, (label, value, secondary, caption) in enumerate(rows)
    ]
    return BarChart(
        width=width, height=len(bars) * (bar_height + gap), label_width=label_width, bar_height=bar_height, bars=bars
    )
