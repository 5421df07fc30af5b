"""The engine's findings as the arrays the site atlas predicts, to check one against the other."""

import numpy as np

import neurograph
from neurograph.engine import REFLEX_DIRECTION


def engine_prediction(G, sites, phase, muscles, reflexes):
    """What ``simulate`` finds for ``sites`` as a one-row prediction: per muscle (in the order
    given) grade, spastic, flaccid, atrophy, fasciculations; per reflex its direction."""
    result = neurograph.simulate(G, list(sites), phase=phase)
    found = {row[0]: row for row in result.deficits}
    rows = [found.get(muscle, (muscle, "normal", 5, "normal", False, False, 1.0)) for muscle in muscles]
    columns = {
        "grade": [row[2] for row in rows],
        "spastic": [row[3] == "spastic" for row in rows],
        "flaccid": [row[3] == "flaccid" for row in rows],
        "atrophy": [row[4] for row in rows],
        "fasciculations": [row[5] for row in rows],
        "reflex": [REFLEX_DIRECTION[result.reflex(reflex).state] for reflex in reflexes],
    }
    return {name: np.array([values]) for name, values in columns.items()}
