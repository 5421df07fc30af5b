"""What a lesion does to muscles and reflexes named as a reference names them, for the reference tests."""

import neurograph


def grades(G, lesion, muscles, side="left", phase="chronic"):
    """The MRC grade of each named muscle (the weakest of a group) on ``side`` after ``lesion``."""
    result = neurograph.simulate(G, lesion, phase=phase)
    return {
        name: min(result.muscle(node).mrc_grade for node in neurograph.resolve_muscles(G, f"{side} {name}"))
        for name in muscles
    }


def reflex_state(G, lesion, reflex, side="left", phase="chronic"):
    """The state of one named reflex on ``side`` after ``lesion``."""
    return neurograph.simulate(G, lesion, phase=phase).reflex(f"{side} {reflex}").state


def weak(grades_found):
    return sorted(name for name, grade in grades_found.items() if grade < 5)


def spared(grades_found):
    return sorted(name for name, grade in grades_found.items() if grade == 5)
