"""The engine's findings as the arrays the site atlas predicts, to check one against the other."""

import numpy as np

import neurograph
from neurograph.engine import REFLEX_DIRECTION
from neurograph.schema import MODALITIES


def engine_prediction(G, sites, phase, muscles, reflexes, places=()):
    """What ``simulate`` finds for ``sites`` as a one-row prediction: per muscle (in the order
    given) grade, spastic, flaccid, atrophy, fasciculations; per reflex its direction; per skin
    place its grade of each modality (``sensory``)."""
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
    grades = [list(result.sensory(place).grades.values()) for place in places]
    columns["sensory"] = grades if grades else np.zeros((0, len(MODALITIES)), dtype=int)
    return {name: np.array([values]) for name, values in columns.items()}
