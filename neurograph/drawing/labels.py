"""Label placement around lines: each label is put where its box crosses no drawn line, no marker
and no other label, with a leader line where it has to stand away from its node.

The diagram's lines are fixed first; labels are then placed one by one (the lesion's first, then
the affected structures', then the rest, top to bottom), each at the first free position of a
list of candidates: beside its marker on the side away from the midline, then above and below
it, then on the other side, then ever further away in rings around the marker, where a thin
leader line joins label and marker. A label placed with a leader line makes that line an
obstacle for the labels placed after it, and the leader itself must cross no label placed
before it. A label asked to stand beside its own marker (a lesion site's) is first given only the
places nearer its marker than any other, or at the end of a leader at most SHORT_LEADER label
heights long, then such places on a fine grid around its marker, and any free place only where there is none such. All geometry is in display units (pixels of the figure as drawn), so the result holds
for the figure as saved.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.text import Text

__all__ = [
    "LabelRequest", "Places", "SegmentSet", "find_places", "label_sizes", "measuring_renderer", "place_labels",
    "placement_rank", "show_places",
]

#: Free space kept around a label's box, in pixels at 100 dpi (scaled with the figure's dpi).
MARGIN = 1.5
#: How far out the rings of candidate positions go, in label heights.
RING_STEPS = (1.0, 1.8, 2.8, 4.0, 5.5, 7.5, 10.0, 13.0, 17.0, 22.0, 28.0, 35.0, 43.0, 55.0, 70.0)
#: A leader line at most this many label heights long joins a label to its marker at a glance, whatever
#: marker stands nearer the label.
SHORT_LEADER = 2.0
#: Directions tried on each ring, as angles from the outward side, in degrees.
RING_ANGLES = (0, -15, 15, -30, 30, -45, 45, -60, 60, -75, 75, -90, 90, -105, 105, -120, 120, -135, 135, -150, 150,
               -165, 165, 180)


#: The order labels are placed in, by their node's effect: the lesion's first, then the affected
#: structures', then the spared, then the rest (each group top to bottom, by its caller).
_PLACEMENT_RANKS = {"lesion": 0, "mixed": 1, "LMN": 1, "UMN": 1, "spared": 2}


def placement_rank(effect: str) -> int:
    """Where a node with ``effect`` comes in the placement order (lower first).

    Examples
    --------
    >>> sorted(["intact", "LMN", "lesion"], key=placement_rank)
    ['lesion', 'LMN', 'intact']
    """
    return _PLACEMENT_RANKS.get(effect, 3)


@dataclass
class LabelRequest:
    """A label to place: its text artist, its node's position (data), its marker radius (points) and outward side."""

    text: Text
    x: float
    y: float
    marker_points: float
    outward: int  # +1: the label reads best to the right of its node; -1: to the left
    #: The label must stand nearer its own marker than any other, or at the end of a short leader line
    #: (SHORT_LEADER): a reader takes a label for the name of the mark beside it (a lesion site's).
    own_nearest: bool = False


class SegmentSet:
    """Line segments ``[[x0, y0], [x1, y1]]`` (display units) that boxes are tested against; more may be added."""

    def __init__(self, segments: np.ndarray, room: int = 0) -> None:
        segments = np.asarray(segments, dtype=float).reshape(-1, 2, 2)
        self.count = len(segments)
        # Per segment: its bounding box, its start and its direction, with room for ``room`` more.
        self.table = np.zeros((self.count + room, 8))
        self._fill(0, segments)

    def _fill(self, row, segments):
        """Fill the table's rows from ``row`` on with ``segments`` (n x 2 x 2)."""
        (x0, y0), (x1, y1) = segments[:, 0].T, segments[:, 1].T
        self.table[row:row + len(segments)] = np.column_stack([
            np.minimum(x0, x1), np.minimum(y0, y1), np.maximum(x0, x1), np.maximum(y0, y1), x0, y0, x1 - x0, y1 - y0])

    def add(self, segment: np.ndarray) -> None:
        self._fill(self.count, np.asarray(segment, dtype=float).reshape(1, 2, 2))
        self.count += 1

    def crossing(self, boxes: np.ndarray) -> np.ndarray:
        """For each box ``(left, bottom, right, top)`` of ``boxes`` (n x 4), whether any segment meets it.

        A segment meets a box when their extents overlap and the box's corners are not all on
        one side of the segment's line (the separating axis test). Every box is tested against
        every segment at once: a label's candidate places are tried together, not one by one.
        """
        table = self.table[:self.count]
        hit = np.zeros(len(boxes), dtype=bool)
        if not len(table) or not len(boxes):
            return hit
        # Only the segments that reach the boxes' common extent can meet any of them: the boxes are a
        # label's candidate places, close together, and the segments are the whole figure's.
        table = table[(table[:, 0] <= boxes[:, 2].max()) & (table[:, 2] >= boxes[:, 0].min())
                      & (table[:, 1] <= boxes[:, 3].max()) & (table[:, 3] >= boxes[:, 1].min())]
        left, bottom, right, top = (boxes[:, column, None] for column in range(4))
        box_rows, rows = np.nonzero(
            (table[:, 0] <= right) & (table[:, 2] >= left) & (table[:, 1] <= top) & (table[:, 3] >= bottom)
        )
        if not len(rows):
            return hit
        x0, y0, dx, dy = (table[rows, column] for column in (4, 5, 6, 7))
        near = boxes[box_rows]
        sides = np.stack([dx * (near[:, y] - y0) - dy * (near[:, x] - x0) for x, y in ((0, 1), (2, 1), (0, 3), (2, 3))])
        hit[box_rows[~((sides > 0).all(axis=0) | (sides < 0).all(axis=0))]] = True
        return hit


