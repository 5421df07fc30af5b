"""Which view of the body shows each skin place (the ``view`` attribute, data 4.4.0).

The views are those of the body in the anatomical position: standing, the palms and the feet
facing forward (Gray's Anatomy, 42nd edn, 2020, the anatomical position). So palmar skin faces
the front, the back (dorsum) of the hand and fingers the back, and the dorsum of the foot the
front; a medial or lateral side shows in both views. The key points' spots are those of
ISNCSCI 2019 (American Spinal Injury Association, International Standards for Neurological
Classification of Spinal Cord Injury, revised 2019).
"""

from __future__ import annotations

import pytest

import neurograph
from neurograph.schema import SKIN_VIEWS
from neurograph.validation import validate

#: ISNCSCI 2019 spots and the view the anatomical position gives them.
KEY_POINT_VIEWS = {
    "C6": "back",  # dorsal surface of the proximal phalanx of the thumb
    "C7": "back",  # dorsal surface of the proximal phalanx of the middle finger
    "C8": "back",  # dorsal surface of the proximal phalanx of the little finger
    "C5": "front",  # lateral side of the antecubital fossa
    "T1": "front",  # medial side of the antecubital fossa
    "T4": "front",  # fourth intercostal space at the midclavicular line
    "T10": "front",  # midclavicular line at the umbilicus
    "L3": "front",  # medial femoral condyle above the knee
    "L5": "front",  # dorsum of the foot at the third metatarsophalangeal joint
    "S2": "back",  # midpoint of the popliteal fossa
    "S3": "back",  # ischial tuberosity
    "S4-5": "back",  # perianal area
}


def skin(G):
    return {node: data for node, data in G.nodes(data=True) if data["kind"] == "skin"}


def test_every_skin_place_has_a_view_and_both_sides_agree(packaged_anatomy):
    places = skin(packaged_anatomy)
    assert places and all(data["view"] in SKIN_VIEWS for data in places.values())
    for node, data in places.items():
        assert places[node.replace(f"{data['side']}.", "L." if data["side"] == "R" else "R.", 1)]["view"] == data["view"]


@pytest.mark.parametrize(("level", "view"), sorted(KEY_POINT_VIEWS.items()))
def test_key_points_lie_on_the_view_of_their_spot(packaged_anatomy, level, view):
    assert packaged_anatomy.nodes[f"R.key_point.{level}"]["view"] == view


UPPER_LIMB = ("arm", "forearm", "hand")


@pytest.mark.parametrize(
    ("words", "regions", "view"),
    [
        ("palm", UPPER_LIMB, "front"), ("thenar", UPPER_LIMB, "front"), ("back of the", UPPER_LIMB, "back"),
        # The foot's "back" is its dorsum, which faces forward (and up) in the anatomical position.
        ("back", ("foot",), "front"), ("sole", ("foot",), "back"), ("plantar", ("foot",), "back"),
        ("medial side of the", ("knee", "leg", "foot"), "both"), ("lateral arm", UPPER_LIMB, "both"),
    ],
)
def test_places_face_where_their_surface_faces_in_the_anatomical_position(packaged_anatomy, words, regions, view):
    # The soles face neither way and are drawn with the back view, beside the heel.
    named = {
        node: data["view"] for node, data in skin(packaged_anatomy).items()
        if words in data["label"] and data["body_region"] in regions and "key sensory point" not in data["label"]
    }
    assert named
    assert named == {node: view for node in named}


def test_a_view_outside_the_vocabulary_is_refused(packaged_anatomy):
    G = packaged_anatomy.copy()
    G.nodes["R.key_point.C6"]["view"] = "sideways"
    problems = [v for v in validate(G) if v.rule == "bad_value" and "R.key_point.C6" in v.nodes]
    assert problems and "sideways" in problems[0].message


def test_the_view_does_not_change_a_lesion(packaged_anatomy):
    # A drawing attribute: the same sensation with or without it.
    G = packaged_anatomy.copy()
    for _, data in skin(G).items():
        del data["view"]
    before = neurograph.simulate(packaged_anatomy, "right superficial radial nerve").to_dict()["sensation"]
    assert neurograph.simulate(G, "right superficial radial nerve").to_dict()["sensation"] == before
