"""neurograph: the human motor system as a directed graph, and lesions simulated on it.

The anatomy is a plain :class:`networkx.DiGraph` whose edges run in the direction of the motor
signal, from the primary motor cortex through the corticospinal tract to the anterior horn,
and on through roots, plexus and nerves to the muscles.

Examples
--------
>>> import neurograph
>>> G = neurograph.load_anatomy()
>>> G.nodes["L.muscle.triceps_brachii"]["segments"]
'C6|C7|C8'
"""

from neurograph.errors import AnatomyFileError, InvalidValueError, NeurographError, UnknownNameError
from neurograph.io import load_anatomy, read_graphml, write_graphml
from neurograph.stats import anatomy_stats
from neurograph.validate import Violation, validate

__version__ = "0.1.0"

__all__ = [
    "AnatomyFileError",
    "InvalidValueError",
    "NeurographError",
    "UnknownNameError",
    "Violation",
    "anatomy_stats",
    "load_anatomy",
    "read_graphml",
    "validate",
    "write_graphml",
]
