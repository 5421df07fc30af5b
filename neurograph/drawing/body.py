"""A schematic human figure, front and back: muscle groups shaded by deficit class (the body map),
or skin regions shaded by sensory grade, one panel per modality group (the sensory map)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

from neurograph.drawing.cranial_face import draw_face
from neurograph.drawing.layout import SEVERITY_ORDER, region_deficits
from neurograph.drawing.labels import measuring_renderer
from neurograph.drawing.style import EFFECT_STYLES, FIGURE_SIZES, check_size, wrap_now
from neurograph.errors import InvalidValueError
from neurograph.schema import MODALITIES, decode_segment_list, segment_index

__all__ = [
    "draw_body_map", "body_map_figure", "region_effects", "BODY_MAP_SIZE", "BODY_MAP_AXES", "sensory_regions",
    "draw_sensory_map", "sensory_map_figure", "sensory_bands", "SENSORY_PANELS", "SENSORY_SHADES", "BANDED_REGIONS",
    "limb_bands", "LIMB_REGIONS", "LIMB_DIVISIONS", "limb_map_figure", "face_divisions", "FACE_DIVISION_ANGLES",
]

#: The deficit classes of the legend, in order, with "intact" last.
_LEGEND_CLASSES = ("UMN", "LMN", "mixed", "intact")

#: Figure inches and axes rectangle of a stand-alone body map (room below for legend and caption).
BODY_MAP_SIZE = (7.5, 6.8)
BODY_MAP_AXES = (0.02, 0.2, 0.96, 0.74)

# Body-region outlines of one side, in figure units (x to the figure's own right is positive,
# as the patient faces you in the front view). Each: (kind, parameters).
_OUTLINES = {
    "neck": ("rect", (0.0, 8.05, 0.28, 0.55)),
    "shoulder": ("ellipse", (1.05, 7.75, 0.55, 0.45)),
    "thorax": ("rect", (0.45, 6.55, 0.45, 1.35)),
    "abdomen": ("rect", (0.4, 5.15, 0.4, 1.3)),
    "arm": ("rect", (1.3, 6.25, 0.2, 1.15)),
    "forearm": ("rect", (1.42, 4.9, 0.18, 1.15)),
    "hand": ("ellipse", (1.5, 4.35, 0.22, 0.33)),
    "hip": ("rect", (0.5, 4.45, 0.45, 0.6)),
    "perineum": ("rect", (0.0, 3.85, 0.1, 0.3)),
    "thigh": ("rect", (0.5, 2.75, 0.27, 1.55)),
    "leg": ("rect", (0.5, 1.05, 0.22, 1.55)),
    "foot": ("ellipse", (0.55, 0.7, 0.3, 0.18)),
}
_MIDLINE = ("neck", "perineum")
#: The head: centre across (from the body's centre), centre up, radius.
_HEAD = (0.0, 9.05, 0.45)


def region_effects(result: Any) -> dict[tuple[str, str], tuple[str, int]]:
    """Per (side, body region): the strongest effect and the lowest MRC grade among its muscles.

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> region_effects(neurograph.simulate(G, "left internal capsule"))[("R", "hand")][0]
    'UMN'
    """
    cranial = getattr(result, "cranial", None)
    # The cranial muscles of drawn regions (sternocleidomastoid, trapezius) shade them too; the face is drawn apart.
    return region_deficits((*result.muscles, *(f for f in (cranial.muscles if cranial is not None else ()) if f.body_region in _OUTLINES)))


def draw_body_map(G: nx.DiGraph, result: Any, ax: Axes | None = None, legend_right: bool = False) -> Axes:
    """Draw a front and a back view of a schematic body, regions shaded by deficit class.

    Regions are shaded with the class's colour and hatch (darker where the weakest muscle is
    weaker); the patient's right is on the viewer's left in the front view and on the right in
    the back view, as a clinician sees them. The legend, a note on shading and the caption go
    below the body, or with ``legend_right`` at its right (on a wide slide or page).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> ax = draw_body_map(G, neurograph.simulate(G, "C7"))
    >>> ax.get_title(loc="left")
    'Lesion: C7 cord segment, bilateral (chronic)'
    """
    import matplotlib.pyplot as plt

    if ax is None:
        figure = plt.figure(figsize=BODY_MAP_SIZE)
        ax = figure.add_axes(BODY_MAP_AXES)
    effects = region_effects(result)

    def region_style(view, side, region):
        effect, grade = effects.get((side, region), ("normal", 5))
        if region in _MIDLINE:
            other = effects.get(("L", region), ("normal", 5))
            if SEVERITY_ORDER[other[0]] > SEVERITY_ORDER[effect]:
                effect, grade = other
        return _shade(effect, grade)

    _draw_views(ax, region_style)
    _, offset, right_sign = _VIEWS[0]
    draw_face(ax, result, (offset, _HEAD[1]), _HEAD[2], right_sign, _shade, font=7.5 if not legend_right else 9.0)
    ax.set_xlim(-5.0, 5.0)
    ax.set_ylim(0.2, 10.5)
    ax.set_aspect("equal")
    ax.set_axis_off()
    # At the axes' top, where it stands anyway: placed by hand, it spares a search of the invisible ticks.
    ax.set_title(f"Lesion: {result.lesion_label} ({result.phase})", loc="left", fontsize=10, fontweight="bold", y=1.0)
    from matplotlib.patches import Patch

    handles = [
        Patch(facecolor=EFFECT_STYLES[k]["fill"] if k == "intact" else EFFECT_STYLES[k]["color"],
              alpha=None if k == "intact" else 0.7, hatch=EFFECT_STYLES[k]["hatch"] or None, edgecolor="#444444",
              label=EFFECT_STYLES[k]["label"] + ("" if k == "intact" else f" (hatch {_HATCH_WORDS[k]})"))
        for k in _LEGEND_CLASSES
    ]
    shading = (
        "Shading: the darker a region, the weaker its weakest muscle (MRC grade 0 darkest); "
        "colour and hatch give its strongest deficit class."
    )
    if legend_right:
        ax.legend(handles=handles, loc="upper left", ncol=1, fontsize=10, frameon=False, bbox_to_anchor=(1.02, 0.95),
                  handlelength=2.2, handleheight=1.4)
        notes = [ax.text(1.04, 0.6, shading, transform=ax.transAxes, fontsize=9, ha="left", va="top", wrap=True, color="#333333"),
                 ax.text(1.04, 0.45, result.caption(), transform=ax.transAxes, fontsize=9, ha="left", va="top", wrap=True)]
    else:
        ax.legend(handles=handles, loc="upper center", ncol=2, fontsize=8, frameon=False, bbox_to_anchor=(0.5, 0.0),
                  handlelength=2.2, handleheight=1.4)
        notes = [ax.text(0.0, -0.16, shading, transform=ax.transAxes, fontsize=7.5, ha="left", va="top", wrap=True, color="#333333"),
                 ax.text(0.0, -0.22, result.caption(), transform=ax.transAxes, fontsize=7.5, ha="left", va="top", wrap=True)]
    # The notes are wrapped where the axes stand once drawn (their aspect is equal).
    ax.apply_aspect()
    renderer = measuring_renderer(ax.figure)
    for note in notes:
        wrap_now(note, renderer)
    return ax


_HATCH_WORDS = {"UMN": "rising", "LMN": "falling", "mixed": "crossed"}


def _shade(effect: str, grade: int) -> dict[str, Any]:
    """A shaded region's patch options: the class's colour and hatch, darker the weaker its weakest muscle."""
    style = EFFECT_STYLES[effect]
    if effect == "normal":
        return {"facecolor": style["fill"], "hatch": None}
    return {"facecolor": style["color"], "alpha": 0.35 + 0.65 * (5 - grade) / 5, "hatch": style["hatch"] or None}

#: The two views: name, horizontal offset of the body's centre, and the sign of the patient's
#: right (on the viewer's left in the front view, on the right in the back view).
_VIEWS = (("front", -2.6, -1), ("back", 2.6, 1))


def _place(ax, patch):
    """Add ``patch`` to ``ax`` without widening the data limits: the maps set their limits
    themselves, and ``add_patch``'s per-patch limit update was a quarter of a sensory map's time."""
    ax.add_artist(patch)


def _draw_views(ax, region_style, font=10.0, name="region"):
    """A front and a back view of the schematic body; ``region_style(view, side, region)`` gives each region's patch options."""
    from matplotlib.patches import Circle, Ellipse, Rectangle

    for view, offset, right_sign in _VIEWS:
        _place(ax, Circle((offset + _HEAD[0], _HEAD[1]), _HEAD[2], facecolor="#F2F2F2", edgecolor="#444444", linewidth=0.8))
        for side in ("L", "R"):
            sign = right_sign if side == "R" else -right_sign
            for region, (kind, (x, y, w, h)) in _OUTLINES.items():
                if region in _MIDLINE and side == "L":
                    continue
                options = {"edgecolor": "#444444", "linewidth": 0.8, **region_style(view, side, region)}
                centre = offset + sign * x
                patch = (Rectangle((centre - w, y - h / 2), 2 * w, h, **options) if kind == "rect"
                         else Ellipse((centre, y), 2 * w, 2 * h, **options))
                patch.set_gid(f"{name}:{view}.{side}.{region}")
                _place(ax, patch)
        ax.text(offset, 10.0, view, ha="center", va="bottom", fontsize=font, fontweight="bold")
        ax.text(offset + right_sign * 1.9, 9.6, "R", ha="center", fontsize=font, color="#333333")
        ax.text(offset - right_sign * 1.9, 9.6, "L", ha="center", fontsize=font, color="#333333")


