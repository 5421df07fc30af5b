"""The ISNCSCI worksheet as a figure: key-point grid with scores, motor scores, classification box.

Laid out as the standard's worksheet reads (Rupp et al. 2021): the patient's right on the
viewer's left, one row per key sensory point from C2 to S4-5, the key muscle scores beside
their segments, the totals and the anal findings below, and the classification box at the foot.
Cells are shaded by score (the project's palette: LMN orange for absent, a paler shade for
impaired, grey for NT), so the picture reads in grey-scale too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from neurograph.isncsci import Classification, Exam

from neurograph.drawing.style import EFFECT_STYLES
from neurograph.isncsci import MOTOR_LEVELS, SENSORY_LEVELS, classify

__all__ = ["isncsci_figure", "draw_isncsci_sheet", "SHEET_SIZE"]

#: Figure inches of a stand-alone worksheet.
SHEET_SIZE = (8.27, 11.69)

_ABSENT = EFFECT_STYLES["LMN"]["color"]
_IMPAIRED = EFFECT_STYLES["LMN"]["fill"]
_UNKNOWN = EFFECT_STYLES["intact"]["fill"]
_NORMAL = "#FFFFFF"

# Column x positions (axes units 0-1): right motor, right light touch, right pin prick, the
# segment, left light touch, left pin prick, left motor; and the headings above them.
_COLUMNS = (("Motor", 0.16, "right_motor"), ("LT", 0.27, "right_touch"), ("PP", 0.36, "right_prick"),
            ("", 0.5, None), ("LT", 0.64, "left_touch"), ("PP", 0.73, "left_prick"), ("Motor", 0.84, "left_motor"))
_CELL = (0.075, 0.0195)
# The movement each key muscle level is tested by, as the worksheet names it (Rupp et al. 2021).
_KEY_MOVEMENTS = {
    "C5": "elbow flexors", "C6": "wrist extensors", "C7": "elbow extensors", "C8": "finger flexors",
    "T1": "finger abductors", "L2": "hip flexors", "L3": "knee extensors", "L4": "ankle dorsiflexors",
    "L5": "long toe extensors", "S1": "ankle plantar flexors",
}
_TOP = 0.93
_ROW = 0.0215


def _shade(score, normal):
    """The cell colour of a score: normal white, absent strong, impaired pale, NT grey."""
    value = score.rstrip("*")
    if value == "NT":
        return _UNKNOWN
    grade = int(value)
    if score.endswith("**") or grade == normal:
        return _NORMAL
    return _ABSENT if grade == 0 else _IMPAIRED


def draw_isncsci_sheet(exam: Exam, ax: Axes, classification: Classification | None = None) -> Axes:
    """Draw the worksheet of ``exam`` into a matplotlib Axes (its frame and ticks are hidden).

    Parameters
    ----------
    exam : neurograph.isncsci.Exam
    ax : matplotlib.axes.Axes
    classification : neurograph.isncsci.Classification, optional
        The exam's classification (computed when not given).

    Returns
    -------
    matplotlib.axes.Axes
    """
    from matplotlib.patches import Rectangle

    classification = classification or classify(exam)
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    title = "ISNCSCI worksheet" + (f": {exam.id}" if exam.id else "")
    ax.text(0.5, 0.985, title, ha="center", va="top", fontsize=11, weight="bold")
    ax.text(0.265, _TOP + 0.03, "RIGHT", ha="center", fontsize=9, weight="bold")
    ax.text(0.735, _TOP + 0.03, "LEFT", ha="center", fontsize=9, weight="bold")
    for heading, x, _ in _COLUMNS:
        ax.text(x, _TOP + 0.008, heading, ha="center", fontsize=7.5)
    for row, level in enumerate(SENSORY_LEVELS):
        y = _TOP - (row + 0.5) * _ROW
        ax.text(0.5, y, level.replace("_", "-"), ha="center", va="center", fontsize=7.5, weight="bold")
        if level in _KEY_MOVEMENTS:
            ax.text(0.115, y, _KEY_MOVEMENTS[level], ha="right", va="center", fontsize=5.5)
            ax.text(0.885, y, _KEY_MOVEMENTS[level], ha="left", va="center", fontsize=5.5)
        for _, x, attribute in _COLUMNS:
            if attribute is None:
                continue
            side, kind = attribute.split("_")
            if kind == "motor":
                if level not in MOTOR_LEVELS:
                    continue
                score, normal = exam.motor(side, level), 5
            else:
                score, normal = (exam.touch if kind == "touch" else exam.prick)(side, level), 2
            ax.add_patch(Rectangle((x - _CELL[0] / 2, y - _CELL[1] / 2), *_CELL, facecolor=_shade(score, normal),
                                   edgecolor="#4D4D4D", linewidth=0.5))
            ax.text(x, y, score, ha="center", va="center", fontsize=7)
    bottom = _TOP - len(SENSORY_LEVELS) * _ROW
    totals = {name: "ND" if value is None else str(value) for name, value in classification.totals.items()}
    lines = [
        f"Totals   right motor {totals['rightMotorTotal']} (upper {totals['rightUpperMotorTotal']}, lower "
        f"{totals['rightLowerMotorTotal']}), LT {totals['rightTouchTotal']}, PP {totals['rightPrickTotal']}   |   "
        f"left motor {totals['leftMotorTotal']} (upper {totals['leftUpperMotorTotal']}, lower "
        f"{totals['leftLowerMotorTotal']}), LT {totals['leftTouchTotal']}, PP {totals['leftPrickTotal']}",
        f"Voluntary anal contraction {exam.vac}   Deep anal pressure {exam.dap}   Lowest non-key muscle with "
        f"motor function: right {exam.right_non_key or '-'}, left {exam.left_non_key or '-'}",
    ]
    for number, line in enumerate(lines):
        ax.text(0.02, bottom - 0.02 - number * 0.018, line, fontsize=6.5, va="top")
    box_top = bottom - 0.065
    rows = classification.summary_rows()
    ax.add_patch(Rectangle((0.02, box_top - 0.016 * len(rows) - 0.012), 0.96, 0.016 * len(rows) + 0.02,
                           facecolor="none", edgecolor="#000000", linewidth=0.8))
    ax.text(0.03, box_top, "Classification", fontsize=8, weight="bold", va="top")
    for number, (label, value) in enumerate(rows):
        y = box_top - 0.016 * (number + 1)
        ax.text(0.03, y, label, fontsize=6.5, va="top")
        shown = value if len(value) <= 95 else value[:92] + "..."
        ax.text(0.33, y, shown, fontsize=6.5, va="top", family="monospace")
    legend = [("absent (0)", _ABSENT), ("impaired", _IMPAIRED), ("NT", _UNKNOWN), ("normal", _NORMAL)]
    for number, (label, colour) in enumerate(legend):
        x = 0.05 + number * 0.2
        ax.add_patch(Rectangle((x, 0.012), 0.025, 0.01, facecolor=colour, edgecolor="#4D4D4D", linewidth=0.5))
        ax.text(x + 0.032, 0.017, label, fontsize=6.5, va="center")
    return ax


def isncsci_figure(exam: Exam, classification: Classification | None = None) -> Figure:
    """A stand-alone A4 worksheet figure of ``exam``, ready for :func:`~neurograph.drawing.save_figure`.

    Examples
    --------
    >>> from neurograph.isncsci import Exam
    >>> figure = isncsci_figure(Exam.normal(id="example"))
    >>> figure.get_size_inches().tolist()
    [8.27, 11.69]
    """
    from matplotlib.figure import Figure

    figure = Figure(figsize=SHEET_SIZE)
    draw_isncsci_sheet(exam, figure.add_axes((0.03, 0.02, 0.94, 0.96)), classification)
    return figure
