"""Names clinicians use resolve to the right structures."""

import pytest

from neurograph import find, resolve_muscles, resolve_site
from neurograph.errors import UnknownNameError


@pytest.mark.parametrize(
    "name, expected",
    [
        ("right radial nerve at the spiral groove", {"R.radial.spiral_groove", "R.aff.radial.spiral_groove"}),
        ("Radial nerve at the spiral groove, LEFT", {"L.radial.spiral_groove", "L.aff.radial.spiral_groove"}),
        ("R.radial.spiral_groove", {"R.radial.spiral_groove", "R.aff.radial.spiral_groove"}),
        ("left internal capsule", None),
        ("anterior horn of L4 on the right", {"R.ah.L4"}),
        ("left C7 root", {"L.vroot.C7", "L.droot.C7"}),  # the clinical root: dorsal and ventral
        ("left C7 ventral root", {"L.vroot.C7"}),
        ("left ventral root of C7", {"L.vroot.C7"}),  # the segment named last
        ("right dorsal root ganglion of C6", {"R.drg.C6"}),
        ("bilateral C7 root", {"L.vroot.C7", "R.vroot.C7", "L.droot.C7", "R.droot.C7"}),
        ("right peroneal nerve", {"R.common_fibular.fibular_head", "R.aff.common_fibular.fibular_head"}),
        ("left FDI", {"L.muscle.first_dorsal_interosseous"}),
        ("left Guyon's canal", {"L.ulnar.guyon", "L.aff.ulnar.guyon"}),
        ("lt hand area", {"L.m1.hand"}),
    ],
)
def test_names_resolve(packaged_anatomy, name, expected):
    site = resolve_site(packaged_anatomy, name)
    if expected is None:
        kinds = {packaged_anatomy.nodes[n]["kind"] for n in site.nodes}
        stations = {packaged_anatomy.nodes[n]["station"] for n in site.nodes}
        sides = {packaged_anatomy.nodes[n]["side"] for n in site.nodes}
        # The posterior limb holds the corticospinal and the thalamocortical fibres.
        assert kinds == {"tract", "sensory_tract"} and stations == {"internal_capsule"} and sides == {"L"}
        assert len(site.nodes) >= 6  # one fibre channel per cortical area
    else:
        assert site.nodes == expected


def test_a_cord_segment_holds_both_halves(packaged_anatomy):
    site = resolve_site(packaged_anatomy, "C7")
    assert {"L.ah.C7", "R.ah.C7"} <= site.nodes
    assert {packaged_anatomy.nodes[n]["kind"] for n in site.nodes} == {"anterior_horn", "tract", "sensory_tract"}
    assert all(packaged_anatomy.nodes[n]["segment"] == "C7" for n in site.nodes)


def test_half_segment_and_ranges(packaged_anatomy):
    half = resolve_site(packaged_anatomy, "left half of T10")
    assert {packaged_anatomy.nodes[n]["side"] for n in half.nodes} == {"L"}
    run = resolve_site(packaged_anatomy, "C5-C7")
    assert {packaged_anatomy.nodes[n]["segment"] for n in run.nodes} == {"C5", "C6", "C7"}
    assert resolve_site(packaged_anatomy, "C5 to C7").nodes == run.nodes


def test_regions_from_the_data(packaged_anatomy):
    cauda = resolve_site(packaged_anatomy, "cauda equina")
    assert {packaged_anatomy.nodes[n]["kind"] for n in cauda.nodes} == {"ventral_root", "dorsal_root"}
    assert "R.vroot.L1" not in cauda.nodes and "R.vroot.S3" in cauda.nodes
    plexus = resolve_site(packaged_anatomy, "left brachial plexus")
    assert "L.bp.upper_trunk" in plexus.nodes and "L.ramus.C5" in plexus.nodes
    nerve = resolve_site(packaged_anatomy, "right radial nerve")
    assert {"R.radial.axilla", "R.radial.pin"} <= nerve.nodes


def test_unknown_names_suggest_the_closest(packaged_anatomy):
    with pytest.raises(UnknownNameError) as caught:
        resolve_site(packaged_anatomy, "left interna capsule")
    assert "internal capsule" in caught.value.suggestions
    assert "closest matches" in str(caught.value)


def test_muscle_groups_resolve_to_their_members(packaged_anatomy):
    hamstrings = resolve_muscles(packaged_anatomy, "right hamstrings")
    assert "R.muscle.semitendinosus" in hamstrings and all(m.startswith("R.") for m in hamstrings)
    assert len(resolve_muscles(packaged_anatomy, "biceps")) == 2


def test_find_lists_names_containing_the_query(packaged_anatomy):
    names = [name for name, _ in find(packaged_anatomy, "spiral groove")]
    assert "radial nerve at the spiral groove" in names