def body_map_figure(G: nx.DiGraph, result: Any, size: str = "free", dpi: int | None = None) -> Figure:
    """A stand-alone Figure of the body map: ``free`` (its own size), ``slide`` (16:9) or ``a4`` (landscape).

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> figure = body_map_figure(G, neurograph.simulate(G, "C7"), size="a4")
    >>> [round(float(inches), 2) for inches in figure.get_size_inches()]
    [11.69, 8.27]
    """
    from matplotlib.figure import Figure

    from neurograph.drawing.export import check_pixel_budget

    check_size(size)
    width, height = BODY_MAP_SIZE if size == "free" else FIGURE_SIZES[size]
    figure = Figure(figsize=(width, height))
    if dpi is not None:
        check_pixel_budget(figure, dpi)
    if size == "free":
        draw_body_map(G, result, ax=figure.add_axes(BODY_MAP_AXES))
        return figure
    # On a wide slide or page the body keeps its proportions at the full height, at the left,
    # with the legend, the shading note and the caption at its right.
    top, bottom = 0.5 / height, 0.2 / height
    axes_height = 1.0 - top - bottom
    axes_width = axes_height * height * 10.0 / 10.3 / width
    draw_body_map(G, result, ax=figure.add_axes((0.01, bottom, axes_width, axes_height)), legend_right=True)
    return figure


