"""Root values of the muscles as the references tabulate them: an independent check on the roots.

For each muscle the reference's segments are written below as the reference states them. A
lesion of the ventral root of each listed segment must weaken the muscle; a lesion of the root
just above or just below the listed range must spare it. The tables are written from:

- MRC2010: Medical Research Council, *Aids to the Examination of the Peripheral Nervous
  System*, 5th edn (2010), the table of the segmental innervation of the limb muscles.
- Gray42: Standring S (ed.), *Gray's Anatomy*, 42nd edn (2020), for the axial, neck and
  pelvic floor muscles that the MRC booklet does not chart.
- ISNCSCI2019: ASIA, *International Standards for Neurological Classification of Spinal Cord
  Injury*, revised 2019: the key muscle of each motor level.
"""

import pytest

from neurograph.schema import SEGMENTS
from reference_cases import grades
from neurograph import resolve_muscles

MRC2010 = {
    "rhomboids": "C4 C5",
    "serratus anterior": "C5 C6 C7",
    "supraspinatus": "C5 C6",
    "infraspinatus": "C5 C6",
    "deltoid": "C5 C6",
    "latissimus dorsi": "C6 C7 C8",
    "biceps": "C5 C6",
    "brachialis": "C5 C6",
    "brachioradialis": "C5 C6",
    "triceps": "C6 C7 C8",
    "extensor carpi radialis longus": "C5 C6",
    "extensor digitorum": "C7 C8",
    "extensor carpi ulnaris": "C7 C8",
    "abductor pollicis longus": "C7 C8",
    "extensor pollicis longus": "C7 C8",
    "extensor pollicis brevis": "C7 C8",
    "extensor indicis": "C7 C8",
    "pronator teres": "C6 C7",
    "flexor carpi radialis": "C6 C7",
    "flexor digitorum superficialis": "C7 C8 T1",
    "flexor digitorum profundus index": "C7 C8",
    "flexor digitorum profundus little": "C7 C8",
    "flexor pollicis longus": "C7 C8",
    "pronator quadratus": "C7 C8",
    "flexor carpi ulnaris": "C7 C8 T1",
    "abductor pollicis brevis": "C8 T1",
    "opponens pollicis": "C8 T1",
    "abductor digiti minimi": "C8 T1",
    "first dorsal interosseous": "C8 T1",
    "adductor pollicis": "C8 T1",
    "psoas major": "L1 L2 L3",
    "rectus femoris": "L2 L3 L4",
    "vastus lateralis": "L2 L3 L4",
    "vastus medialis": "L2 L3 L4",
    "adductor longus": "L2 L3 L4",
    "sartorius": "L2 L3",
    "gluteus medius": "L4 L5 S1",
    "tensor fasciae latae": "L4 L5 S1",
    "gluteus maximus": "L5 S1 S2",
    "semitendinosus": "L5 S1 S2",
    "semimembranosus": "L5 S1 S2",
    "biceps femoris long head": "L5 S1 S2",
    "tibialis anterior": "L4 L5",
    "tibialis posterior": "L4 L5",
    "extensor hallucis longus": "L5 S1",
    "extensor digitorum longus": "L5 S1",
    "extensor digitorum brevis": "L5 S1",
    "fibularis longus": "L5 S1",
    "fibularis brevis": "L5 S1",
    "gastrocnemius": "S1 S2",
    "soleus": "S1 S2",
    "flexor digitorum longus": "S1 S2",
    "flexor hallucis longus": "S1 S2",
    "abductor hallucis": "S1 S2",
    "abductor digiti minimi pedis": "S1 S2",
}

#: Kendall2005 (Kendall FP et al., *Muscles: Testing and Function*, 5th edn, 2005, the spinal
#: nerve and muscle charts), for muscles the MRC booklet does not chart; a segment in Kendall's
#: parentheses (a small contribution) counts as supplying the muscle.
KENDALL2005 = {
    "levator scapulae": "C3 C4 C5",
    "subclavius": "C5 C6",
    "pectoralis minor": "C6 C7 C8 T1",
    "teres major": "C5 C6 C7",
    "subscapularis": "C5 C6 C7",
    "teres minor": "C5 C6",
    "coracobrachialis": "C6 C7",
    "anconeus": "C7 C8",
    "supinator": "C5 C6 C7",
    "extensor carpi radialis brevis": "C5 C6 C7 C8",
    "extensor digiti minimi": "C6 C7 C8",
    "palmaris longus": "C6 C7 C8 T1",
    "adductor brevis": "L2 L3 L4",
    "gracilis": "L2 L3 L4",
    "pectineus": "L2 L3 L4",
    "obturator externus": "L3 L4",
    "gluteus minimus": "L4 L5 S1",
    "piriformis": "L5 S1 S2",
    "quadratus femoris": "L4 L5 S1",
    "obturator internus": "L5 S1 S2",
    "fibularis tertius": "L4 L5 S1",
    "flexor digitorum brevis": "L4 L5 S1",
    "flexor hallucis brevis": "L4 L5 S1",
    "adductor hallucis": "S1 S2",
    "quadratus lumborum": "T12 L1 L2 L3",
    "adductor magnus hamstring part": "L4 L5 S1",
}

