"""Geometry of the server-drawn SVG bar charts (templates/dashboard/includes/bar_chart.html).

``bar_chart(points, title=..., unit=...)`` takes (label, value) pairs and returns what the template
draws: bars with their x/y/width/height in a fixed viewBox, a few y-axis ticks, the x labels to
show (every n-th when there are many) and the same numbers as text for screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 12, 28


@dataclass
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    show_label: bool
    label_x: float


@dataclass
class Chart:
    title: str
    unit: str
    bars: list[Bar]
    ticks: list[tuple[str, float]]  # (label, y)
    total: int
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: float = HEIGHT - BOTTOM
    right_edge: int = WIDTH - RIGHT
    summary: str = ""
    extra: dict = field(default_factory=dict)


def _nice_max(value: int) -> int:
    """The axis top: ``value`` rounded up to a multiple of the smallest step (1, 2, 2.5 or 5 times a
    power of ten) of which four reach it."""
    if value <= 4:
        return max(value, 1)
    magnitude = 1
    while True:
        for base in (1, 2, 2.5, 5):
            step = int(base * magnitude)
            if step and value <= step * 4:
                return ((value + step - 1) // step) * step
        magnitude *= 10


def _tick_label(value: int) -> str:
    """Short enough for the axis margin: 1500, 12.5k, 40k, 2.5M."""
    if value >= 1_000_000:
        return f"{value / 1_000_000:g}M"
    if value >= 10_000:
        return f"{value / 1_000:g}k"
    return str(value)


def bar_chart(points: list[tuple[str, int]], *, title: str, unit: str, label_every: int = 1) -> Chart:
    top = _nice_max(max((v for _, v in points), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(points), 1)
    gap = min(4.0, slot * 0.2)
    bars = []
    for i, (label, value) in enumerate(points):
        h = plot_h * value / top if top else 0
        x = LEFT + i * slot + gap / 2
        bars.append(Bar(label, value, round(x, 1), round(TOP + plot_h - h, 1), round(slot - gap, 1), round(h, 1),
                        show_label=((len(points) - 1 - i) % label_every == 0), label_x=round(x + (slot - gap) / 2, 1)))
    steps = 4 if top >= 4 else top
    ticks = [(_tick_label(int(top * k / steps)), round(TOP + plot_h - plot_h * k / steps, 1))
             for k in range(steps + 1)] if steps else []
    total = sum(v for _, v in points)
    peak = max(points, key=lambda p: p[1]) if points and total else None
    summary = f"{total:,} {unit} in all" + (f"; most in {peak[0]} ({peak[1]:,})" if peak else "") + "."
    return Chart(title=title, unit=unit, bars=bars, ticks=ticks, total=total, summary=summary)