#: One measuring renderer per resolution, kept: matplotlib keeps a text's measurements per renderer,
#: so the labels that figures share ("C7", "hand muscles (13)") are measured once.
_MEASURING: dict[float, Any] = {}


def measuring_renderer(figure: Any) -> Any:
    """A renderer to measure the texts of ``figure`` (a matplotlib Figure) with, one per resolution.

    Measuring a text without a renderer makes one per call, which is most of a figure's time. A
    text's size depends on its font and the resolution alone, not on the renderer's canvas.
    """
    from matplotlib.backends.backend_agg import RendererAgg

    if figure.dpi not in _MEASURING:
        _MEASURING[figure.dpi] = RendererAgg(1, 1, figure.dpi)
    return _MEASURING[figure.dpi]


def place_labels(
    ax: Axes, requests: Sequence[LabelRequest], line_segments: np.ndarray, keep_out: Sequence[Sequence[float]] = (),
    leader_color: str = "#777777", renderer: Any = None, unlabelled_marks: Sequence[Sequence[float]] = (),
) -> int:
    """Move each requested label to a free place; return how many could find none (left beside their node).

    ``line_segments`` (n x 2 x 2, data coordinates) are the drawn lines; ``keep_out`` are further
    boxes (display units) no label may cover, such as an inset or a heading. Labels must lie in
    the axes. Every text is given ``ha="left"``, ``va="bottom"`` at its box's lower left corner.
    ``renderer`` (see :func:`measuring_renderer`) measures the texts. ``unlabelled_marks`` (data
    coordinates) are the markers drawn without a label here: a label that must stand nearest its own
    marker (``own_nearest``) stands nearer its own than any of them too. The same as
    :func:`label_sizes`, :func:`find_places` and :func:`show_places` in turn.
    """
    sizes = label_sizes(requests, renderer or measuring_renderer(ax.figure))
    places = find_places(ax, requests, sizes, line_segments, keep_out, unlabelled_marks)
    show_places(ax, requests, places, leader_color)
    return places.misses


def label_sizes(requests: Sequence[LabelRequest], renderer: Any) -> np.ndarray:
    """Each label's width and height (n x 2, display units), measured by ``renderer``, its text aligned at its
    box's lower left corner as it will be placed. A text's size depends on its font alone: a figure drawn
    again at another size keeps these."""
    sizes = np.zeros((len(requests), 2))
    for row, request in enumerate(requests):
        request.text.set_horizontalalignment("left")
        request.text.set_verticalalignment("bottom")
        extent = request.text.get_window_extent(renderer)
        sizes[row] = extent.width, extent.height
    return sizes


@dataclass(frozen=True)
class Places:
    """Where :func:`find_places` puts each label: its box (n x 4, display units), its leader line (2 x 2,
    display units) or None, how many labels found no free place (each left beside its node), and which labels
    asked to stand beside their own marker (``own_nearest``) found a free place only further away (their indices)."""

    boxes: np.ndarray
    leaders: list[np.ndarray | None]
    misses: int
    away: tuple[int, ...] = ()


