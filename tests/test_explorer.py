"""The lesion explorer page: its embedded data and arithmetic equal simulate; it works offline in a browser.

Motor findings, sensation and anatomies that keep routes as bundles are each checked against
simulate, in Python (the page's arithmetic over its embedded data) and in the browser.

The browser test drives the system Chromium (Debian's ``chromium`` package) with Playwright,
without any browser download; it skips, saying why, where either is missing.
"""

import json
import re
import shutil
from pathlib import Path

import pytest

from neurograph import preset_lesion, simulate
from neurograph.explorer import MAX_BYTES, embedded_data, evaluate_rows, evaluate_sensation, explorer_data, explorer_html, write_explorer
from neurograph.errors import InvalidValueError

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
RADIAL = "radial nerve at the spiral groove (right)"


@pytest.fixture(scope="module")
def page(packaged_anatomy):
    return explorer_html(packaged_anatomy)


@pytest.fixture(scope="module")
def data(page):
    # The data as the page embeds it (deflated JSON in base64), read back from the page's text.
    return embedded_data(page)


@pytest.fixture(scope="module")
def chronic_results(packaged_anatomy):
    """Each single site of the atlas and its chronic lesion, simulated once for the module."""
    from neurograph.atlas import site_atlas

    sites = site_atlas(packaged_anatomy).sites
    return list(zip(sites, (simulate(packaged_anatomy, site) for site in sites)))


def expected(result):
    muscles = [(f.muscle, f.deficit, f.mrc_grade, f.tone, f.atrophy, f.fasciculations) for f in result.muscles]
    return muscles, [(r.reflex, r.state) for r in result.reflexes]


@pytest.mark.parametrize("phase", ["chronic", "acute"])
def test_every_single_site_equals_simulate(packaged_anatomy, data, chronic_results, phase):
    assert [site["label"] for site in data["sites"]] == [site.label for site, _ in chronic_results]
    for index, (site, result) in enumerate(chronic_results):
        if phase != "chronic":
            result = simulate(packaged_anatomy, site, phase=phase)
        assert evaluate_rows(data, [index], phase) == expected(result), site.label


def expected_sensation(result):
    return [(f.place, *f.grades.values()) for f in result.sensation], [tuple(level) for level in result.sensory_levels]


def sensation_of(data, indices):
    places, levels = evaluate_sensation(data, indices)
    return [tuple(place) for place in places], [tuple(level) for level in levels]


def test_every_single_site_sensation_equals_simulate(data, chronic_results):
    for index, (site, result) in enumerate(chronic_results):
        assert sensation_of(data, [index]) == expected_sensation(result), site.label


def test_sensory_pairs_equal_simulate(packaged_anatomy, data):
    from neurograph.atlas import site_atlas

    sites = site_atlas(packaged_anatomy).sites
    label = {site.label: index for index, site in enumerate(sites)}
    # Two neighbouring roots (the overlap of dermatomes no longer spares the skin between them),
    # a nerve with a root, and the two halves of the cord at different levels.
    for first, second in [("C6 dorsal root (left)", "C7 dorsal root (left)"), (RADIAL, "C6 dorsal root (right)"),
                          ("T10 cord segment, left", "T4 cord segment, right")]:
        pair = [label[first], label[second]]
        assert sensation_of(data, pair) == expected_sensation(simulate(packaged_anatomy, [sites[i] for i in pair]))
    brown_sequard = sensation_of(data, [label["T10 cord segment, left"]])
    # Ropper et al. 2019: vibration lost on the side of the hemisection, pin prick on the other.
    grades = {place[0]: place[1:] for place in brown_sequard[0]}
    assert grades["L.key_point.L3"][3] == 0 and grades["L.key_point.L3"][1] == 2
    assert grades["R.key_point.L3"][1] == 0 and grades["R.key_point.L3"][3] == 2


def test_pairs_equal_simulate(packaged_anatomy, data):
    from neurograph.atlas import site_atlas

    sites = site_atlas(packaged_anatomy).sites
    label = {site.label: index for index, site in enumerate(sites)}
    for first, second in [(RADIAL, "C7 ventral root (left)"), (RADIAL, "C7 cord segment, bilateral"),
                          ("internal capsule (posterior limb), left", "C5 ventral root (right)")]:
        pair = [label[first], label[second]]
        assert evaluate_rows(data, pair) == expected(simulate(packaged_anatomy, [sites[i] for i in pair]))


LATTICE_EDGE = ("R.radial.axilla", "R.radial.spiral_groove")


@pytest.fixture(scope="module")
def lattice(packaged_anatomy):
    from neurograph.testing import scaled

    # 8 x 8 nerve nodes in the radial nerve: 1,024 routes per unit below it, kept as bundles.
    return scaled.nerve_lattice(packaged_anatomy, 8, 8, edge=LATTICE_EDGE)


