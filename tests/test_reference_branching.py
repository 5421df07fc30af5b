"""The order in which each major nerve gives off its muscular branches, as the references state it.

Each table lists a nerve's muscles in the order their branches leave it, proximal first, and the
points of the nerve a clinician lesions, each with how many of the listed muscles are spared
(those whose branches leave above the point) and from which one on all are weak. Muscles
between the two numbers are left out where the references disagree or the branch leaves at the
point itself. The tables are written from:

- MRC2010: Medical Research Council, *Aids to the Examination of the Peripheral Nervous
  System*, 5th edn (2010): the diagrams of each nerve with its muscles in order of innervation.
- Stewart2010: Stewart JD, *Focal Peripheral Neuropathies*, 4th edn (2010), the chapters on
  each nerve (courses, branches, the deficits of a lesion at each site).
- Preston2020: Preston DC, Shapiro BE, *Electromyography and Neuromuscular Disorders*, 4th edn
  (2020): the localization of lesions along each nerve by the muscles spared.
- Gray42: Standring S (ed.), *Gray's Anatomy*, 42nd edn (2020), for the plexus.

Nothing here is read from the data files: a lesion at each point is simulated and the muscles
distal to it must be weak, those proximal spared.
"""

import pytest

from reference_cases import grades, spared, weak

#: nerve -> (muscles in order of branching, {lesion point: (spared up to, weak from)})
CHAINS = {
    # MRC2010 radial nerve diagram; Stewart2010 ch. 9: triceps branches leave in the axilla and
    # upper arm above the spiral groove (a spiral-groove palsy spares triceps); brachioradialis
    # and ECRL leave below the groove above the elbow; the PIN spares both and supplies the
    # finger and thumb extensors and ECU (wrist drop with radial deviation).
    "radial": (
        (
            "triceps", "brachioradialis", "extensor carpi radialis longus", "extensor digitorum",
            "extensor carpi ulnaris", "extensor digiti minimi", "abductor pollicis longus", "extensor pollicis longus",
            "extensor pollicis brevis", "extensor indicis",
        ),
        {
            "radial nerve in the axilla": (0, 0),
            "radial nerve at the spiral groove": (1, 1),
            "radial nerve above the elbow": (1, 1),
            "posterior interosseous nerve": (3, 3),
        },
    ),
    # MRC2010 median nerve diagram; Stewart2010 ch. 7: pronator teres, FCR, palmaris longus and
    # FDS leave at the elbow and in the upper forearm; the AIN then supplies FDP (index),
    # FPL and pronator quadratus; the nerve passes the carpal tunnel to the thenar muscles
    # (recurrent branch) and the first two lumbricals.
    "median": (
        (
            "pronator teres", "flexor carpi radialis", "flexor digitorum superficialis", "flexor digitorum profundus index",
            "flexor pollicis longus", "pronator quadratus", "abductor pollicis brevis", "opponens pollicis",
        ),
        {
            "median nerve in the arm": (0, 0),
            "median nerve at the elbow": (0, 1),
            "median nerve in the forearm": (6, 6),
            "median nerve at the carpal tunnel": (6, 6),
            "recurrent thenar branch of the median nerve": (6, 6),
        },
    ),
    # MRC2010 ulnar nerve diagram; Stewart2010 ch. 8: FCU and FDP (ring, little) leave just below
    # the elbow; a lesion at Guyon's canal spares both and weakens the hypothenar and
    # interosseous muscles and adductor pollicis.
    "ulnar": (
        (
            "flexor carpi ulnaris", "flexor digitorum profundus little", "abductor digiti minimi",
            "first dorsal interosseous", "adductor pollicis",
        ),
        {
            "ulnar nerve in the arm": (0, 0),
            "ulnar nerve at the elbow": (0, 0),
            "ulnar nerve at Guyon's canal": (2, 2),
        },
    ),
    # Gray42, Stewart2010 ch. 14: iliacus is supplied in the iliac fossa above the inguinal
    # ligament; sartorius and quadriceps below it, in the femoral triangle.
    "femoral": (
        ("iliacus", "sartorius", "rectus femoris", "vastus lateralis", "vastus medialis", "vastus intermedius"),
        {"femoral nerve in the pelvis": (0, 0), "femoral nerve in the thigh": (1, 1)},
    ),
    # MRC2010 tibial nerve diagram; Stewart2010 ch. 16: gastrocnemius, soleus and popliteus from
    # the popliteal fossa; tibialis posterior and the long toe flexors in the leg; the plantar
    # nerves to the foot's intrinsic muscles below the tarsal tunnel.
    # Soleus has a branch in the popliteal fossa and another in the leg (Gray42): a lesion in the
    # leg may weaken it, so the table says nothing of it there.
    "tibial": (
        (
            "gastrocnemius", "soleus", "tibialis posterior", "flexor digitorum longus", "flexor hallucis longus",
            "abductor hallucis", "abductor digiti minimi pedis",
        ),
        {
            "tibial nerve at the popliteal fossa": (0, 0),
            "tibial nerve in the leg": (1, 2),
            "tibial nerve at the ankle": (5, 5),
        },
    ),
    # MRC2010 sciatic and common fibular diagrams; Stewart2010 ch. 15-16; Preston2020: the short
    # head of biceps femoris is the only muscle of the fibular division above the knee, so a
    # lesion at the fibular head spares it and a fibular-division lesion of the sciatic nerve
    # does not.
    "common fibular": (
        (
            "biceps femoris short head", "tibialis anterior", "extensor hallucis longus", "extensor digitorum longus",
            "fibularis longus", "fibularis brevis", "extensor digitorum brevis",
        ),
        {
            "fibular division of the sciatic nerve": (0, 0),
            "common fibular nerve at the fibular head": (1, 1),
        },
    ),
}

