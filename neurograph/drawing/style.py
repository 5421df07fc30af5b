"""Colours, shapes and hatches of the effect classes: one palette for every drawing.

The colours are from the Okabe-Ito palette, distinguishable with the common colour-vision
deficiencies; every class also has its own marker shape and hatch, so the figures read in
grey-scale print too.
"""

__all__ = ["EFFECT_STYLES", "LEGEND_ORDER"]

EFFECT_STYLES = {
    "lesion": {"color": "#000000", "fill": "#FFFFFF", "marker": "X", "hatch": "", "dot_shape": "octagon", "label": "lesion site"},
    "UMN": {"color": "#0072B2", "fill": "#CCE3F0", "marker": "s", "hatch": "///", "dot_shape": "box", "label": "UMN-affected"},
    "LMN": {"color": "#D55E00", "fill": "#F7DFCC", "marker": "^", "hatch": "\\\\\\", "dot_shape": "invtriangle", "label": "LMN-affected"},
    "mixed": {"color": "#CC79A7", "fill": "#F5E4ED", "marker": "D", "hatch": "xxx", "dot_shape": "diamond", "label": "mixed UMN + LMN"},
    "intact": {"color": "#8C8C8C", "fill": "#F2F2F2", "marker": "o", "hatch": "", "dot_shape": "ellipse", "label": "intact"},
}
EFFECT_STYLES["normal"] = EFFECT_STYLES["intact"]

LEGEND_ORDER = ("lesion", "UMN", "LMN", "mixed", "intact")