def test_an_anatomy_with_bundled_routes_is_explored_exactly(lattice):
    from neurograph.atlas import site_atlas

    bundled = json.loads(json.dumps(explorer_data(lattice)))
    assert bundled["bundles"] and bundled["unitBundle"]
    sites = site_atlas(lattice).sites
    on_bundles = sorted(int(key) for key in bundled["bundleHits"])
    assert len(on_bundles) > 64
    for index in on_bundles:
        assert evaluate_rows(bundled, [index]) == expected(simulate(lattice, sites[index])), sites[index].label
    # Two lattice nodes of one column cut more than either; a lattice node with the nerve below it.
    label = {site.label: index for index, site in enumerate(sites)}
    lattice_sites = [index for index in on_bundles if "lattice" in sites[index].label]
    for pair in ([lattice_sites[0], lattice_sites[1]], [lattice_sites[2], lattice_sites[9]],
                 [lattice_sites[3], label[RADIAL]]):
        assert evaluate_rows(bundled, pair) == expected(simulate(lattice, [sites[i] for i in pair]))


def test_the_page_is_self_contained_and_small(page):
    assert len(page.encode("utf-8")) <= MAX_BYTES
    # No address the page could fetch: no external script, style, image or link.
    assert not re.search(r"(src|href)\s*=", page)
    # The only address is the SVG namespace, a name the browser never fetches.
    addresses = set(re.findall(r"https?://[^\s\"'<>]+", page))
    assert addresses <= {"http://www.w3.org/2000/svg"}
    assert "default-src 'none'" in page


def test_written_atomically_as_html_only(packaged_anatomy, tmp_path):
    size = write_explorer(packaged_anatomy, tmp_path / "explorer.html")
    assert (tmp_path / "explorer.html").stat().st_size == size
    with pytest.raises(InvalidValueError, match="extension"):
        write_explorer(packaged_anatomy, tmp_path / "explorer.svg")
    assert [p.name for p in tmp_path.iterdir()] == ["explorer.html"]


def _browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium); the browser test needs it")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is not installed (pip install '.[test]')")
    return sync_playwright


LAUNCH_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module's browser tests (each opens its page in a fresh context)."""
    manager = _browser()().start()
    try:
        chromium = manager.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_FLAGS)
    except BaseException:
        manager.stop()
        raise
    yield chromium
    chromium.close()
    manager.stop()