#: The sensory map's panels: title, the modalities whose worst grade shades it, the tracts that carry them.
SENSORY_PANELS = (
    ("Pain and temperature", ("pin_prick", "temperature"), "spinothalamic tract"),
    ("Vibration and joint position", ("vibration", "joint_position"), "dorsal columns"),
    ("Light touch", ("light_touch",), "both tracts"),
)
#: Grade to (fill colour, label) on the sensory map (the ISNCSCI scale).
SENSORY_SHADES = {0: ("#D55E00", "absent (0)"), 1: ("#F7DFCC", "altered (1)"), 2: ("#FFFFFF", "normal (2)")}
#: Where a skin place's body region is drawn: regions the outline has are drawn as themselves.
_SKIN_REGIONS = {"knee": "leg", "ankle": "foot"}
#: The back's skin is drawn on the back view's thorax (T1-T6) and abdomen (T7-T12).
_BACK_THORAX = frozenset(f"T{level}" for level in range(1, 7))
#: The ISNCSCI key sensory points (Rupp et al. 2021) on the schematic body: the view they are drawn
#: in where their place names none, distance from the midline towards the point's own side, and
#: height, in the outline's units (the same in either view).
_KEY_POINTS = {
    "C2": ("back", 0.2, 9.2), "C3": ("front", 0.22, 8.1), "C4": ("front", 0.75, 7.95), "C5": ("front", 1.42, 5.8),
    "C6": ("front", 1.66, 4.3), "C7": ("front", 1.5, 4.05), "C8": ("front", 1.34, 4.3), "T1": ("front", 1.18, 5.8),
    "T2": ("front", 0.95, 6.95), "T3": ("front", 0.45, 6.95), "T4": ("front", 0.45, 6.7), "T5": ("front", 0.45, 6.45),
    "T6": ("front", 0.45, 6.2), "T7": ("front", 0.4, 5.7), "T8": ("front", 0.4, 5.5), "T9": ("front", 0.4, 5.3),
    "T10": ("front", 0.4, 5.1), "T11": ("front", 0.4, 4.9), "T12": ("front", 0.4, 4.7), "L1": ("front", 0.5, 3.4),
    "L2": ("front", 0.5, 2.8), "L3": ("front", 0.36, 2.05), "L4": ("front", 0.36, 0.55), "L5": ("front", 0.55, 0.72),
    "S1": ("front", 0.83, 0.66), "S2": ("back", 0.5, 2.0), "S3": ("back", 0.25, 4.2), "S4-5": ("back", 0.05, 3.8),
}


def sensory_regions(G: nx.DiGraph, result: Any, modalities: tuple[str, ...]) -> dict[tuple[str, str, str], tuple[int, bool]]:
    """Per (view, side, region) of the body map: the worst grade of its skin places in ``modalities``, and
    whether some of its places are normal while others are not.

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> result = neurograph.simulate(G, neurograph.preset_lesion(G, "brown_sequard", level="T10", side="left"))
    >>> regions = sensory_regions(G, result, ("vibration",))
    >>> regions[("front", "L", "leg")], regions[("front", "R", "leg")]
    ((0, False), (2, False))
    """
    G = result.graph_given(G)
    found = {finding.place: min(finding.grades[m] for m in modalities) for finding in result.sensation}
    grades: dict[tuple[str, str, str], list[int]] = {}
    for node, view, side, region, _ in _drawn_skin(G):
        grades.setdefault((view, side, region), []).append(found.get(node, 2))
    return {key: _worst(values) for key, values in grades.items()}


def sensory_bands(
    G: nx.DiGraph, result: Any, modalities: tuple[str, ...]
) -> dict[tuple[str, str, str, str], tuple[int, bool]]:
    """As :func:`sensory_regions`, per dermatome of the trunk: ``(view, side, region, segment)`` of the
    regions of :data:`BANDED_REGIONS`, each band holding the skin places of its segment.

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> result = neurograph.simulate(G, neurograph.preset_lesion(G, "brown_sequard", level="T10", side="left"))
    >>> bands = sensory_bands(G, result, ("pin_prick",))
    >>> bands[("front", "L", "abdomen", "T10")], bands[("front", "L", "abdomen", "T8")], bands[("front", "R", "abdomen", "T12")]
    ((0, False), (2, False), (0, False))
    """
    G = result.graph_given(G)
    found = {finding.place: min(finding.grades[m] for m in modalities) for finding in result.sensation}
    grades: dict[tuple[str, str, str, str], list[int]] = {}
    for node, view, side, region, segments in _drawn_skin(G):
        if region in BANDED_REGIONS:
            for segment in segments:
                grades.setdefault((view, side, region, segment), []).append(found.get(node, 2))
    return {key: _worst(values) for key, values in grades.items()}