def find_places(
    ax: Axes, requests: Sequence[LabelRequest], sizes: np.ndarray, line_segments: np.ndarray,
    keep_out: Sequence[Sequence[float]] = (), unlabelled_marks: Sequence[Sequence[float]] = (),
    stop_at_miss: bool = False,
) -> Places:
    """Find each label's place (see :func:`place_labels`) without touching any artist: a figure can be sized by
    trying its labels' places at several sizes, making its texts and leader lines once.

    ``sizes`` are the labels' (:func:`label_sizes`). With ``stop_at_miss`` (a figure that will be tried
    again larger where a label finds no place) the search stops at the first such label, its places
    left unfound.
    """
    figure = ax.figure
    scale = figure.dpi / 72.0
    margin = MARGIN * figure.dpi / 100.0
    to_display = ax.transData.transform
    # The drawn lines, with room for the leader lines drawn as labels are placed (obstacles alike).
    lines = SegmentSet(to_display(np.asarray(line_segments, dtype=float).reshape(-1, 2)).reshape(-1, 2, 2),
                       room=len(requests))
    axes_box = ax.bbox.extents
    centres = to_display(np.array([[r.x, r.y] for r in requests], dtype=float).reshape(-1, 2))
    radii = np.array([r.marker_points * scale for r in requests])
    every_mark = np.concatenate([centres, to_display(np.asarray(unlabelled_marks, dtype=float).reshape(-1, 2))])
    pad = np.array([-margin, -margin, margin, margin])
    # The boxes no label may cover, in one array tested at once: the markers (a label's own among them, left
    # out of its tests), the keep-out boxes, then the labels placed so far, filled in as they are placed.
    marks, kept = len(requests), len(keep_out)
    obstacles = np.zeros((2 * marks + kept, 4))
    obstacles[:marks] = np.column_stack([centres - radii[:, None], centres + radii[:, None]])
    obstacles[marks:marks + kept] = np.asarray(keep_out, dtype=float).reshape(-1, 4)
    count = marks + kept
    leaders: list[np.ndarray | None] = []
    misses = 0
    away = []
    for index, request in enumerate(requests):
        width, height = sizes[index]
        cx, cy = centres[index]
        gap = radii[index] + 2.0 * scale
        choice = None
        # A label that must stand nearest its own marker looks for such a place first; where there is
        # none, for any free place (a label on no line or label is still better than one on them).
        for nearest_only in (True, False) if request.own_nearest else (False,):
            for boxes, hanging in _candidates(cx, cy, width, height, gap, request.outward, around=nearest_only):
                leader_lines = None
                if nearest_only:
                    beside = _nearest_is_own(boxes, every_mark, index)
                    if hanging:
                        leader_lines = _leaders(cx, cy, gap, boxes)
                        beside |= np.hypot(*(leader_lines[:, 1] - leader_lines[:, 0]).T) <= SHORT_LEADER * height
                        leader_lines = leader_lines[beside]
                    boxes = boxes[beside]
                free = _free(boxes, axes_box, pad, obstacles[:count], index, lines)
                if hanging and len(free):
                    # Leader lines are made for the places whose boxes are free alone (most are not); a leader
                    # may pass a marker, not a label or a keep-out box.
                    ends = _leaders(cx, cy, gap, boxes[free]) if leader_lines is None else leader_lines[free]
                    clear = ~_segments_cross_boxes(ends, obstacles[marks:count]) if count > marks \
                        else np.ones(len(free), dtype=bool)
                    free, ends = free[clear], ends[clear]
                if len(free):
                    choice = (tuple(boxes[free[0]]), ends[0] if hanging else None)
                    break
            if choice is not None:
                if request.own_nearest and not nearest_only:
                    away.append(index)
                break
        if choice is None:
            misses += 1
            if stop_at_miss:
                break
            choice = (_beside(cx, cy, width, height, gap, request.outward), None)
        box, leader = choice
        obstacles[count] = box
        count += 1
        leaders.append(leader)
        if leader is not None:
            lines.add(leader)
    return Places(obstacles[marks + kept:count], leaders, misses, tuple(away))