#: Branches off a chain and single-branch nerves: (lesion point, weak, spared). Same references.
BRANCHES = [
    # Stewart2010 ch. 7: the AIN syndrome weakens FDP (index), FPL and pronator quadratus only.
    (
        "anterior interosseous nerve",
        ("flexor digitorum profundus index", "flexor pollicis longus", "pronator quadratus"),
        ("pronator teres", "flexor carpi radialis", "flexor digitorum superficialis", "abductor pollicis brevis"),
    ),
    # MRC2010; Stewart2010 ch. 7: at the wrist the median nerve supplies the first two
    # lumbricals, opponens pollicis and abductor pollicis brevis; the forearm muscles are spared.
    (
        "median nerve at the carpal tunnel", ("lumbricals index middle", "opponens pollicis", "abductor pollicis brevis"),
        ("flexor digitorum profundus index", "flexor pollicis longus", "flexor digitorum superficialis", "pronator teres"),
    ),
    # Stewart2010 ch. 7: the recurrent branch supplies the thenar muscles, not the lumbricals.
    (
        "recurrent thenar branch of the median nerve",
        ("abductor pollicis brevis", "opponens pollicis"),
        ("lumbricals index middle", "flexor digitorum profundus index"),
    ),
    # MRC2010; Stewart2010 ch. 8: the deep branch supplies the hypothenar and interosseous muscles,
    # the ulnar lumbricals and adductor pollicis; palmaris brevis is the superficial branch's.
    (
        "deep branch of the ulnar nerve",
        ("first dorsal interosseous", "adductor pollicis", "abductor digiti minimi", "palmar interossei"),
        ("palmaris brevis", "flexor carpi ulnaris", "flexor digitorum profundus little"),
    ),
    ("superficial branch of the ulnar nerve", ("palmaris brevis",), ("first dorsal interosseous", "abductor digiti minimi")),
    # MRC2010: musculocutaneous nerve: coracobrachialis, biceps, brachialis.
    (
        "musculocutaneous nerve", ("coracobrachialis", "biceps", "brachialis"),
        ("deltoid", "triceps", "brachioradialis", "pronator teres"),
    ),
    # MRC2010: axillary nerve: deltoid and teres minor.
    ("axillary nerve", ("deltoid", "teres minor"), ("supraspinatus", "infraspinatus", "biceps", "triceps")),
    # MRC2010; Stewart2010 ch. 14: obturator nerve: the adductors, gracilis, obturator externus.
    (
        "obturator nerve", ("adductor longus", "adductor brevis", "gracilis", "obturator externus"),
        ("rectus femoris", "iliacus", "semitendinosus", "gluteus medius"),
    ),
    # MRC2010 sciatic diagram; Stewart2010 ch. 15: a sciatic lesion in the buttock weakens the
    # hamstrings and everything below the knee, and spares the glutei (their own nerves).
    (
        "sciatic nerve in the gluteal region",
        ("semitendinosus", "semimembranosus", "biceps femoris long head", "biceps femoris short head", "tibialis anterior",
         "gastrocnemius", "abductor hallucis"),
        ("gluteus maximus", "gluteus medius", "tensor fasciae latae", "adductor longus", "rectus femoris"),
    ),
    # Gray42: the hamstring part of adductor magnus is supplied with the hamstrings from the
    # tibial division in the thigh, not from the tibial nerve below the knee.
    (
        "tibial division of the sciatic nerve",
        ("semitendinosus", "semimembranosus", "biceps femoris long head", "adductor magnus hamstring part", "gastrocnemius",
         "tibialis posterior"),
        ("biceps femoris short head", "tibialis anterior", "fibularis longus", "gluteus maximus"),
    ),
    (
        "tibial nerve at the popliteal fossa", ("gastrocnemius", "soleus", "popliteus"),
        ("semitendinosus", "semimembranosus", "biceps femoris long head", "adductor magnus hamstring part"),
    ),
    # Stewart2010 ch. 16: deep fibular nerve: anterior compartment and EDB; superficial fibular
    # nerve: fibularis longus and brevis.
    (
        "deep fibular nerve",
        ("tibialis anterior", "extensor hallucis longus", "extensor digitorum longus", "extensor digitorum brevis"),
        ("fibularis longus", "fibularis brevis", "biceps femoris short head", "tibialis posterior"),
    ),
    (
        "superficial fibular nerve", ("fibularis longus", "fibularis brevis"),
        ("tibialis anterior", "extensor hallucis longus", "extensor digitorum brevis"),
    ),
    # Gray42: the collateral branches of the brachial plexus, each to its own muscles.
    ("dorsal scapular nerve", ("rhomboids",), ("serratus anterior", "supraspinatus", "deltoid")),
    # The scalenes take direct branches of the ventral rami (Gray42), not the long thoracic nerve.
    ("long thoracic nerve", ("serratus anterior",), ("rhomboids", "supraspinatus", "latissimus dorsi", "scalenus medius")),
    ("suprascapular nerve", ("supraspinatus", "infraspinatus"), ("deltoid", "teres minor", "subscapularis")),
    ("thoracodorsal nerve", ("latissimus dorsi",), ("teres major", "deltoid", "serratus anterior")),
    ("lower subscapular nerve", ("teres major",), ("latissimus dorsi", "supraspinatus")),
    ("nerve to subclavius", ("subclavius",), ("supraspinatus", "serratus anterior")),
    # Gray42: the ansa cervicalis supplies the infrahyoid muscles; the cervical plexus's direct
    # muscular branches the prevertebral muscles; the phrenic nerve the diaphragm.
    ("ansa cervicalis", ("sternohyoid", "sternothyroid", "omohyoid"), ("longus capitis", "rectus capitis anterior", "diaphragm")),
    ("phrenic nerve", ("diaphragm",), ("intercostales", "scalenus anterior", "sternohyoid")),
    # Gray42: the gluteal nerves; the pudendal nerve supplies the external sphincters.
    ("superior gluteal nerve", ("gluteus medius", "gluteus minimus", "tensor fasciae latae"), ("gluteus maximus", "piriformis")),
    ("inferior gluteal nerve", ("gluteus maximus",), ("gluteus medius", "tensor fasciae latae", "semitendinosus")),
    ("pudendal nerve", ("external anal sphincter", "external urethral sphincter"), ("gluteus maximus", "coccygeus")),
    # Gray42: the lower six thoracic nerves supply the abdominal wall, T7 to T9 its upper part.
    ("T7 intercostal nerve", ("rectus abdominis upper", "external oblique"), ("rectus abdominis lower", "diaphragm")),
    ("subcostal nerve", ("rectus abdominis lower", "external oblique"), ("rectus abdominis upper",)),
    # Stewart2010 ch. 16: the plantar nerves.
    ("medial plantar nerve", ("abductor hallucis", "flexor digitorum brevis"), ("abductor digiti minimi pedis", "adductor hallucis")),
    ("lateral plantar nerve", ("abductor digiti minimi pedis", "adductor hallucis"), ("abductor hallucis", "flexor digitorum brevis")),
]