#: The regions the sensory map draws as dermatomal bands, one per segment, rostral on top.
BANDED_REGIONS = ("thorax", "abdomen")

#: The limb regions the sensory map cuts into dermatome bands or nerve territories, lengthwise.
LIMB_REGIONS = ("arm", "forearm", "hand", "thigh", "leg", "foot")
#: How a limb region is divided: by dermatome (one band per segment) or by cutaneous nerve.
LIMB_DIVISIONS = ("dermatomes", "territories")
#: The upper limb's regions: its preaxial (rostral) border is lateral, while the lower limb's,
#: after the limb's medial rotation, is medial (Moore 2018; Gray's Anatomy), so the bands run
#: rostral to caudal from the outside of the arm and from the inside of the leg.
_UPPER_LIMB = frozenset(("arm", "forearm", "hand"))


def limb_bands(
    G: nx.DiGraph, result: Any, modalities: tuple[str, ...], by: str = "dermatomes"
) -> dict[tuple[str, str, str], tuple[tuple[str, int, bool], ...]]:
    """Per (view, side, limb region): its bands across the limb, from its preaxial border, as ``(key, grade, partly)``.

    ``by="dermatomes"``: one band per segment whose fibres reach the region's skin places, graded
    by the worst of what that segment's fibres alone leave at them
    (:meth:`~neurograph.lesion._SensoryGrading.segment_grades`); ``by="territories"``: one band per
    cutaneous nerve of the region's places (the nerve the place's ``sensory_axon`` edge enters),
    graded by the worst grade of its places there, ordered by the nerve's segments. ``partly``
    says whether some of the band's places are normal while others are not. Empty for a result
    without sensation.

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> bands = limb_bands(G, neurograph.simulate(G, "right C6 root"), ("pin_prick",))
    >>> [(key, grade) for key, grade, _ in bands[("back", "R", "forearm")]]
    [('C5', 2), ('C6', 1), ('C7', 2), ('C8', 2), ('T1', 2)]
    >>> territories = limb_bands(G, neurograph.simulate(G, "right superficial radial nerve"), ("pin_prick",), by="territories")
    >>> [(key, grade) for key, grade, _ in territories[("back", "R", "hand")]]
    [('median_digital', 2), ('superficial_radial', 0), ('dorsal_ulnar_cutaneous', 2)]
    """
    if by not in LIMB_DIVISIONS:
        raise InvalidValueError("by", by, f"one of {', '.join(LIMB_DIVISIONS)}")
    grading = result.sensory_grading
    if grading is None:
        return {}
    G = result.graph_given(G)
    columns = [MODALITIES.index(modality) for modality in modalities]
    found = {finding.place: min(finding.grades[m] for m in modalities) for finding in result.sensation}
    grades: dict[tuple[str, str, str], dict[str, list[int]]] = {}
    order: dict[str, float] = {}
    for node, view, side, region, segments in _drawn_skin(G):
        if region not in LIMB_REGIONS:
            continue
        bands = grades.setdefault((view, side, region), {})
        if by == "dermatomes":
            for segment, segment_grades in grading.segment_grades(node).items():
                bands.setdefault(segment, []).append(min(segment_grades[column] for column in columns))
                order[segment] = segment_index(segment)
            continue
        for _, nerve_node in G.out_edges(node):
            nerve = G.nodes[nerve_node].get("cutaneous")
            if nerve:
                bands.setdefault(nerve, []).append(found.get(node, 2))
                nerve_segments = decode_segment_list(G.nodes[nerve_node].get("segments", ""))
                order[nerve] = sum(map(segment_index, nerve_segments)) / max(len(nerve_segments), 1)
    return {
        key: tuple((band, *_worst(values)) for band, values in sorted(bands.items(), key=lambda item: (order[item[0]], item[0])))
        for key, bands in sorted(grades.items()) if bands
    }


#: The trigeminal divisions on the front view's half-head, as sectors of the head's circle: the
#: angles (degrees, 0 towards the patient's side, counter-clockwise) for the patient's right half;
#: the forehead above (V1), the cheek (V2), the lower lip and chin below (V3), as the divisions lie.
FACE_DIVISION_ANGLES = {"V1": (30.0, 90.0), "V2": (-30.0, 30.0), "V3": (-90.0, -30.0)}