def open_explorer(browser, path, blocked):
    """The page in a fresh browser context (no cookies, cache or storage shared), every non-file request
    aborted and recorded in ``blocked``."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    context.route(lambda url: not url.startswith("file:"), lambda route: (blocked.append(route.request.url), route.abort()))
    tab = context.new_page()
    tab.goto(path.as_uri())
    tab.wait_for_selector("body[data-ready='1']")
    return context, tab


def test_in_a_browser_offline(packaged_anatomy, page, browser, chronic_results, tmp_path):
    # The module's page, as write_explorer writes it (its writing is tested above and from the command line).
    path = tmp_path / "explorer.html"
    path.write_bytes(page.encode("utf-8"))
    blocked = []
    context, tab = open_explorer(browser, path, blocked)
    try:
        tab.get_by_role("button", name=RADIAL, exact=True).click()
        rows = tab.locator("#muscles tbody tr").all_inner_texts()
        # Preston & Shapiro 2020: wrist and finger extensors and brachioradialis weak (LMN), triceps spared.
        text = "\n".join(rows)
        assert "brachioradialis (right)\tLMN\t0" in text and "extensor digitorum (right)\tLMN\t0" in text
        assert "triceps" not in text
        radial = simulate(packaged_anatomy, "right radial nerve at the spiral groove")
        assert len(rows) == len(radial.muscles)
        # The map highlights the pathway: the lesion, the radial branches past it; the nerve above it intact.
        assert tab.locator('[data-key="R.radial.spiral_groove"]').get_attribute("class") == "n lesion"
        assert tab.locator('[data-key="R.radial.pin"]').get_attribute("class") == "n LMN"
        assert tab.locator('[data-key="R.radial.axilla"]').get_attribute("class") == "n"
        # The second site, shift-clicked on the map.
        tab.locator('[data-key="L.root.C7"]').click(modifiers=["Shift"])
        pair = simulate(packaged_anatomy, ["right radial nerve at the spiral groove", "left C7 ventral root"])
        rows = tab.locator("#muscles tbody tr").all_inner_texts()
        assert len(rows) == len(pair.muscles)
        assert "triceps brachii (left)" in "\n".join(rows)
        assert tab.locator("#lesion").inner_text().startswith(f"Lesion: {RADIAL} + C7 ventral root (left)")
        # The page's own arithmetic in the browser, for every single site, against simulate.
        found = tab.evaluate(
            "() => DATA.sites.map((s, i) => { const r = neurographEvaluate([i], 'chronic');"
            " return [r.muscles.map(m => [m.id, m.deficit, m.grade, m.tone, m.atrophy, m.fasciculations]),"
            " r.reflexes.map(x => [x.id, x.state])]; })"
        )
        assert len(found) == len(chronic_results)
        for (site, result), (muscles, reflexes) in zip(chronic_results, found):
            want_muscles, want_reflexes = expected(result)
            assert [tuple(m) for m in muscles] == want_muscles and [tuple(r) for r in reflexes] == want_reflexes, site.label
        sensed = tab.evaluate(
            "() => DATA.sites.map((s, i) => { const r = neurographSensation([i]);"
            " return [r.places.map(p => [p.id].concat(p.grades)), r.levels]; })"
        )
        assert len(sensed) == len(chronic_results)
        for (site, result), (places, levels) in zip(chronic_results, sensed):
            assert ([tuple(p) for p in places], [tuple(x) for x in levels]) == expected_sensation(result), site.label
        # The page shows the sensory findings of the lesion chosen.
        tab.get_by_role("button", name="T10 cord segment, left", exact=True).click()
        assert tab.locator("#levels").inner_text() == "Sensory level: left T9, right T10"
        assert "L3 key sensory point" in tab.locator("#sensation tbody").inner_text()
        # Both plantar responses are listed; the hemisection's below it on its own side is extensor
        # (Babinski; Ropper et al. 2019, ch. 42), the other flexor.
        reflexes = tab.locator("#reflexes tbody tr").all_inner_texts()
        assert "plantar response (left)\textensor" in reflexes and "plantar response (right)\tflexor" in reflexes
        # The presets are listed, and one lesions what preset_lesion names.
        presets = tab.locator("#presets button").all_inner_texts()
        assert "Brown-Sequard syndrome (hemisection)" in presets and "Erb's palsy (upper trunk)" in presets
        tab.get_by_role("button", name="Erb's palsy (upper trunk)", exact=True).click()
        erb = simulate(packaged_anatomy, preset_lesion(packaged_anatomy, "erb"))
        assert len(tab.locator("#muscles tbody tr").all_inner_texts()) == len(erb.muscles)
        # Preston & Shapiro 2020: the upper trunk's deltoid is weak.
        assert "deltoid (right)\tLMN\t0" in "\n".join(tab.locator("#muscles tbody tr").all_inner_texts())
        tab.screenshot(path=str(tmp_path / "explorer.png"), full_page=True)
        assert (tmp_path / "explorer.png").stat().st_size > 10_000
    finally:
        context.close()
    assert blocked == []


def test_bundled_anatomy_in_a_browser(lattice, browser, tmp_path):
    from neurograph.atlas import site_atlas

    path = tmp_path / "lattice.html"
    write_explorer(lattice, path)
    sites = site_atlas(lattice).sites
    blocked = []
    context, tab = open_explorer(browser, path, blocked)
    try:
        chosen = sorted(int(key) for key in tab.evaluate("() => Object.keys(DATA.bundleHits)"))
        pairs = [[chosen[0], chosen[1]], [chosen[5], chosen[40]]]
        found = tab.evaluate(
            "([singles, pairs]) => singles.map(i => [i]).concat(pairs).map(sites => { const r = neurographEvaluate(sites, 'chronic');"
            " return [r.muscles.map(m => [m.id, m.deficit, m.grade, m.tone, m.atrophy, m.fasciculations]),"
            " r.reflexes.map(x => [x.id, x.state])]; })", [chosen, pairs],
        )
        for indices, (muscles, reflexes) in zip([[i] for i in chosen] + pairs, found):
            want = expected(simulate(lattice, [sites[i] for i in indices]))
            assert ([tuple(m) for m in muscles], [tuple(r) for r in reflexes]) == want, [sites[i].label for i in indices]
    finally:
        context.close()
    assert blocked == []


def test_cli_explore(tmp_path):
    from click.testing import CliRunner

    from neurograph.cli import main

    target = tmp_path / "explorer.html"
    outcome = CliRunner().invoke(main, ["explore", "--output", str(target)])
    assert outcome.exit_code == 0, outcome.output
    assert target.read_bytes().startswith(b"<!DOCTYPE html>")
    refused = CliRunner().invoke(main, ["explore", "--output", str(tmp_path / "explorer.svg")])
    assert refused.exit_code == 1 and refused.output.startswith("Error: ") and not (tmp_path / "explorer.svg").exists()