#: The plexus parts (Gray42; Stewart2010 ch. 5 and 13; Preston2020 ch. 32): what a lesion of each
#: trunk and cord weakens, and the muscles whose nerves leave proximal to it or from elsewhere.
PLEXUS = [
    # Upper trunk (Erb): C5-C6 muscles; the rhomboids (dorsal scapular) and serratus anterior
    # (long thoracic) are supplied from the roots above it and are spared.
    (
        "upper trunk", ("supraspinatus", "infraspinatus", "deltoid", "biceps", "brachioradialis"),
        ("rhomboids", "serratus anterior", "first dorsal interosseous", "abductor digiti minimi"),
    ),
    ("middle trunk", ("triceps", "extensor digitorum"), ("deltoid", "biceps", "first dorsal interosseous")),
    (
        "lower trunk", ("first dorsal interosseous", "abductor digiti minimi", "abductor pollicis brevis"),
        ("deltoid", "biceps", "supraspinatus", "rhomboids"),
    ),
    # Lateral cord: musculocutaneous nerve and the lateral root of the median nerve.
    ("lateral cord", ("biceps", "coracobrachialis", "pronator teres"), ("deltoid", "triceps", "first dorsal interosseous", "supraspinatus")),
    # Posterior cord: axillary, radial, thoracodorsal and subscapular nerves.
    (
        "posterior cord", ("deltoid", "latissimus dorsi", "triceps", "brachioradialis", "extensor digitorum"),
        ("biceps", "supraspinatus", "first dorsal interosseous", "serratus anterior"),
    ),
    # Medial cord: ulnar nerve and the medial root of the median nerve (C8-T1 hand muscles).
    (
        "medial cord", ("first dorsal interosseous", "abductor digiti minimi", "abductor pollicis brevis", "flexor carpi ulnaris"),
        ("deltoid", "biceps", "triceps", "extensor digitorum"),
    ),
    # Lumbosacral trunk (L4-L5 to the sacral plexus): tibialis anterior and gluteus medius weak,
    # the femoral and obturator muscles (the lumbar plexus) spared.
    (
        "lumbosacral trunk", ("tibialis anterior", "gluteus medius", "extensor hallucis longus"),
        ("rectus femoris", "vastus lateralis", "adductor longus", "iliacus"),
    ),
]