def face_divisions(G: nx.DiGraph, result: Any, modalities: tuple[str, ...]) -> dict[tuple[str, str], tuple[int, bool]]:
    """Per (side, trigeminal division): the worst grade of its face places in ``modalities``, and whether
    some of them are normal while others are not.

    Examples
    --------
    The right lateral medulla takes pain from the whole right face and spares the left:

    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> found = face_divisions(G, neurograph.simulate(G, "right lateral medulla"), ("pin_prick",))
    >>> found[("R", "V1")], found[("R", "V3")], found[("L", "V2")]
    ((0, False), (0, False), (2, False))
    """
    G = result.graph_given(G)
    found = {finding.place: min(finding.grades[m] for m in modalities) for finding in result.sensation}
    grades: dict[tuple[str, str], list[int]] = {}
    for node, data in G.nodes(data=True):
        if data.get("kind") == "skin" and data.get("division") in FACE_DIVISION_ANGLES and data.get("side") in ("L", "R"):
            grades.setdefault((data["side"], data["division"]), []).append(found.get(node, 2))
    return {key: _worst(values) for key, values in grades.items()}


def _draw_face_divisions(ax, divisions, name):
    """The face on the front view's head: each half cut into its three trigeminal divisions, shaded by grade."""
    from matplotlib.patches import Wedge

    view, offset, right_sign = next(entry for entry in _VIEWS if entry[0] == "front")
    for (side, division), (grade, partly) in sorted(divisions.items()):
        low, high = FACE_DIVISION_ANGLES[division]
        # The patient's right lies on the side ``right_sign`` gives; the other half mirrors the angles.
        angles = (low, high) if (right_sign if side == "R" else -right_sign) > 0 else (180.0 - high, 180.0 - low)
        patch = Wedge((offset + _HEAD[0], _HEAD[1]), _HEAD[2], *angles, edgecolor="#444444", linewidth=0.4, zorder=1.5,
                      **_grade_style(grade, partly))
        patch.set_gid(f"{name}:{view}.{side}.face.{division}")
        _place(ax, patch)


def _worst(values):
    """The worst grade, and whether some places are normal while others are not."""
    return min(values), 0 < sum(1 for v in values if v == 2) < len(values)


#: The map's views that show a skin place, by its ``view`` (a place without one is shown in both).
_PLACE_VIEWS = {"front": ("front",), "back": ("back",), "both": ("front", "back")}


def _drawn_skin(G):
    """Every skin place with where the map draws it: ``(node, view, side, region, segments)``, once in each view
    that shows it (its ``view``: the front, the back or both)."""
    for node, data in G.nodes(data=True):
        if data.get("kind") != "skin" or data.get("side") not in ("L", "R"):
            continue
        segments = decode_segment_list(data.get("segments", ""))
        region = _SKIN_REGIONS.get(data.get("body_region", ""), data.get("body_region", ""))
        if region == "back":
            views = [("back", "thorax" if set(segments) <= _BACK_THORAX else "abdomen")]
        elif region in _OUTLINES:
            views = [(view, region) for view in _PLACE_VIEWS[data.get("view") or "both"]]
        else:
            continue
        for view, drawn in views:
            yield node, view, "R" if drawn in _MIDLINE else data["side"], drawn, segments  # a midline region is drawn once


def draw_sensory_map(
    G: nx.DiGraph, result: Any, ax: Axes, modalities: tuple[str, ...], font: float = 10.0, limbs: str = "dermatomes"
) -> Axes:
    """Front and back views with each region shaded by the worst grade of ``modalities`` among its skin places.

    A region is hatched where only some of its places are altered; the trunk is drawn as its
    dermatomes, one band per segment (:func:`sensory_bands`), and the limbs lengthwise as
    their dermatomes or, with ``limbs="territories"``, their cutaneous nerves' territories
    (:func:`limb_bands`); circles mark the ISNCSCI key points, each shaded by its own grade.
    Each region's patch has the id ``sensory.<modalities joined by +>:<view>.<side>.<region>``
    in an SVG, each band ``...<region>.<segment or nerve>``, each key point
    ``sensory.<modalities joined by +>.key_point:<view>.<node>``. Every skin place, key points
    included, is drawn in the views its ``view`` names (front, back or both).
    """
    from matplotlib.patches import Circle

    regions = sensory_regions(G, result, modalities)
    G = result.graph_given(G)

    def region_style(view, side, region):
        return _grade_style(*regions.get((view, side, region), (2, False)))

    name = "sensory." + "+".join(modalities)
    _draw_views(ax, region_style, font, name=name)
    _draw_bands(ax, sensory_bands(G, result, modalities), name)
    _draw_limb_bands(ax, limb_bands(G, result, modalities, by=limbs), name)
    _draw_face_divisions(ax, face_divisions(G, result, modalities), name)
    grade_of = {finding.place: min(finding.grades[m] for m in modalities) for finding in result.sensation}
    for node, data in G.nodes(data=True):
        level = data.get("isncsci_level") if data.get("kind") == "skin" else None
        if level not in _KEY_POINTS or data.get("side") not in ("L", "R"):
            continue
        usual_view, x, y = _KEY_POINTS[level]
        # In the views its place is seen in (the dorsum of the thumb from behind), where the anatomy says which.
        for view in _PLACE_VIEWS[data.get("view") or usual_view]:
            offset, right_sign = next((o, r) for v, o, r in _VIEWS if v == view)
            sign = right_sign if data["side"] == "R" else -right_sign
            # A patch per point, not a scatter collection: many are drawn and each keeps its id.
            marker = Circle((offset + sign * x, y), 0.09, zorder=4, facecolor=SENSORY_SHADES[grade_of.get(node, 2)][0],
                            edgecolor="#000000", linewidth=0.7)
            _place(ax, marker)
            marker.set_gid(f"{name}.key_point:{view}.{node}")
    ax.set_xlim(-5.0, 5.0)
    ax.set_ylim(0.2, 10.5)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return ax