def test_articles_are_ignored(packaged_anatomy):
    # The two names: with or without "the", they name the same structure.
    for without, with_articles in [
        ("left upper trunk of brachial plexus", "left upper trunk of the brachial plexus"),
        ("right deep branch of ulnar nerve", "right deep branch of the ulnar nerve"),
    ]:
        assert resolve_site(packaged_anatomy, without).nodes == resolve_site(packaged_anatomy, with_articles).nodes
    assert resolve_site(packaged_anatomy, "left upper trunk of brachial plexus").nodes == {"L.bp.upper_trunk", "L.aff.bp.upper_trunk"}
    assert find(packaged_anatomy, "upper trunk of brachial plexus")[0][0] == "upper trunk of the brachial plexus"
    assert find(packaged_anatomy, "deep branch of ulnar nerve")[0][0] == "deep branch of the ulnar nerve"


def test_names_that_fold_alike_but_mean_different_structures_are_refused(anatomy):
    # Two names equal once articles are dropped, standing for different nodes: neither is chosen.
    for side in "LR":  # both sides, as the anatomy's symmetry rule requires
        anatomy.nodes[f"{side}.bp.middle_trunk"]["aliases"] += "|upper trunk of a brachial plexus"
    with pytest.raises(UnknownNameError) as caught:
        resolve_site(anatomy, "left upper trunk of brachial plexus")
    assert set(caught.value.suggestions) == {"upper trunk of the brachial plexus", "upper trunk of a brachial plexus"}
    assert resolve_site(anatomy, "left upper trunk of the brachial plexus").nodes == {"L.bp.upper_trunk", "L.aff.bp.upper_trunk"}


def test_find_puts_exact_names_first(packaged_anatomy):
    assert find(packaged_anatomy, "ulnar nerve")[0] == ("ulnar nerve", "ulnar nerve")
    assert find(packaged_anatomy, "FDI")[0][0] == "fdi"


def test_find_peroneal_lists_fibular_structures_only(packaged_anatomy):
    # Peroneal is the older name of fibular (Terminologia Anatomica, FCAT 1998); the perineum
    # and the pudendal nerve are other structures whose names merely look alike.
    found = find(packaged_anatomy, "peroneal", limit=100)
    labels = {label for _, label in found}
    assert "common peroneal nerve" in [name for name, _ in found]
    assert all("fibular" in label for label in labels), labels
    assert not any("perine" in name or "pudendal" in name for name, _ in found)
    # Through the synonym, the fibular muscles (peronei) and the fibular names are found too.
    assert {"fibularis longus", "fibularis brevis", "deep fibular nerve"} <= labels
    # Names written with the query's own word come first.
    names = [name for name, _ in found]
    written = ["peroneal" in name for name in names]
    assert written[0] and written == sorted(written, reverse=True)


def test_synonyms_read_every_name_and_query(packaged_anatomy):
    # Peroneal is fibular (Terminologia Anatomica, FCAT 1998), whichever is written: the data
    # names the evertors "fibular muscles" and the sciatic nerve's "fibular division" only.
    evertors = ("R.muscle.fibularis_brevis", "R.muscle.fibularis_longus", "R.muscle.fibularis_tertius")
    assert resolve_muscles(packaged_anatomy, "right peroneal muscles") == evertors
    assert resolve_site(packaged_anatomy, "left sciatic nerve peroneal division").nodes == {
        "L.sciatic.fibular_division", "L.aff.sciatic.fibular_division",
    }
    assert {"fibularis longus", "fibularis brevis"} <= {label for _, label in find(packaged_anatomy, "peroneus")}


def test_a_graph_without_synonyms_matches_words_as_written(anatomy):
    del anatomy.graph["synonyms"]
    assert not any("fibularis" in label for _, label in find(anatomy, "peroneal", limit=100))
    assert resolve_site(anatomy, "left deep peroneal nerve").nodes == {"L.deep_fibular", "L.aff.deep_fibular"}  # an alias in the data


def test_find_offers_close_matches_after_the_names_holding_the_query(packaged_anatomy):
    assert find(packaged_anatomy, "tricpes")[0][0] == "triceps"
    assert find(packaged_anatomy, "peroneel")[0][0] == "peroneal nerve"
    assert find(packaged_anatomy, "xyzzy") == []
    # A known word is never read as another: the perineum is not offered for the fibular nerve.
    perineal = [name for name, _ in find(packaged_anatomy, "perineal")]
    assert perineal[0] == "perineal area" and not any("fibular" in name or "peroneal" in name for name in perineal)
    ranked = [name for name, _ in find(packaged_anatomy, "ulnar", limit=100)]
    containing = [name for name in ranked if "ulnar" in name.split()]
    assert ranked[: len(containing)] == containing
