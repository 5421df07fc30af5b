"""The mutation run's restricted probe (scripts/mutation_test.py, ``probe_scope``): a data mutant
predicts as the original everywhere outside the sites its change can reach."""

import importlib.util
import random
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "mutation_test.py"


@pytest.fixture(scope="module")
def mutation_test():
    spec = importlib.util.spec_from_file_location("mutation_test", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["mutation_test"] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    del sys.modules["mutation_test"]


def single_sites(mutation_test, G, labels):
    return {key: found for _, key, found in mutation_test.probe_stages(G, localizing=False, stages={"single sites": ()}, scope=labels)}


@pytest.mark.parametrize(("node", "changes"), [
    # A muscle loses a segment (a data mutant of muscle_segments).
    ("muscle.triceps_brachii", {"segments": "C7|C8", "segment_weights": "C7:1|C8:1"}),
    # A skin place takes another somatosensory area (a mutant of body_region_areas).
    ("skin.lateral_forearm", {"sensory_area": "shoulder"}),
])
def test_sites_outside_a_mutants_scope_predict_as_the_original(packaged_anatomy, mutation_test, node, changes):
    from neurograph.resolve import atlas_sites

    mutant = packaged_anatomy.copy()
    for side in ("L", "R"):  # the anatomy keeps both sides alike
        mutant.nodes[f"{side}.{node}"].update(changes)
    scope = mutation_test.probe_scope(mutant, packaged_anatomy, mutation_test.item_reach(packaged_anatomy))
    labels = sorted(site.label for site in atlas_sites(packaged_anatomy))
    assert scope is not None and 0 < len(scope) < len(labels) / 2
    outside = random.Random(7).sample([label for label in labels if label not in scope], 150)
    assert single_sites(mutation_test, mutant, set(outside)) == single_sites(mutation_test, packaged_anatomy, set(outside))
    # Inside the scope the change shows.
    assert single_sites(mutation_test, mutant, scope) != single_sites(mutation_test, packaged_anatomy, scope)
