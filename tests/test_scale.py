"""Cost bounded by input size: scaled anatomies stay valid, and the engine answers them quickly and exactly."""

import pytest

import neurograph
from neurograph.errors import InvalidValueError
from neurograph.testing import scaled


@pytest.mark.parametrize(
    "grow",
    [
        lambda G: scaled.more_muscles(G, 2),
        lambda G: scaled.more_muscles(G, 40, nerve="R.radial.axilla"),
        lambda G: scaled.more_layers(G, 2),
        lambda G: scaled.nerve_lattice(G, 3, 4),
        lambda G: scaled.isolated_nodes(G, 25),
    ],
    ids=["muscles", "muscles-on-one-nerve", "layers", "lattice", "isolated"],
)
def test_every_scaled_anatomy_is_valid(packaged_anatomy, grow):
    grown = grow(packaged_anatomy)
    assert len(grown) > len(packaged_anatomy)
    assert neurograph.validate(grown) == []
    assert len(packaged_anatomy) == len(neurograph.load_anatomy())


def test_scaled_generators_refuse_bad_sizes(packaged_anatomy):
    with pytest.raises(InvalidValueError, match="width"):
        scaled.nerve_lattice(packaged_anatomy, 0, 3)
    with pytest.raises(InvalidValueError, match="nerve"):
        scaled.more_muscles(packaged_anatomy, 2, nerve="R.no_such_nerve")
