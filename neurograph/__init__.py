"""neurograph: the human motor system as a directed graph, and lesions simulated on it.

The anatomy is a plain :class:`networkx.DiGraph` whose edges run in the direction of the motor
signal, from the primary motor cortex through the corticospinal tract to the anterior horn,
and on through roots, plexus and nerves to the muscles. Functions take the graph first.

The public names are imported on first use, so that ``import neurograph`` (and the command
line's start-up) stays fast.

Examples
--------
>>> import neurograph
>>> G = neurograph.load_anatomy()
>>> G.nodes["L.muscle.triceps_brachii"]["segments"]
'C6|C7|C8'
>>> neurograph.node_attributes(G, "L.muscle.triceps_brachii")["segments"]
('C6', 'C7', 'C8')
>>> result = neurograph.simulate(G, "left internal capsule")
>>> sorted({finding.side for finding in result.muscles})
['R']
"""

import importlib
from typing import TYPE_CHECKING, Any

from neurograph.errors import (
    AmbiguousSideError,
    AnatomyFileError,
    AnatomyTooLargeError,
    InvalidAnatomyError,
    InvalidValueError,
    NeurographError,
    NormalFindingsError,
    OutputFileError,
    StaleResultError,
    UnknownNameError,
)

__version__ = "0.1.0"

_LAZY = {
    "clear_cache": "neurograph.cache",
    "cranial_signs": "neurograph.cranial",
    "CranialResult": "neurograph.cranial",
    "AnatomyGraph": "neurograph.graph",
    "Findings": "neurograph.findings",
    "MuscleExam": "neurograph.findings",
    "SensoryExam": "neurograph.findings",
    "findings_from_dict": "neurograph.findings",
    "findings_from_result": "neurograph.findings",
    "read_findings": "neurograph.findings",
    "load_anatomy": "neurograph.io",
    "read_graphml": "neurograph.io",
    "write_graphml": "neurograph.io",
    "localize": "neurograph.localization",
    "Localization": "neurograph.localization",
    "Hypothesis": "neurograph.localization",
    "make_lesion": "neurograph.lesion",
    "simulate": "neurograph.lesion",
    "innervation": "neurograph.paths",
    "ascending_pathway": "neurograph.paths",
    "dermatome": "neurograph.paths",
    "skin_innervation": "neurograph.paths",
    "territory": "neurograph.paths",
    "myotome": "neurograph.paths",
    "pathway": "neurograph.paths",
    "shared_sites": "neurograph.paths",
    "supplied_by": "neurograph.paths",
    "preset_lesion": "neurograph.presets",
    "list_presets": "neurograph.presets",
    "Preset": "neurograph.presets",
    "LesionResult": "neurograph.results",
    "MuscleFinding": "neurograph.results",
    "ReflexFinding": "neurograph.results",
    "Route": "neurograph.results",
    "Pathway": "neurograph.results",
    "Innervation": "neurograph.results",
    "Supply": "neurograph.results",
    "AscendingPathway": "neurograph.results",
    "AscendingRoute": "neurograph.results",
    "Dermatome": "neurograph.results",
    "SkinInnervation": "neurograph.results",
    "Territory": "neurograph.results",
    "Site": "neurograph.resolve",
    "find": "neurograph.resolve",
    "resolve_muscles": "neurograph.resolve",
    "resolve_site": "neurograph.resolve",
    "node_attributes": "neurograph.schema",
    "edge_attributes": "neurograph.schema",
    "graph_attributes": "neurograph.schema",
    "anatomy_stats": "neurograph.stats",
    "Table": "neurograph.tables",
    "Violation": "neurograph.validation",
    "validate": "neurograph.validation",
    "require_valid": "neurograph.validation",
}

__all__ = sorted(
    [
        "AmbiguousSideError", "AnatomyFileError", "AnatomyTooLargeError", "InvalidAnatomyError", "InvalidValueError",
        "NeurographError", "OutputFileError", "StaleResultError", "UnknownNameError", *_LAZY,
    ]
)


if TYPE_CHECKING:
    # What __getattr__ imports on first use, spelt out for editors and type checkers (a test
    # keeps this list and _LAZY the same).
    from neurograph.cache import clear_cache
    from neurograph.cranial import CranialResult, cranial_signs
    from neurograph.findings import Findings, MuscleExam, SensoryExam, findings_from_dict, findings_from_result, read_findings
    from neurograph.graph import AnatomyGraph
    from neurograph.io import load_anatomy, read_graphml, write_graphml
    from neurograph.lesion import make_lesion, simulate
    from neurograph.localization import Hypothesis, Localization, localize
    from neurograph.paths import (
        ascending_pathway, dermatome, innervation, myotome, pathway, shared_sites, skin_innervation, supplied_by, territory,
    )
    from neurograph.presets import Preset, list_presets, preset_lesion
    from neurograph.resolve import Site, find, resolve_muscles, resolve_site
    from neurograph.results import (
        AscendingPathway, AscendingRoute, Dermatome, Innervation, LesionResult, MuscleFinding, Pathway, ReflexFinding, Route,
        SkinInnervation, Supply, Territory,
    )
    from neurograph.schema import edge_attributes, graph_attributes, node_attributes
    from neurograph.stats import anatomy_stats
    from neurograph.tables import Table
    from neurograph.validation import Violation, require_valid, validate


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'neurograph' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
