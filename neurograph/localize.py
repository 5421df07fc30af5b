"""Localization: from examination findings to ranked lesion sites.

Every single site of the anatomy (:func:`neurograph.resolve.atlas_sites`) is simulated once per
anatomy and phase, and what it predicts is kept as arrays: an MRC grade, tone, wasting and
fasciculations per muscle, and a direction per reflex (-1 reduced, absent or mute; 0 normal;
+1 brisk or extensor). Scoring a hypothesis against a findings record is then array
arithmetic: each examined item is *explained* (abnormal and predicted so), *contradicted*
(predicted abnormal but found normal, or abnormal the other way) or *unexplained* (found
abnormal, predicted normal); the score is explained minus contradicted minus unexplained.

Pairs of sites: only sites that explain at least one finding are paired. Each pair's score is
bounded from above with bit sets (exactly for every item whose pools have one corticospinal
route, optimistically for the others; see ``_pair_bounds``), and pairs are simulated
together in decreasing order of that bound until it falls below the best exact score: the best
pair is never missed.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

from neurograph.errors import InvalidValueError
from neurograph.results import _Displayable
from neurograph.routes import cached_per_graph

__all__ = ["localize", "Hypothesis", "Localization"]

_DIRECTION = {
    "absent": -1, "reduced": -1, "mute": -1, "normal": 0, "present": 0, "flexor": 0, "brisk": 1, "clonus": 1,
    "extensor": 1,
}
_GRADE_DIRECTION = {"0": -1, "1+": -1, "2+": 0, "3+": 1, "4+": 1}
_PLANTAR_DIRECTION = {"mute": -1, "flexor": 0, "extensor": 1}


@dataclass(frozen=True, repr=False)
class Hypothesis(_Displayable):
    """One candidate lesion: its sites, score, and which findings it explains or not."""

    sites: tuple
    score: float
    explains: tuple
    contradicts: tuple
    unexplained: tuple

    @property
    def label(self):
        return " + ".join(site.label for site in self.sites)

    @property
    def explanation(self):
        """The hypothesis in plain words."""
        words = f"A lesion of {self.label} explains {len(self.explains)} finding(s)"
        if self.contradicts:
            words += f", contradicts {len(self.contradicts)} ({', '.join(self.contradicts[:3])})"
        if self.unexplained:
            words += f", leaves {len(self.unexplained)} unexplained ({', '.join(self.unexplained[:3])})"
        return words + "."

    def to_dict(self):
        """Return a JSON-serialisable dict."""
        return {
            "sites": [site.to_dict() for site in self.sites], "label": self.label, "score": self.score,
            "explains": list(self.explains), "contradicts": list(self.contradicts),
            "unexplained": list(self.unexplained), "explanation": self.explanation,
        }

    def _short_repr(self):
        return f"<Hypothesis {self.label}: score {self.score:g}>"

    def _html_parts(self):
        rows = [["explains", item] for item in self.explains] + [["contradicts", item] for item in self.contradicts]
        rows += [["unexplained", item] for item in self.unexplained]
        return self.label, [("", ["", "finding"], rows)], self.explanation


@dataclass(frozen=True, repr=False)
class Localization(_Displayable):
    """Ranked hypotheses, the ties at the top, and the examination that would separate them."""

    hypotheses: tuple
    ties: tuple
    separating: str = ""
    graph: object = field(default=None, compare=False)

    @property
    def best(self):
        return self.hypotheses[0] if self.hypotheses else None

    def to_dict(self):
        """Return a JSON-serialisable dict (what ``neurograph localize --json`` prints)."""
        return {
            "hypotheses": [hypothesis.to_dict() for hypothesis in self.hypotheses],
            "ties": [hypothesis.label for hypothesis in self.ties],
            "separating": self.separating,
        }

    def _short_repr(self):
        best = self.best.label if self.best else "nothing"
        return f"<Localization best: {best}; {len(self.ties)} tied; {len(self.hypotheses)} hypotheses>"

    def _html_parts(self):
        rows = [[rank, h.label, f"{h.score:g}", len(h.explains), len(h.contradicts), len(h.unexplained)]
                for rank, h in enumerate(self.hypotheses, start=1)]
        caption = f"Tied at the top: {', '.join(h.label for h in self.ties)}. {self.separating}" if len(self.ties) > 1 else ""
        return "Localization", [("", ["rank", "sites", "score", "explains", "contradicts", "unexplained"], rows)], caption


_PREDICTED = ("grade", "spastic", "flaccid", "atrophy", "fasciculations")


def _empty_prediction(rows, muscles, reflexes):
    import numpy as np

    shape = (rows, muscles)
    prediction = {name: np.zeros(shape, dtype=bool) for name in _PREDICTED[1:]}
    prediction["grade"] = np.full(shape, 5, dtype=np.int8)
    prediction["reflex"] = np.zeros((rows, reflexes), dtype=np.int8)
    return prediction


class _Atlas:
    """What every single site predicts, as arrays over muscles and reflexes."""

    def __init__(self, G, phase):
        from neurograph.lesion import simulate
        from neurograph.resolve import atlas_sites
        from neurograph.routes import route_table

        self.phase = phase
        self.sites = atlas_sites(G)
        self.muscles = tuple(sorted(n for n, d in G.nodes(data=True) if d["kind"] == "muscle"))
        self.reflexes = tuple(sorted(n for n, d in G.nodes(data=True) if d["kind"] == "reflex"))
        self.muscle_index = {m: i for i, m in enumerate(self.muscles)}
        self.reflex_index = {r: i for i, r in enumerate(self.reflexes)}
        self.prediction = _empty_prediction(len(self.sites), len(self.muscles), len(self.reflexes))
        table = route_table(G)
        self.depth = [min(table.depth[node] for node in site.nodes) for site in self.sites]
        for row, site in enumerate(self.sites):
            self.record(self.prediction, row, simulate(G, site, phase=phase))

    def record(self, prediction, row, result):
        """Write what a simulated lesion predicts into row ``row`` of ``prediction``."""
        for muscle, _, grade, tone, atrophy, fasciculations, _ in result.deficits:
            column = self.muscle_index[muscle]
            prediction["grade"][row, column] = grade
            prediction["spastic"][row, column] = tone == "spastic"
            prediction["flaccid"][row, column] = tone == "flaccid"
            prediction["atrophy"][row, column] = atrophy
            prediction["fasciculations"][row, column] = fasciculations
        for finding in result.reflexes:
            prediction["reflex"][row, self.reflex_index[finding.reflex]] = _DIRECTION[finding.state]

    def predict(self, G, sites):
        """The one-row prediction of several sites lesioned together, simulated exactly."""
        from neurograph.lesion import simulate

        prediction = _empty_prediction(1, len(self.muscles), len(self.reflexes))
        self.record(prediction, 0, simulate(G, list(sites), phase=self.phase))
        return prediction


_ATLASES = {"acute": weakref.WeakKeyDictionary(), "chronic": weakref.WeakKeyDictionary()}


def _atlas(G, phase):
    return cached_per_graph(_ATLASES[phase], G, lambda graph: _Atlas(graph, phase))


class _Observation:
    """A findings record as item vectors: which items are abnormal, and in which direction."""

    def __init__(self, G, atlas, findings):
        import numpy as np

        self.labels, self.muscle_columns, self.muscle_items = [], [], []
        for muscle, exam in sorted(findings.muscles.items()):
            column = atlas.muscle_index[muscle]
            label = G.nodes[muscle]["label"]
            self.muscle_columns.append(column)
            self.muscle_items.append((column, "weak", exam.mrc_grade < 5, f"{label}: MRC {exam.mrc_grade}"))
            if exam.tone is not None:
                self.muscle_items.append((column, "spastic", exam.tone == "spastic", f"{label}: tone {exam.tone}"))
                self.muscle_items.append((column, "flaccid", exam.tone == "flaccid", f"{label}: tone {exam.tone}"))
            for flag in ("atrophy", "fasciculations"):
                if getattr(exam, flag) is not None:
                    words = flag if getattr(exam, flag) else f"no {flag}"
                    self.muscle_items.append((column, flag, getattr(exam, flag), f"{label}: {words}"))
        self.reflex_items = []
        for reflex, grade in sorted(findings.reflexes.items()):
            self.reflex_items.append((atlas.reflex_index[reflex], _GRADE_DIRECTION[grade], f"{G.nodes[reflex]['label']}: {grade}"))
        for side, response in sorted(findings.plantar.items()):
            node = f"{side}.reflex.plantar_response"
            self.reflex_items.append((atlas.reflex_index[node], _PLANTAR_DIRECTION[response], f"{G.nodes[node]['label']}: {response}"))
        self.labels = [item[3] for item in self.muscle_items] + [item[2] for item in self.reflex_items]
        self.abnormal = np.array(
            [bool(item[2]) for item in self.muscle_items] + [item[1] != 0 for item in self.reflex_items], dtype=bool
        )

    def judge(self, prediction):
        """Per row of a prediction and per item: explained, contradicted, unexplained (boolean arrays)."""
        import numpy as np

        columns = [
            prediction["grade"][:, column] < 5 if kind == "weak" else prediction[kind][:, column]
            for column, kind, _, _ in self.muscle_items
        ]
        rows = prediction["grade"].shape[0]
        predicted_abnormal = np.stack(columns, axis=1) if columns else np.zeros((rows, 0), dtype=bool)
        reflex = prediction["reflex"]
        observed = self.abnormal[: len(self.muscle_items)]
        explained = predicted_abnormal & observed
        contradicted = predicted_abnormal & ~observed
        unexplained = ~predicted_abnormal & observed
        if self.reflex_items:
            directions = np.stack([reflex[:, column] for column, _, _ in self.reflex_items], axis=1)
            wanted = np.array([direction for _, direction, _ in self.reflex_items])
            explained = np.concatenate([explained, (wanted != 0) & (directions == wanted)], axis=1)
            contradicted = np.concatenate([contradicted, (directions != 0) & (directions != wanted)], axis=1)
            unexplained = np.concatenate([unexplained, (wanted != 0) & (directions == 0)], axis=1)
        return explained, contradicted, unexplained


def _hypothesis(observation, sites, explained, contradicted, unexplained):
    labels = observation.labels
    return Hypothesis(
        sites=tuple(sites),
        score=float(explained.sum() - contradicted.sum() - unexplained.sum()),
        explains=tuple(labels[i] for i in explained.nonzero()[0]),
        contradicts=tuple(labels[i] for i in contradicted.nonzero()[0]),
        unexplained=tuple(labels[i] for i in unexplained.nonzero()[0]),
    )


def localize(G, findings, max_sites=2, top=10):
    """Rank the lesion sites (single sites and pairs) that best explain a findings record.

    Parameters
    ----------
    G : networkx.DiGraph
    findings : Findings
        See :mod:`neurograph.findings`.
    max_sites : {1, 2}
        Whether pairs of sites are considered.
    top : int
        How many hypotheses to return.

    Returns
    -------
    Localization
        Hypotheses best first: higher score first, then fewer sites (a single site that
        explains everything ranks above any pair), then the more proximal site. ``ties`` are
        those level with the best; ``separating`` names the examination whose predicted finding
        differs most between the first two of them.

    Examples
    --------
    >>> import neurograph
    >>> from neurograph.findings import findings_from_dict
    >>> G = neurograph.load_anatomy()
    >>> exam = findings_from_dict(G, {"muscles": {"right brachioradialis": 1, "right extensor digitorum": 0,
    ...     "right extensor carpi ulnaris": 0, "right triceps": 5, "right deltoid": 5, "right FDI": 5}})
    >>> localize(G, exam, max_sites=1).best.label
    'radial nerve at the spiral groove (right)'
    """
    if max_sites not in (1, 2):
        raise InvalidValueError("max_sites", max_sites, "1 or 2")
    if not isinstance(top, int) or top < 1:
        raise InvalidValueError("top", top, "a whole number of at least 1")
    atlas = _atlas(G, findings.phase)
    observation = _Observation(G, atlas, findings)
    if not observation.abnormal.any():
        raise InvalidValueError("findings", "no abnormal finding", "at least one abnormal finding to localize")
    explained, contradicted, unexplained = observation.judge(atlas.prediction)
    scores = explained.sum(axis=1) - contradicted.sum(axis=1) - unexplained.sum(axis=1)
    singles = sorted(range(len(atlas.sites)), key=lambda row: (-scores[row], atlas.depth[row], atlas.sites[row].label))
    # Every single site level with the best is kept, so that ties are reported whole.
    kept = [row for row in singles if scores[row] == scores[singles[0]]] or singles[:1]
    kept += [row for row in singles[: max(top, 2)] if row not in kept]
    hypotheses, ranking = [], {}
    for row in kept:
        hypothesis = _hypothesis(observation, [atlas.sites[row]], explained[row], contradicted[row], unexplained[row])
        hypotheses.append(hypothesis)
        ranking[hypothesis.sites] = (-hypothesis.score, 1, atlas.depth[row])
    if max_sites == 2:
        for hypothesis, key in _pairs(G, atlas, observation, explained, int(scores[singles[0]]), top):
            hypotheses.append(hypothesis)
            ranking[hypothesis.sites] = key
    hypotheses.sort(key=lambda hypothesis: (ranking[hypothesis.sites], hypothesis.label))
    best_key = ranking[hypotheses[0].sites][:2]
    ties = tuple(h for h in hypotheses if ranking[h.sites][:2] == best_key)
    separating = _separating(G, atlas, ties) if len(ties) > 1 else ""
    return Localization(hypotheses=tuple(hypotheses[:top]), ties=ties, separating=separating, graph=G)


def _pair_bounds(G, atlas, observation, rows):
    """Upper bounds on the scores of every pair of ``rows`` lesioned together, as arrays.

    Exact for every item whose pools have one corticospinal route: weakness, wasting,
    fasciculations and flaccidity of two complete lesions together are the unions of each
    one's; a muscle is spastic only where neither takes its lower motor neurons; a reflex is
    reduced where either reduces it and brisk where either makes it brisk and neither reduces
    it. An item of a pool with two routes (neck and trunk pools, which the anterior tract also
    reaches) can lose its drive only when both sites act together, so there the bound assumes
    the best case.
    """
    import numpy as np

    prediction = atlas.prediction
    kinds = np.array([kind for _, kind, _, _ in observation.muscle_items])
    columns = [column for column, _, _, _ in observation.muscle_items]

    def of(kind):
        if not columns:
            return np.zeros((len(rows), 0), dtype=bool)
        values = prediction["grade"][np.ix_(rows, columns)] < 5 if kind == "weak" else prediction[kind][np.ix_(rows, columns)]
        return values & (kinds == kind)

    reflex_columns = [column for column, _, _ in observation.reflex_items]
    directions = prediction["reflex"][np.ix_(rows, reflex_columns)] if reflex_columns else np.zeros((len(rows), 0))
    first, second = np.triu_indices(len(rows), 1)
    pair = lambda table: table[first] | table[second]  # noqa: E731
    weak, flaccid, atrophy, fasciculations = (pair(of(kind)) for kind in ("weak", "flaccid", "atrophy", "fasciculations"))
    spastic = pair(of("spastic"))
    # A spastic item is followed by the flaccid item of the same muscle (see _Observation).
    spastic[:, :-1] &= ~flaccid[:, 1:]
    predicted = weak | flaccid | spastic | atrophy | fasciculations
    negative = pair(directions < 0)
    positive = pair(directions > 0) & ~negative
    wanted = np.array([direction for _, direction, _ in observation.reflex_items])
    observed = observation.abnormal
    muscles = len(columns)
    explained = np.concatenate([predicted & observed[:muscles], (negative & (wanted < 0)) | (positive & (wanted > 0))], axis=1)
    said = np.concatenate([predicted, negative | positive], axis=1)
    contradicted = said & ~explained
    unexplained = observed & ~said
    uncertain = _uncertain_items(G, atlas, observation)
    score = explained.sum(axis=1) - contradicted.sum(axis=1) - unexplained.sum(axis=1)
    return first, second, score + 2 * (unexplained & uncertain).sum(axis=1)


def _uncertain_items(G, atlas, observation):
    """Which items belong to pools with more than one corticospinal route (see _pair_bounds)."""
    import numpy as np

    from neurograph.routes import route_table

    table = route_table(G)
    shared = {key for key, pool in table.pools.items() if len(pool.routes) > 1}
    muscles = {m for key in shared for m in table.muscles_by_pool[key]}
    reflexes = {arc.node for arc in table.reflexes.values() if set(arc.pools) & shared}
    return np.array(
        [atlas.muscles[column] in muscles for column, _, _, _ in observation.muscle_items]
        + [atlas.reflexes[column] in reflexes for column, _, _ in observation.reflex_items],
        dtype=bool,
    )


def _rows_on_shared_pools(G, atlas):
    """Atlas rows of the sites that lie on a route of a pool with more than one route."""
    from neurograph.routes import route_table

    table = route_table(G)
    on_routes = {
        node for pool in table.pools.values() if len(pool.routes) > 1 for route in pool.routes for node in route[:-1]
    }
    return [row for row, site in enumerate(atlas.sites) if not site.nodes.isdisjoint(on_routes)]


def _pairs(G, atlas, observation, explained, best_single, shown):
    """The best pairs, provably: bounded as arrays, then simulated in decreasing order of bound.

    Only sites that explain something are paired (a site that explains nothing alone cannot make
    a pair beat its partner, except on a neck or trunk pool both must cut, and when such an item
    is found abnormal the sites on those pools' routes are paired too). Every pair whose bound beats the best single site is simulated
    in decreasing order of bound until the bound falls below the best exact score, so no better
    pair is missed; pairs that can at most tie the best single site rank below it (parsimony),
    and ``shown`` of them are scored for the listing.
    """
    import numpy as np

    rows = set(np.flatnonzero(explained.any(axis=1)).tolist())
    if (_uncertain_items(G, atlas, observation) & observation.abnormal).any():
        # Two sites together can cut both routes of a neck or trunk pool while neither explains
        # anything alone: every site on those routes is paired too.
        rows |= set(_rows_on_shared_pools(G, atlas))
    rows = np.array(sorted(rows), dtype=np.intp)
    first, second, upper = _pair_bounds(G, atlas, observation, rows)
    singles = {site.nodes for site in atlas.sites}
    order = np.argsort(-upper, kind="stable")
    found, best, tying = [], None, 0
    for index in order.tolist():
        bound = int(upper[index])
        a, b = int(rows[first[index]]), int(rows[second[index]])
        if bound < best_single or (best is not None and bound < best and bound <= best_single):
            break
        if bound == best_single and (tying >= shown or (best is not None and best > best_single)):
            continue
        if atlas.sites[a].nodes | atlas.sites[b].nodes in singles:
            continue  # the two halves of one region are that region, already scored as a single site
        sites = (atlas.sites[a], atlas.sites[b])
        e, c, u = observation.judge(atlas.predict(G, sites))
        hypothesis = _hypothesis(observation, sites, e[0], c[0], u[0])
        found.append((hypothesis, (-hypothesis.score, 2, min(atlas.depth[a], atlas.depth[b]))))
        best = hypothesis.score if best is None else max(best, hypothesis.score)
        tying += bound == best_single
    return found


def _separating(G, atlas, ties):
    """The examination whose predicted finding differs most between the first tied hypothesis and
    the first other tie that predicts anything differently (ties that predict the same everywhere
    cannot be told apart by examination)."""
    from neurograph.lesion import simulate

    def deficits(result):
        return {row[0]: (row[1], row[2]) for row in result.deficits}

    first = simulate(G, list(ties[0].sites), phase=atlas.phase)
    first_deficits = deficits(first)
    for other in ties[1:]:
        second = simulate(G, list(other.sites), phase=atlas.phase)
        second_deficits = deficits(second)
        best, difference = "", 0
        for muscle in sorted(first_deficits.keys() | second_deficits.keys()):
            (a_class, a_grade), (b_class, b_grade) = (
                found.get(muscle, ("normal", 5)) for found in (first_deficits, second_deficits)
            )
            gap = abs(a_grade - b_grade) + 2 * (a_class != b_class)
            if gap > difference:
                label = G.nodes[muscle]["label"]
                best, difference = (
                    f"examine {label}: {a_class} MRC {a_grade} if {ties[0].label}, {b_class} MRC {b_grade} if {other.label}"
                ), gap
        for a, b in zip(first.reflexes, second.reflexes):
            gap = 3 * abs(_DIRECTION[a.state] - _DIRECTION[b.state])
            if gap > difference:
                best, difference = f"examine {a.label}: {a.state} if {ties[0].label}, {b.state} if {other.label}", gap
        if best:
            return best
    return f"no examination separates the {len(ties)} tied hypotheses in this anatomy"