def show_places(ax: Axes, requests: Sequence[LabelRequest], places: Places, leader_color: str = "#777777") -> None:
    """Move each label's text to its place of ``places`` (:func:`find_places`) and draw its leader line, if any."""
    from matplotlib.lines import Line2D

    # The axes' limits and size are settled before labels are shown: the inverse is made once.
    to_data = ax.transData.inverted().transform
    for index, (request, box, leader) in enumerate(zip(requests, places.boxes, places.leaders, strict=True)):
        x, y = to_data((box[0], box[1]))
        request.text.set_position((x, y))
        if leader is not None:
            (start, end) = to_data(leader)
            ax.add_line(Line2D([start[0], end[0]], [start[1], end[1]], color=leader_color, linewidth=0.6, zorder=2,
                               gid=f"leader:{request.text.get_gid() or index}"))


def _nearest_is_own(boxes, centres, own):
    """For each box (n x 4), whether marker ``own`` of ``centres`` (m x 2) is nearer it than every other marker."""
    across = np.maximum(0.0, np.maximum(boxes[:, 0, None] - centres[:, 0], centres[:, 0] - boxes[:, 2, None]))
    up = np.maximum(0.0, np.maximum(boxes[:, 1, None] - centres[:, 1], centres[:, 1] - boxes[:, 3, None]))
    distance = np.hypot(across, up)
    others = np.delete(distance, own, axis=1)
    return distance[:, own] <= (others.min(axis=1) if others.shape[1] else np.inf)


def _beside(cx, cy, width, height, gap, outward):
    left = cx + gap if outward > 0 else cx - gap - width
    return (left, cy - height / 2, left + width, cy + height / 2)


def _hang(unit):
    """How a box hangs off a ring point along an axis, by the direction's component ``unit`` on it: from the
    point (0), ending at it (-1) or centred on it (-0.5), always away from the node."""
    return np.where(unit > 0.3, 0.0, np.where(unit < -0.3, -1.0, -0.5))


def _ring_directions(outward):
    radians = [math.radians(angle if outward > 0 else 180 - angle) for angle in RING_ANGLES]
    cos, sin = np.array([math.cos(r) for r in radians]), np.array([math.sin(r) for r in radians])
    return cos, sin, _hang(cos), _hang(sin)


#: Per outward side (+1, -1): the ring directions' unit vectors, across and up, and how a box hangs off each.
_RING_DIRECTIONS = {outward: _ring_directions(outward) for outward in (1, -1)}
#: The rings are tried a few at once, nearest first: a test of many places costs hardly more than one of a
#: ring's, and about half the labels that find no place beside their marker find one on the first four rings.
RING_GROUPS = ((0, 4), (4, 9), (9, len(RING_STEPS)))
#: The grid of places around a marker that a label which must stand beside it tries last: its step and how far
#: out it reaches beyond the marker's edge, in label heights.
AROUND_STEP = 0.125
AROUND_REACH = 2.5
#: Each group's rings' distances (label heights), a column to broadcast against the ring directions.
_RING_GROUP_STEPS = [np.array(RING_STEPS[first:last])[:, None] for first, last in RING_GROUPS]


def _candidates(cx, cy, width, height, gap, outward, around=False):
    """Boxes to try, nearest first, in groups (boxes n x 4, and whether they hang on a leader line): beside,
    above and below, the other side; then the rings, a few at once (RING_GROUPS), each with a leader line;
    ``around`` (a label that must stand beside its own marker), then every place around the marker (:func:`_around`)."""
    near = [_beside(cx, cy, width, height, gap, outward)]
    for dy in (1, -1):
        left = cx + gap * 0.5 if outward > 0 else cx - gap * 0.5 - width
        bottom = cy + gap * 0.7 if dy > 0 else cy - gap * 0.7 - height
        near.append((left, bottom, left + width, bottom + height))
    for dy in (1, -1):
        left = cx - width / 2
        bottom = cy + gap if dy > 0 else cy - gap - height
        near.append((left, bottom, left + width, bottom + height))
    near.append(_beside(cx, cy, width, height, gap, -outward))
    yield np.array(near), False
    cos, sin, across, up = _RING_DIRECTIONS[1 if outward > 0 else -1]
    for steps in _RING_GROUP_STEPS:
        # One row per ring of the group, one column per direction: read row by row, ring after ring.
        distance = gap + steps * height
        px, py = cx + distance * cos, cy + distance * sin
        left, bottom = (px + across * width).ravel(), (py + up * height).ravel()
        yield np.column_stack([left, bottom, left + width, bottom + height]), True
    if around:
        yield _around(cx, cy, width, height, gap), True


