"""Server-drawn charts: the geometry of a 100 % stacked bar chart over time, which
templates/dashboards/includes/stacked_bar_chart.html draws as inline SVG (no script, no
network; colours come from CSS classes). Every chart has its numbers in a table beside it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

WIDTH, HEIGHT = 480, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 22, 40  # room for the axis, the markers and the labels
BAR_SHARE = 0.6  # of each column's width; the rest is the gap between bars
TENTH = Decimal("0.1")


@lru_cache(maxsize=4096)
def svg_number(value: float) -> str:
    """A coordinate with one decimal, written as ``{{ value|floatformat:'1u' }}`` writes it
    (half up, from the shortest repr, no minus on zero) at a fraction of its cost: an
    overview draws some 700 of them, most of them the same few positions (kept)."""
    rounded = Decimal(str(value)).quantize(TENTH, ROUND_HALF_UP)
    return f"{rounded if rounded else abs(rounded):f}"


@dataclass(frozen=True, slots=True)
class Segment:
    """One part of a bar: ``css`` names its colour, ``value`` its count."""

    css: str
    value: int
    title: str  # what a pointer shows over it: "Proficient: 12 of 30"


@dataclass(frozen=True, slots=True)
class Column:
    label: str  # the cycle's name
    segments: Sequence[Segment]
    mark: str = ""  # "Rubric v2": a marker is drawn before this column


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str

    def svg(self) -> dict[str, str]:
        """x, y, width and height as the SVG writes them."""
        return {
            "x": svg_number(self.x),
            "y": svg_number(self.y),
            "width": svg_number(self.width),
            "height": svg_number(self.height),
        }


@dataclass(frozen=True, slots=True)
class Text:
    x: float
    y: float
    lines: tuple[str, ...]

    def svg(self) -> dict[str, str]:
        """x and y as the SVG writes them."""
        return {"x": svg_number(self.x), "y": svg_number(self.y)}


@dataclass(frozen=True, slots=True)
class Marker:
    x: float
    top: float
    bottom: float
    label: str
    anchor: str  # "start" or "end", so the label stays inside the chart

    def svg(self) -> dict[str, str]:
        """x, top and bottom as the SVG writes them."""
        return {
            "x": svg_number(self.x),
            "top": svg_number(self.top),
            "bottom": svg_number(self.bottom),
        }


@dataclass(frozen=True, slots=True)
class BarChart:
    width: int
    height: int
    rects: list[Rect]
    labels: list[Text]
    ticks: list[tuple[float, str]]  # (y, "50%")
    markers: list[Marker]
    left: int
    right: int
    empty_columns: list[Text]  # "none" where a cycle has nothing to show


def _label_lines(label: str) -> tuple[str, ...]:
    """A cycle's name on at most two lines: its first word, then the rest."""
    first, _, rest = label.partition(" ")
    return (first, rest) if rest else (first,)


def stacked_bars(columns: Sequence[Column]) -> BarChart:
    """Each column a bar of 100 %, split by its segments' shares; a column whose segments add
    up to nothing gets no bar, and says so."""
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    step = plot_width / max(len(columns), 1)
    bar = step * BAR_SHARE
    rects, labels, markers, empty = [], [], [], []
    for index, column in enumerate(columns):
        x = LEFT + index * step + (step - bar) / 2
        centre = LEFT + index * step + step / 2
        labels.append(Text(centre, HEIGHT - BOTTOM + 14, _label_lines(column.label)))
        if column.mark:
            edge = LEFT + index * step
            anchor = "end" if edge > LEFT + plot_width / 2 else "start"
            markers.append(Marker(edge, TOP - 4, HEIGHT - BOTTOM, column.mark, anchor))
        total = sum(segment.value for segment in column.segments)
        if not total:
            empty.append(Text(centre, HEIGHT - BOTTOM - 6, ("none",)))
            continue
        bottom = HEIGHT - BOTTOM
        for segment in column.segments:
            if not segment.value:
                continue
            height = plot_height * segment.value / total
            bottom -= height
            rects.append(Rect(x, bottom, bar, height, segment.css, segment.title))
    ticks = [(TOP + plot_height * (1 - share / 100), f"{share}%") for share in (0, 50, 100)]
    return BarChart(
        width=WIDTH,
        height=HEIGHT,
        rects=rects,
        labels=labels,
        ticks=ticks,
        markers=markers,
        left=LEFT,
        right=WIDTH - RIGHT,
        empty_columns=empty,
    )


@dataclass(frozen=True, slots=True)
class LevelColumn:
    """One column of a level chart: ``levels`` holds one level (or None) per series."""

    label: str
    levels: Sequence[int | None]
    titles: Sequence[str]  # what a pointer shows over each bar: "Supervisor: Proficient"


def level_bars(columns: Sequence[LevelColumn], *, series_css: Sequence[str], top: int) -> BarChart:
    """Side by side in each column, one bar per series as tall as its level (1 to ``top``);
    a series without a level in a column leaves a gap, a column without any says "none"."""
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    step = plot_width / max(len(columns), 1)
    group = step * BAR_SHARE
    bar = group / max(len(series_css), 1)
    rects, labels, empty = [], [], []
    for index, column in enumerate(columns):
        left = LEFT + index * step + (step - group) / 2
        centre = LEFT + index * step + step / 2
        labels.append(Text(centre, HEIGHT - BOTTOM + 14, _label_lines(column.label)))
        if all(level is None for level in column.levels):
            empty.append(Text(centre, HEIGHT - BOTTOM - 6, ("none",)))
            continue
        for position, (level, css, title) in enumerate(
            zip(column.levels, series_css, column.titles, strict=True)
        ):
            if level is None:
                continue
            height = plot_height * level / top
            rects.append(
                Rect(left + position * bar, HEIGHT - BOTTOM - height, bar, height, css, title)
            )
    ticks = [(TOP + plot_height * (1 - value / top), str(value)) for value in range(top + 1)]
    return BarChart(
        width=WIDTH,
        height=HEIGHT,
        rects=rects,
        labels=labels,
        ticks=ticks,
        markers=[],
        left=LEFT,
        right=WIDTH - RIGHT,
        empty_columns=empty,
    )