GRAY42 = {
    "diaphragm": "C3 C4 C5",
    "longus capitis": "C1 C2 C3",
    "rectus capitis lateralis": "C1 C2",
    "sternohyoid": "C1 C2 C3",
    "scalenus anterior": "C4 C5 C6",
    # The lower six thoracic nerves supply rectus abdominis segment by segment: T7 to T9 the
    # part above the umbilicus, T10 to T12 the part below.
    "rectus abdominis upper": "T7 T8 T9",
    "rectus abdominis lower": "T10 T11 T12",
    "external oblique": "T7 T8 T9 T10 T11 T12",
    "internal oblique": "T7 T8 T9 T10 T11 T12 L1",
    "transversus abdominis": "T7 T8 T9 T10 T11 T12 L1",
    "external anal sphincter": "S2 S3 S4",
    "external urethral sphincter": "S2 S3 S4",
    "levator ani": "S2 S3 S4",
    "coccygeus": "S4 S5",
    "longus colli": "C2 C3 C4 C5 C6",
    "scalenus medius": "C3 C4 C5 C6 C7 C8",
}

#: ISNCSCI2019 key muscles: motor level -> the muscle (group) that stands for it.
ISNCSCI_KEY_MUSCLES = {
    "C5": "elbow flexors", "C6": "wrist extensors", "C7": "elbow extensors", "C8": "finger flexors",
    "T1": "small finger abductors", "L2": "hip flexors", "L3": "knee extensors", "L4": "ankle dorsiflexors",
    "L5": "long toe extensors", "S1": "ankle plantar flexors",
}


def root_cases(table, reference):
    for muscle, listed in table.items():
        segments = listed.split()
        for segment in segments:
            yield pytest.param(muscle, segment, True, id=f"{reference}: {muscle} {segment}")
        first, last = SEGMENTS.index(segments[0]), SEGMENTS.index(segments[-1])
        for outside in (first - 1, last + 1):
            if 0 <= outside < len(SEGMENTS):
                yield pytest.param(muscle, SEGMENTS[outside], False, id=f"{reference}: {muscle} not {SEGMENTS[outside]}")


@pytest.mark.parametrize("muscle, segment, supplies", [*root_cases(MRC2010, "MRC2010"), *root_cases(KENDALL2005, "Kendall2005"), *root_cases(GRAY42, "Gray42")])
def test_a_root_lesion_weakens_the_muscles_of_its_myotome_only(packaged_anatomy, muscle, segment, supplies):
    grade = grades(packaged_anatomy, f"left {segment} root", [muscle])[muscle]
    assert (grade < 5) == supplies, f"{muscle} after a {segment} root lesion: MRC {grade}"


#: The documented grade of a share of strength left (neurograph.lesion.mrc_grade examples and
#: the lesion module's rule 5): 95 % gives MRC 5, 60 % MRC 4, 35 % MRC 3, 15 % MRC 2.
def documented_grade(share):
    return next(grade for grade, lower in ((5, 0.95), (4, 0.6), (3, 0.35), (2, 0.15), (1, 1e-9), (0, 0.0)) if share >= lower)


@pytest.mark.parametrize("muscle, listed", [*MRC2010.items(), *GRAY42.items()])
def test_each_listed_root_carries_an_equal_share_of_the_muscle(packaged_anatomy, muscle, listed):
    """The MRC Aids (and Gray's, for the muscles the booklet does not chart) lists a muscle's
    roots without weighting any below the others, so one root lesion leaves (n - 1)/n of the
    muscle's strength."""
    segments = listed.split()
    expected = documented_grade((len(segments) - 1) / len(segments))
    for segment in segments:
        assert grades(packaged_anatomy, f"left {segment} root", [muscle])[muscle] == expected, segment
    # Every root but one leaves 1/n (two of three leave a third, MRC 2): a root weighted otherwise
    # would grade differently.
    if len(segments) > 2:
        for kept in segments:
            lesion = [f"left {segment} root" for segment in segments if segment != kept]
            assert grades(packaged_anatomy, lesion, [muscle])[muscle] == documented_grade(1 / len(segments)), kept


@pytest.mark.parametrize("level, group", ISNCSCI_KEY_MUSCLES.items())
def test_the_isncsci_key_muscles_stand_for_their_level(packaged_anatomy, level, group):
    members = resolve_muscles(packaged_anatomy, f"left {group}")
    assert members
    assert {packaged_anatomy.nodes[node]["isncsci_level"] for node in members} == {level}
    assert grades(packaged_anatomy, f"left {level} root", [group])[group] < 5
    # The segment's cord lesion takes the key muscle's anterior horn cells: LMN weakness.
    result_grades = grades(packaged_anatomy, level, [group], side="right")
    assert result_grades[group] < 5
