"""What a lesion does to muscles and reflexes named as a reference names them, for the reference tests."""

import weakref

import neurograph

# Each (graph, lesion, phase) is simulated once: the reference tables ask the same lesions many times.
_RESULTS = weakref.WeakKeyDictionary()


def simulated(G, lesion, phase="chronic"):
    """The (shared) result of ``simulate(G, lesion, phase=phase)``; callers must not modify it."""
    key = (tuple(lesion) if isinstance(lesion, list) else lesion, phase)
    results = _RESULTS.setdefault(G, {})
    if key not in results:
        results[key] = neurograph.simulate(G, lesion, phase=phase)
    return results[key]


def grades(G, lesion, muscles, side="left", phase="chronic"):
    """The MRC grade of each named muscle (the weakest of a group) on ``side`` after ``lesion``."""
    result = simulated(G, lesion, phase)
    return {
        name: min(result.muscle(node).mrc_grade for node in neurograph.resolve_muscles(G, f"{side} {name}"))
        for name in muscles
    }


def reflex_state(G, lesion, reflex, side="left", phase="chronic"):
    """The state of one named reflex on ``side`` after ``lesion``."""
    return simulated(G, lesion, phase).reflex(f"{side} {reflex}").state


def weak(grades_found):
    return sorted(name for name, grade in grades_found.items() if grade < 5)


def spared(grades_found):
    return sorted(name for name, grade in grades_found.items() if grade == 5)