def _draw_bands(ax, bands, name):
    """The trunk's dermatomes: each banded region cut into one strip per segment, rostral on top."""
    from matplotlib.patches import Rectangle

    segments: dict[tuple[str, str, str], list[str]] = {}
    for view, side, region, segment in bands:
        segments.setdefault((view, side, region), []).append(segment)
    for view, offset, right_sign in _VIEWS:
        for side in ("L", "R"):
            sign = right_sign if side == "R" else -right_sign
            for region in BANDED_REGIONS:
                found = sorted(segments.get((view, side, region), ()), key=segment_index)
                _, (x, y, w, h) = _OUTLINES[region]
                for index, segment in enumerate(found):
                    grade, partly = bands[(view, side, region, segment)]
                    strip = h / len(found)
                    patch = Rectangle(
                        (offset + sign * x - w, y + h / 2 - (index + 1) * strip), 2 * w, strip, edgecolor="#444444",
                        linewidth=0.4, zorder=1.5, **_grade_style(grade, partly),
                    )
                    patch.set_gid(f"{name}:{view}.{side}.{region}.{segment}")
                    _place(ax, patch)


def _grade_style(grade, partly):
    """A band's or region's patch options for its grade (hatched where only some of its places are altered)."""
    return {"facecolor": SENSORY_SHADES[grade][0] if grade < 2 else EFFECT_STYLES["intact"]["fill"], "hatch": "///" if partly else None}


def _limb_strips(x, w, count, outward):
    """The left edges and width of ``count`` strips across a limb of centre ``x`` and half-width ``w``, the first at
    the side ``outward`` points to (+1 or -1)."""
    width = 2 * w / count
    return [(x + outward * (w - index * width) - (width if outward > 0 else 0), width) for index in range(count)]


def _draw_limb_bands(ax, bands, name):
    """The limbs' bands (:func:`limb_bands`), lengthwise, each cut to its region's outline."""
    from matplotlib.patches import Ellipse, Polygon, Rectangle

    for view, offset, right_sign in _VIEWS:
        for side in ("L", "R"):
            sign = right_sign if side == "R" else -right_sign
            for region in LIMB_REGIONS:
                found = bands.get((view, side, region), ())
                if not found:
                    continue
                kind, (x, y, w, h) = _OUTLINES[region]
                centre = offset + sign * x
                outline = (Rectangle((centre - w, y - h / 2), 2 * w, h) if kind == "rect" else Ellipse((centre, y), 2 * w, 2 * h))
                # A distal region overlaps the end of the one above it and is drawn over it.
                layer = 1.5 + 0.02 * LIMB_REGIONS.index(region)
                outline.set(facecolor="none", edgecolor="#444444", linewidth=0.8, zorder=layer + 0.01)
                _place(ax, outline)
                # From the preaxial border: outside the arm, inside the leg.
                outward = sign if region in _UPPER_LIMB else -sign
                for (key, grade, partly), (left, width) in zip(found, _limb_strips(centre, w, len(found), outward)):
                    options = {"edgecolor": "#444444", "linewidth": 0.4, "zorder": layer, **_grade_style(grade, partly)}
                    # An elliptic region's strips are drawn as their own piece of the ellipse, not
                    # clipped to it: an SVG clip path costs more than the strip itself.
                    strip = (Rectangle((left, y - h / 2), width, h, **options) if kind == "rect"
                             else Polygon(_ellipse_slice(centre, y, w, h, left, left + width), closed=True, **options))
                    strip.set_gid(f"{name}:{view}.{side}.{region}.{key}")
                    _place(ax, strip)


def _ellipse_slice(centre, y, w, h, left, right, steps=12):
    """The outline of the part of the ellipse (centre ``(centre, y)``, half-axes ``w`` and ``h``) between ``left`` and ``right``."""
    xs = [left + (right - left) * step / steps for step in range(steps + 1)]
    heights = [h * max(0.0, 1.0 - ((x - centre) / w) ** 2) ** 0.5 for x in xs]
    return [(x, y + dy) for x, dy in zip(xs, heights)] + [(x, y - dy) for x, dy in zip(reversed(xs), reversed(heights))]


def _sensory_canvas(result, size, free_size, dpi):
    """A sensory figure's ``(Figure, font size)``; for a result without sensation, the Figure saying so and no font."""
    from matplotlib.figure import Figure

    from neurograph.drawing.export import check_pixel_budget

    figure = Figure(figsize=free_size if size == "free" else FIGURE_SIZES[size])
    if dpi is not None:
        check_pixel_budget(figure, dpi)
    font = 9.0 if size == "slide" else 8.0
    if not result.sensory_levels:
        figure.text(0.02, 0.5, f"{result.lesion_label}: this result has no sensation (simulated with sensation=False, "
                    "or an anatomy without skin)", fontsize=font)
        return figure, None
    return figure, font


