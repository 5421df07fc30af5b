"""Lesion diagrams: the pathway drawing, the body map, the sensory map, the ascending pathways, the
plexus schematic, the cord cross-section, the corticobulbar pathways, figure export and Graphviz DOT.

Importing this package imports matplotlib; ``import neurograph`` does not.
"""

from neurograph.drawing.ascending import ascending_figure
from neurograph.drawing.body import body_map_figure, draw_body_map, draw_sensory_map, limb_map_figure, sensory_map_figure
from neurograph.drawing.cranial import corticobulbar_figure, draw_corticobulbar
from neurograph.drawing.cross_section import cross_section_figure, draw_cross_section
from neurograph.drawing.dot import dot_available, render_svg, to_dot
from neurograph.drawing.export import figure_bytes, save_figure
from neurograph.drawing.pathway import draw_lesion, lesion_figure
from neurograph.drawing.plexus import draw_plexus, plexus_figure

__all__ = [
    "draw_lesion", "lesion_figure", "draw_body_map", "body_map_figure", "draw_plexus", "plexus_figure",
    "draw_cross_section", "cross_section_figure", "draw_sensory_map", "sensory_map_figure", "limb_map_figure", "ascending_figure",
    "corticobulbar_figure", "draw_corticobulbar",
    "save_figure", "figure_bytes", "to_dot", "render_svg", "dot_available",
]
