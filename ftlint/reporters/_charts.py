"""The report's charts: inline SVG for ``html``, text bars for ``markdown``.

Why SVG written here rather than a plotting library: the report must open
with no network (no CDN script or font), stay small and print well. A
histogram of 25 bars is a few dozen ``<rect>`` elements, about 3 KB, drawn
crisply at any zoom, with nothing to install and nothing that can break in
a browser (no JavaScript). matplotlib would add a heavy dependency and
embed raster PNGs (tens of KB each, blurry when zoomed); Plotly or Vega
embed a 1-3 MB script per file or load it from a CDN. The charts are simple
enough that their code is shorter than the glue to any of those.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ftlint.core.statistics import Bin, Distribution

WIDTH, HEIGHT = 520, 200
#: Room for the axes' labels: left, right, top, bottom.
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 24, 34
BAR_COLOUR = "#4c78a8"
#: The limit's line; its label takes the colour from the ``limit`` class of
#: the page's style sheet (a CSS fill beats an SVG attribute).
LIMIT_COLOUR = "#d62728"
#: Characters of the widest text bar.
TEXT_BAR_WIDTH = 40
#: Eighths of a block, for text bars with sub-character resolution.
_EIGHTHS = " ▏▎▍▌▋▊▉"


def bin_label(item: Bin) -> str:
    """``"0-5"``, or ``"140+"`` for the last, open bar."""
    if item.high is None:
        return f"{item.low:,}+"
    return f"{item.low:,}-{item.high:,}"


def histogram_svg(values: Distribution, title: str, marker: int | None = None) -> str:
    """A histogram of ``values`` with a dashed line at ``marker`` (the token
    limit) when it falls on the chart, else a note that it is beyond it."""
    bins = values.bins
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_width / len(bins)
    tallest = max(item.count for item in bins) or 1
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{LEFT}" y1="{TOP + plot_height}" x2="{WIDTH - RIGHT}" '
        f'y2="{TOP + plot_height}" stroke="#888"/>',
        f'<text x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end" class="tick">{tallest:,}</text>',
        f'<text x="{LEFT - 6}" y="{TOP + plot_height}" text-anchor="end" class="tick">0</text>',
    ]
    for index, item in enumerate(bins):
        height = item.count / tallest * plot_height
        x = LEFT + index * slot
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{TOP + plot_height - height:.1f}" '
            f'width="{max(slot - 2, 1):.1f}" height="{height:.1f}" fill="{BAR_COLOUR}">'
            f"<title>{bin_label(item)}: {item.count:,}</title></rect>"
        )
    step = max(1, round(len(bins) / 6))
    for index in range(0, len(bins) + 1, step):
        edge = bins[index].low if index < len(bins) else bins[-1].high
        if edge is None:
            continue
        x = LEFT + index * slot
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="middle" '
            f'class="tick">{edge:,}</text>'
        )
    parts.append(_marker(bins, slot, marker))
    parts.append("</svg>")
    return "".join(parts)


def _marker(bins: Sequence[Bin], slot: float, marker: int | None) -> str:
    if marker is None:
        return ""
    x = _position(bins, slot, marker)
    label = f"limit {marker:,}"
    if x is None:
        return (
            f'<text x="{WIDTH - RIGHT}" y="12" text-anchor="end" '
            f'class="limit">{label} is beyond the chart →</text>'
        )
    return (
        f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{HEIGHT - BOTTOM}" '
        f'stroke="{LIMIT_COLOUR}" stroke-width="2" stroke-dasharray="5 3"/>'
        f'<text x="{x - 4:.1f}" y="12" text-anchor="end" class="limit">{label}</text>'
    )


def _position(bins: Sequence[Bin], slot: float, value: int) -> float | None:
    """The x of ``value`` on the chart; None past the last closed bar."""
    for index, item in enumerate(bins):
        if item.high is not None and item.low <= value < item.high:
            return LEFT + (index + (value - item.low) / (item.high - item.low)) * slot
    return None


def bars_svg(pairs: Sequence[tuple[str, int]], title: str) -> str:
    """Horizontal bars, one a label, with its count and share."""
    row, label_width, width = 22, 160, WIDTH
    total = sum(count for _, count in pairs) or 1
    widest = max((count for _, count in pairs), default=1) or 1
    room = width - label_width - 120
    height = row * len(pairs) + 4
    parts = [
        f'<svg viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, count) in enumerate(pairs):
        y = index * row + 2
        length = count / widest * room
        shown = label if len(label) <= 28 else label[:27] + "…"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end">{escape(shown)}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{max(length, 1):.1f}" height="{row - 6}" '
            f'fill="{BAR_COLOUR}"><title>{escape(label)}: {count:,}</title></rect>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 15}" class="tick">'
            f"{count:,} ({count / total:.1%})</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def text_bar(count: int, widest: int) -> str:
    """A bar of block characters, ``TEXT_BAR_WIDTH`` long for ``widest``."""
    eighths = round(count / widest * TEXT_BAR_WIDTH * 8) if widest else 0
    if count and not eighths:
        eighths = 1  # a bar that is there, however short
    full, rest = divmod(eighths, 8)
    return ("█" * full + (_EIGHTHS[rest] if rest else "")).ljust(TEXT_BAR_WIDTH)


def text_histogram(values: Distribution, marker: int | None = None) -> str:
    """The histogram as lines of text bars, the bar holding ``marker`` flagged."""
    widest = max(item.count for item in values.bins) or 1
    labels = [bin_label(item) for item in values.bins]
    label_width = max(len(label) for label in labels)
    lines = []
    for item, label in zip(values.bins, labels, strict=True):
        holds_marker = (
            marker is not None and item.low <= marker and (item.high is None or marker < item.high)
        )
        flag = f" ◀ limit {marker:,}" if holds_marker and marker is not None else ""
        lines.append(f"{label:>{label_width}} │{text_bar(item.count, widest)} {item.count:,}{flag}")
    return "\n".join(lines)


def text_bars(pairs: Sequence[tuple[str, int]]) -> str:
    """Labels and their counts as text bars."""
    widest = max((count for _, count in pairs), default=1) or 1
    total = sum(count for _, count in pairs) or 1
    width = max((len(label) for label, _ in pairs), default=0)
    return "\n".join(
        f"{label:>{width}} │{text_bar(count, widest)} {count:,} ({count / total:.1%})"
        for label, count in pairs
    )