def sensory_map_figure(
    G: nx.DiGraph, result: Any, size: str = "free", dpi: int | None = None, limbs: str = "dermatomes"
) -> Figure:
    """The sensory body map: one front-and-back panel per modality group, with a complete legend.

    Panels: pain and temperature (the spinothalamic tract), vibration and joint position (the
    dorsal columns), light touch (both). The limbs show their dermatomes or, with
    ``limbs="territories"``, their cutaneous nerves' territories (:func:`limb_bands`;
    :func:`limb_map_figure` names them). ``size`` is ``free``, ``slide`` (16:9, every text at
    least 14 px at 1920 x 1080) or ``a4``.

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> result = neurograph.simulate(G, neurograph.preset_lesion(G, "brown_sequard"))
    >>> figure = sensory_map_figure(G, result, size="slide")
    >>> figure.axes[0].get_title()
    'Pain and temperature\\n(spinothalamic tract)'
    """
    import textwrap

    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    check_size(size)
    if limbs not in LIMB_DIVISIONS:
        raise InvalidValueError("limbs", limbs, f"one of {', '.join(LIMB_DIVISIONS)}")
    figure, font = _sensory_canvas(result, size, (12.0, 6.4), dpi)
    if font is None:
        return figure
    width, height = (float(inches) for inches in figure.get_size_inches())
    line = font * 1.5 / 72 / height
    top = 1.0 - 3.2 * line
    bottom = 6.5 * line
    panel_height = top - bottom
    panel_width = min(0.325, panel_height * height / width)
    gap = (1.0 - 3 * panel_width) / 4
    for index, (title, modalities, tracts) in enumerate(SENSORY_PANELS):
        ax = figure.add_axes((gap + index * (panel_width + gap), bottom, panel_width, panel_height))
        draw_sensory_map(G, result, ax, modalities, font=font, limbs=limbs)
        # At the panel's top, where it stands anyway: placed by hand, it spares a search of the invisible ticks.
        ax.set_title(f"{title}\n({tracts})", fontsize=font + 1, fontweight="bold", y=1.0)
    levels = ", ".join(f"{'left' if side == 'L' else 'right'} {level}" for side, level in result.sensory_levels)
    figure.text(0.01, 1.0 - 0.4 * line, f"Sensation: {result.lesion_label}", fontsize=font + 2, fontweight="bold", va="top")
    figure.text(0.01, 1.0 - 1.75 * line, f"Sensory level (ISNCSCI): {levels}", fontsize=font, va="top")
    handles: list[Any] = [Patch(facecolor=SENSORY_SHADES[grade][0] if grade < 2 else EFFECT_STYLES["intact"]["fill"],
                     edgecolor="#444444", label=SENSORY_SHADES[grade][1]) for grade in (0, 1, 2)]
    handles.append(Patch(facecolor="#FFFFFF", edgecolor="#444444", hatch="///", label="some of the region's places altered"))
    handles.append(Line2D([], [], linestyle="none", marker="o", markerfacecolor="#FFFFFF", markeredgecolor="#000000",
                          markersize=font * 0.8, label="ISNCSCI key point"))
    figure.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.01, 3.6 * line), ncol=len(handles),
                  fontsize=font, frameon=False, handlelength=2.0, handleheight=1.2, borderaxespad=0.0)
    note = ("Each region takes the worst grade among its skin places (the ISNCSCI scale: 0 absent, 1 altered, "
            "2 normal), hatched where only some of them are altered; the trunk is drawn as its dermatomes, one band "
            f"per segment, and the limbs lengthwise as their {'dermatomes' if limbs == 'dermatomes' else 'cutaneous nerve territories'}, "
            "from the preaxial border (outside the arm, inside the leg); the patient's right is on the viewer's left "
            "in the front view. Light touch travels in both tracts: altered where one is lost, absent where both are.")
    for number, text in enumerate(textwrap.wrap(note, int(width * 72 * 0.98 / (font * 0.55)))):
        figure.text(0.01, (2.6 - number) * line, text, fontsize=font, va="bottom", color="#333333")
    return figure


#: The limb map's columns: title, the limb's regions from the root of the limb down, the division.
_LIMB_COLUMNS = (
    ("Upper limb: dermatomes", ("arm", "forearm", "hand"), "dermatomes"),
    ("Upper limb: nerve territories", ("arm", "forearm", "hand"), "territories"),
    ("Lower limb: dermatomes", ("thigh", "leg", "foot"), "dermatomes"),
    ("Lower limb: nerve territories", ("thigh", "leg", "foot"), "territories"),
)
_SIDE_CODES = {"right": "R", "r": "R", "left": "L", "l": "L"}


