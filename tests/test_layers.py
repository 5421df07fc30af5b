"""The package's layers: a module imports only from its own layer or lower ones, and no
module imports another module's underscore names.

Lowest first. ``results`` holds the result classes that the engine's callers construct, so it
sits below them; it shows a lesion's diagram and its ISNCSCI exam through ``drawing`` and
``isncsci``, which therefore sit below it and read the engine core (``engine.node_effects``,
``engine.mrc_grade``), never ``lesion`` or ``results``. Every import counts, also one inside a
function. A new module must be given its layer here.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "neurograph"

LAYERS = (
    ("errors", "schema", "graph", "tables", "files"),
    ("io", "validation", "writing", "variants"),
    ("cache", "routes", "engine"),
    ("resolve", "isncsci"),
    ("drawing",),
    ("results",),
    ("lesion", "paths", "atlas", "inference", "localization", "findings", "presets", "stats", "explorer", "cohort", "cranial"),
    ("cli", "__main__", "__init__", "testing"),
)
LAYER = {name: level for level, names in enumerate(LAYERS) for name in names}


def module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 2 else parts)


def layer_of(module):
    """The layer of ``neurograph.x`` or ``neurograph.x.y``: that of its first part below the package."""
    parts = module.split(".")
    return LAYER.get(parts[1] if len(parts) > 1 else "__init__")


def imports(path, importer=None):
    """Every neurograph module ``path`` imports (anywhere in it): ``(module, name taken or None, line)``."""
    tree = ast.parse(path.read_text(), filename=str(path))
    importer = importer or module_name(path)
    package = importer if path.name == "__init__.py" else importer.rpartition(".")[0]
    found = []
    module_aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            if base == "neurograph" or base.startswith("neurograph."):
                for alias in node.names:
                    submodule = f"{base}.{alias.name}"
                    if (PACKAGE.parent / Path(*submodule.split("."))).with_suffix(".py").exists() or (
                        PACKAGE.parent / Path(*submodule.split(".")) / "__init__.py"
                    ).exists():
                        found.append((submodule, None, node.lineno))
                        module_aliases[alias.asname or alias.name] = submodule
                    else:
                        found.append((base, alias.name, node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "neurograph" or alias.name.startswith("neurograph."):
                    found.append((alias.name, None, node.lineno))
                    module_aliases[alias.asname or alias.name] = alias.name
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            dotted = ast.unparse(node.value)
            if dotted in module_aliases:
                found.append((module_aliases[dotted], node.attr, node.lineno))
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer():
    missing = [str(path.relative_to(PACKAGE)) for path in MODULES if layer_of(module_name(path)) is None]
    assert not missing, f"give these modules a layer in tests/test_layers.py: {missing}"


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_a_module_imports_no_higher_layer_and_no_underscore_name_of_another(path):
    importer = module_name(path)
    level = layer_of(importer)
    problems = []
    for module, name, line in imports(path):
        if module != importer and layer_of(module) is not None and level is not None and layer_of(module) > level:
            problems.append(f"line {line}: imports {module} from a higher layer")
        if name and name.startswith("_") and not name.startswith("__") and module != importer:
            problems.append(f"line {line}: takes the underscore name {name} of {module}")
    assert not problems, problems


def test_there_is_no_import_cycle():
    graph = {module_name(path): {module for module, _, _ in imports(path)} for path in MODULES}
    state = {}

    def visit(module, trail):
        if state.get(module) == "done":
            return None
        if state.get(module) == "open":
            return trail[trail.index(module):] + [module]
        state[module] = "open"
        for imported in sorted(graph.get(module, ())):
            # A package's own submodules are not imported back by the package; skip that edge.
            if imported.startswith(module + ".") or module.startswith(imported + ".") or imported == "neurograph":
                continue
            cycle = visit(imported, trail + [module])
            if cycle:
                return cycle
        state[module] = "done"
        return None

    for module in sorted(graph):
        cycle = visit(module, [])
        assert cycle is None, " -> ".join(cycle)


def test_the_checks_see_function_level_imports_and_private_attributes(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(
        "def f():\n    from neurograph.lesion import _secret\n    from . import routes as r\n    return r._hidden\n"
    )
    found = {(module, name) for module, name, _ in imports(probe, importer="neurograph.probe")}
    assert {("neurograph.lesion", "_secret"), ("neurograph.routes", "_hidden")} <= found
