"""Among lesions that explain an examination equally, the focal one is named first.

Localization looks for the smallest lesion that explains every finding (Brazis, Masdeu and
Biller, Localization in Clinical Neurology, 6th edn, 2011, ch. 1): when a point of a nerve and a
longer stretch of it (or the whole nerve) explain a picture equally, the points come first and
the extended lesions after them.
"""

import neurograph
from neurograph.findings import findings_from_result
from neurograph.localization import localize


def test_points_of_the_ulnar_nerve_come_before_stretches_of_it(packaged_anatomy):
    G = packaged_anatomy
    result = localize(G, findings_from_result(neurograph.simulate(G, "right ulnar nerve at the elbow")), max_sites=1, top=12)
    best = result.hypotheses[0].score
    tied = [hypothesis.sites[0] for hypothesis in result.hypotheses if hypothesis.score == best]
    structures = [len({G.nodes[node].get("structure", node) for node in site.nodes}) for site in tied]
    # A point is one structure (the nerve point and its afferent twin); a stretch is several.
    assert structures[0] == 1, [site.label for site in tied]
    assert "ulnar nerve at the elbow (right)" in [site.label for site in tied if len({G.nodes[n].get("structure", n) for n in site.nodes}) == 1]
    assert structures == sorted(structures), [site.label for site in tied]
    assert max(structures) > 1