def limb_map_figure(
    G: nx.DiGraph, result: Any, side: str = "right", modalities: tuple[str, ...] = ("light_touch", "pin_prick"),
    size: str = "free", dpi: int | None = None,
) -> Figure:
    """One side's upper and lower limb, drawn large: their dermatomes and their named cutaneous nerve territories.

    Each limb region (arm, forearm, hand; thigh, leg, foot) is cut lengthwise into the bands of
    :func:`limb_bands`, from its preaxial border, each shaded by the worst grade of ``modalities``
    (the ISNCSCI tests, light touch and pin prick, by default): the dermatomes named by their
    segment, the territories numbered, with every number's nerve in the legend. ``size`` is
    ``free``, ``slide`` (every text at least 14 px at 1920 x 1080) or ``a4``.

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> figure = limb_map_figure(G, neurograph.simulate(G, "right superficial radial nerve"), size="slide")
    >>> [ax.get_title() for ax in figure.axes][:2]
    ['Upper limb: dermatomes', 'Upper limb: nerve territories']
    """
    import textwrap

    from matplotlib.patches import Patch, Rectangle

    check_size(size)
    code = _SIDE_CODES.get(str(side).lower())
    if code is None:
        raise InvalidValueError("side", side, "left or right")
    unknown = [modality for modality in modalities if modality not in MODALITIES]
    if unknown or not modalities:
        raise InvalidValueError("modalities", modalities, f"one or more of {', '.join(MODALITIES)}")
    figure, font = _sensory_canvas(result, size, (12.0, 7.0), dpi)
    if font is None:
        return figure
    width, height = (float(inches) for inches in figure.get_size_inches())
    side_word = "right" if code == "R" else "left"
    bands = {by: limb_bands(G, result, tuple(modalities), by=by) for by in LIMB_DIVISIONS}
    graph = result.graph_given(G)
    numbers: dict[str, int] = {}
    for _, regions, by in _LIMB_COLUMNS:
        if by == "territories":
            for region in regions:
                for nerve, _, _ in bands[by].get(("front", code, region), ()):
                    numbers.setdefault(nerve, len(numbers) + 1)
    line = font * 1.5 / 72 / height
    top, bottom = 1.0 - 3.6 * line, 0.3
    heights = {"arm": 1.0, "forearm": 1.0, "hand": 0.6, "thigh": 1.0, "leg": 1.0, "foot": 0.6}
    for index, (title, regions, by) in enumerate(_LIMB_COLUMNS):
        ax = figure.add_axes((0.01 + index * 0.25, bottom, 0.23, top - bottom))
        y = 0.0
        for region in regions:
            found = bands[by].get(("front", code, region), ())
            y -= heights[region]
            ax.text(-0.04, y + heights[region] / 2, region, ha="right", va="center", fontsize=font)
            ax.add_patch(Rectangle((0.0, y), 1.0, heights[region] - 0.08, facecolor="none", edgecolor="#444444", linewidth=1.0, zorder=3))
            for band, ((key, grade, partly), (left, strip)) in enumerate(zip(found, _limb_strips(0.5, 0.5, len(found), -1))):
                patch = Rectangle((left, y), strip, heights[region] - 0.08, edgecolor="#444444", linewidth=0.5,
                                  **_grade_style(grade, partly))
                patch.set_gid(f"limbs.{by}:{code}.{region}.{key}")
                ax.add_patch(patch)
                text = key if by == "dermatomes" else str(numbers[key])
                ax.text(left + strip / 2, y + (heights[region] - 0.08) / 2, text, ha="center", va="center",
                        fontsize=font, rotation=90 if by == "dermatomes" and len(found) > 6 else 0, zorder=4)
        ax.text(0.0, 0.02, "preaxial", ha="left", va="bottom", fontsize=font, color="#333333")
        ax.text(1.0, 0.02, "postaxial", ha="right", va="bottom", fontsize=font, color="#333333")
        ax.set_xlim(-0.42, 1.02)
        ax.set_ylim(y - 0.05, 0.3)
        ax.set_axis_off()
        ax.set_title(title, fontsize=font + 1, fontweight="bold")
    tested = " and ".join(modality.replace("_", " ") for modality in modalities)
    figure.text(0.01, 1.0 - 0.4 * line, f"Limb sensation, {side_word} side: {result.lesion_label}", fontsize=font + 2,
                fontweight="bold", va="top")
    figure.text(0.01, 1.0 - 1.9 * line, f"Each band takes the worst grade of {tested}; dermatomes from the fibres of their "
                "segment alone, territories from their nerve's skin places.", fontsize=font, va="top")
    handles = [Patch(edgecolor="#444444", label=SENSORY_SHADES[grade][1], **_grade_style(grade, False)) for grade in (0, 1, 2)]
    handles.append(Patch(edgecolor="#444444", label="some of the band's places altered", **_grade_style(2, True)))
    figure.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.01, bottom - 0.5 * line), ncol=len(handles),
                  fontsize=font, frameon=False, handlelength=2.0, handleheight=1.2, borderaxespad=0.0)

    def nerve_label(nerve):
        label = graph.nodes[f"{code}.aff.{nerve}"]["label"] if f"{code}.aff.{nerve}" in graph else nerve
        return label.removesuffix(f" ({side_word})")

    key_text = "Nerve territories: " + "; ".join(f"{number} {nerve_label(nerve)}" for nerve, number in numbers.items())
    for row, text in enumerate(textwrap.wrap(key_text, int(width * 72 * 0.98 / (font * 0.55)))):
        figure.text(0.01, bottom - (3.0 + row * 1.3) * line, text, fontsize=font, va="top", color="#333333")
    return figure
