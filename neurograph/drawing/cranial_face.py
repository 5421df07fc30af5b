"""The face on the body map: each half of the face in an upper part (forehead and eye closure:
frontalis, orbicularis oculi) and a lower part (mouth, cheek and platysma: orbicularis oris,
buccinator, platysma), and the eye (its movements and the lid), each shaded by the deficit class
of the cranial muscles there, as the limb regions are.

The parts follow the cranial muscles' ``body_region`` (``face_upper``, ``face_lower``, ``eye``),
so the drawing tells the two facial palsies apart as the clinic does: a lesion above the facial
nucleus weakens the opposite lower face and spares the forehead (the upper face's supply is
bilateral), a lesion of the nucleus or the nerve weakens the whole half-face (Blumenfeld2021,
ch. 12; Brazis2011).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes

from neurograph.drawing.layout import region_deficits

__all__ = ["FACE_PARTS", "face_effects", "draw_face"]

#: The drawn parts of each half-face: the cranial muscles' body region to its name on the map.
FACE_PARTS = {"face_upper": "upper face", "face_lower": "lower face", "eye": "eye"}


def face_effects(result: Any) -> dict[tuple[str, str], tuple[str, int]]:
    """Per (side, face part): the strongest effect and the lowest MRC grade among its cranial muscles.

    Examples
    --------
    A capsular stroke on the left weakens the right lower face and spares the forehead:

    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> effects = face_effects(neurograph.simulate(G, neurograph.preset_lesion(G, "capsular_stroke", side="left")))
    >>> effects[("R", "face_lower")][0], ("R", "face_upper") in effects
    ('UMN', False)
    """
    cranial = getattr(result, "cranial", None)
    return region_deficits(f for f in (cranial.muscles if cranial is not None else ()) if f.body_region in FACE_PARTS)


def draw_face(ax: Axes, result: Any, centre: tuple[float, float], radius: float, right_sign: int, style: Any,
              font: float, name: str = "region") -> None:
    """Draw the face parts of ``result`` over the head at ``centre`` (a front view).

    Each half-face (the patient's right on the side ``right_sign`` gives) is an upper and a lower
    quarter of the head and an eye; ``style(effect, grade)`` gives a part's patch options, as for
    the body regions. Each patch's gid is ``{name}:front.{side}.{part}``. The parts are named
    beside the head, on the side of the patient's right.
    """
    from matplotlib.patches import Ellipse, Wedge

    effects = face_effects(result)
    x, y = centre
    for side in ("L", "R"):
        sign = right_sign if side == "R" else -right_sign
        # The half-face's quarters: angles from the top (90) to the side and from the side to the bottom (270).
        upper, lower = ((90, 180), (180, 270)) if sign < 0 else ((0, 90), (270, 360))
        shapes = {
            "face_upper": Wedge((x, y), radius, *upper),
            "face_lower": Wedge((x, y), radius, *lower),
            "eye": Ellipse((x + sign * radius * 0.42, y + radius * 0.3), radius * 0.42, radius * 0.24),
        }
        for part, patch in shapes.items():
            effect, grade = effects.get((side, part), ("normal", 5))
            patch.set(edgecolor="#444444", linewidth=0.6 if part == "eye" else 0.8, zorder=3 if part == "eye" else 2,
                      **style(effect, grade))
            patch.set_gid(f"{name}:front.{side}.{part}")
            ax.add_patch(patch)
    # The parts' names, with a thin line to each, on the side of the patient's right (outside the body).
    outward = right_sign
    for part, height in (("face_upper", 0.62), ("eye", 0.3), ("face_lower", -0.55)):
        target = (x + outward * radius * (0.42 if part == "eye" else 0.6), y + radius * height)
        label = (x + outward * radius * 2.1, y + radius * (height * 1.5))
        ax.plot([target[0], label[0]], [target[1], label[1]], color="#777777", linewidth=0.5, zorder=4)
        ax.text(label[0] + outward * 0.05, label[1], FACE_PARTS[part], fontsize=font, va="center",
                ha="left" if outward > 0 else "right", color="#333333", zorder=4, gid=f"face-label:{part}")