def chain_cases():
    for nerve, (order, points) in CHAINS.items():
        for point, (spared_up_to, weak_from) in points.items():
            yield pytest.param(point, order[weak_from:], order[:spared_up_to], id=f"{nerve}: {point}")


@pytest.mark.parametrize("point, distal, proximal", list(chain_cases()))
def test_a_lesion_along_a_nerve_weakens_the_muscles_distal_to_it_and_spares_those_above(packaged_anatomy, point, distal, proximal):
    found = grades(packaged_anatomy, f"left {point}", distal + proximal)
    assert weak({name: found[name] for name in distal}) == sorted(distal)
    assert spared({name: found[name] for name in proximal}) == sorted(proximal)


@pytest.mark.parametrize(
    "point, affected, unaffected", [pytest.param(*case, id=case[0]) for case in BRANCHES + PLEXUS]
)
def test_a_branch_or_plexus_lesion_weakens_its_own_muscles_only(packaged_anatomy, point, affected, unaffected):
    found = grades(packaged_anatomy, f"left {point}", affected + unaffected)
    assert weak({name: found[name] for name in affected}) == sorted(affected)
    assert spared({name: found[name] for name in unaffected}) == sorted(unaffected)


@pytest.mark.parametrize("point", ["radial nerve at the spiral groove", "common fibular nerve at the fibular head"])
def test_a_nerve_lesion_stays_on_its_side(packaged_anatomy, point):
    found = grades(packaged_anatomy, f"left {point}", ["brachioradialis", "tibialis anterior"], side="right")
    assert spared(found) == ["brachioradialis", "tibialis anterior"]