def _around(cx, cy, width, height, gap):
    """Boxes on a grid AROUND_STEP label heights fine about the marker at ``cx, cy``, none nearer it than ``gap``,
    none further than ``gap`` and AROUND_REACH label heights, nearest first: a crowded marker may have room for its
    label between lines that the rings' few directions miss."""
    step, reach = AROUND_STEP * height, gap + AROUND_REACH * height
    lefts = np.arange(cx - reach - width, cx + reach + step / 2, step)
    bottoms = np.arange(cy - reach - height, cy + reach + step / 2, step)
    left, bottom = (grid.ravel() for grid in np.meshgrid(lefts, bottoms))
    boxes = np.column_stack([left, bottom, left + width, bottom + height])
    distance = np.hypot(np.maximum(0.0, np.maximum(left - cx, cx - boxes[:, 2])),
                        np.maximum(0.0, np.maximum(bottom - cy, cy - boxes[:, 3])))
    order = np.argsort(distance, kind="stable")
    return boxes[order[(distance[order] >= gap) & (distance[order] <= reach)]]


def _leaders(cx, cy, gap, boxes):
    """The leader lines (n x 2 x 2) from the marker's edge to the nearest point of each box."""
    ends = np.column_stack([np.minimum(np.maximum(cx, boxes[:, 0]), boxes[:, 2]),
                            np.minimum(np.maximum(cy, boxes[:, 1]), boxes[:, 3])])
    dx, dy = ends[:, 0] - cx, ends[:, 1] - cy
    length = np.array([math.hypot(a, b) or 1.0 for a, b in zip(dx.tolist(), dy.tolist())])
    starts = np.column_stack([cx + dx / length * gap * 0.8, cy + dy / length * gap * 0.8])
    return np.stack([starts, ends], axis=1)


def _free(boxes, axes_box, pad, obstacles, own, lines):
    """The indices of ``boxes`` where a label may go, in order: inside the axes, its box (widened by ``pad``)
    clear of the ``obstacles`` (boxes) but the one at ``own`` (its own marker) and of every line (the leader
    lines drawn so far among them)."""
    left, bottom, right, top = axes_box
    keep = np.flatnonzero((boxes[:, 0] >= left) & (boxes[:, 1] >= bottom) & (boxes[:, 2] <= right) & (boxes[:, 3] <= top))
    if not len(keep):
        return keep
    padded = boxes[keep] + pad
    # The obstacles near the candidates' common extent alone (the rest of the figure's cannot overlap them).
    near = ((padded[:, 0].min() < obstacles[:, 2]) & (obstacles[:, 0] < padded[:, 2].max())
            & (padded[:, 1].min() < obstacles[:, 3]) & (obstacles[:, 1] < padded[:, 3].max()))
    near[own] = False
    others = obstacles[near]
    clear = ~((padded[:, 0, None] < others[:, 2]) & (others[:, 0] < padded[:, 2, None])
              & (padded[:, 1, None] < others[:, 3]) & (others[:, 1] < padded[:, 3, None])).any(axis=1)
    keep, padded = keep[clear], padded[clear]
    return keep[~lines.crossing(padded)]


def _segments_cross_boxes(segments, boxes):
    """For each segment (n x 2 x 2), whether it meets any of the boxes: the boxes' corners on both sides of it, within its extent."""
    x0, y0, x1, y1 = (segments[:, point, axis, None] for point, axis in ((0, 0), (0, 1), (1, 0), (1, 1)))
    rows, near = np.nonzero((boxes[:, 0] <= np.maximum(x0, x1)) & (boxes[:, 2] >= np.minimum(x0, x1))
                            & (boxes[:, 1] <= np.maximum(y0, y1)) & (boxes[:, 3] >= np.minimum(y0, y1)))
    hit = np.zeros(len(segments), dtype=bool)
    if not len(rows):
        return hit
    (x0, y0), (x1, y1) = segments[rows, 0].T, segments[rows, 1].T
    candidates = boxes[near]
    corners = np.stack([candidates[:, [0, 1]], candidates[:, [2, 1]], candidates[:, [0, 3]], candidates[:, [2, 3]]], axis=1)
    side = (x1 - x0)[:, None] * (corners[:, :, 1] - y0[:, None]) - (y1 - y0)[:, None] * (corners[:, :, 0] - x0[:, None])
    # A segment within a box's extent meets it unless all four corners lie strictly on one side of its line.
    hit[rows[~((side > 0).all(axis=1) | (side < 0).all(axis=1))]] = True
    return hit
