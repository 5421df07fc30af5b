"""The typed public surface: mypy passes over the package, every public function and method is
annotated, and editors see the names that ``import neurograph`` loads on first use."""

import ast
import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import neurograph

REPO = Path(__file__).resolve().parent.parent


def public_modules():
    return [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(neurograph.__path__, "neurograph.")
        if not info.name.endswith("__main__")
    ]


def public_callables():
    """Every function, and every public method and property of every class, a module lists in ``__all__``."""
    for module in public_modules():
        for name in getattr(module, "__all__", ()):
            value = getattr(module, name)
            if getattr(value, "__module__", None) != module.__name__:
                continue  # listed where it is defined
            if inspect.isfunction(value):
                yield f"{module.__name__}.{name}", value
            elif inspect.isclass(value):
                for attribute, member in vars(value).items():
                    if attribute.startswith("_") and attribute != "__init__":
                        continue
                    if isinstance(member, property):
                        member = member.fget
                    elif isinstance(member, (classmethod, staticmethod)):
                        member = member.__func__
                    if inspect.isfunction(member):
                        yield f"{module.__name__}.{name}.{attribute}", member


def test_mypy_finds_no_error_in_the_package(tmp_path):
    pytest.importorskip("mypy")
    # The configuration is pyproject.toml's [tool.mypy]; the cache goes to a scratch folder.
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy_cache")],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_every_public_function_and_method_is_annotated():
    unannotated = []
    for name, function in public_callables():
        signature = inspect.signature(function)
        parameters = [p for p in signature.parameters if p not in ("self", "cls")]
        if signature.return_annotation is inspect.Signature.empty or any(
            signature.parameters[p].annotation is inspect.Parameter.empty for p in parameters
        ):
            unannotated.append(name)
    assert unannotated == []


def test_the_check_covers_the_result_classes():
    checked = {name for name, _ in public_callables()}
    for method in ("LesionResult.to_table", "Pathway.to_table", "Innervation.to_dict", "Supply.to_table"):
        assert f"neurograph.results.{method}" in checked
    assert {"neurograph.localization.Localization.best", "neurograph.lesion.simulate"} <= checked


def test_the_result_classes_are_exported_at_the_top_level():
    for name in (
        "LesionResult", "MuscleFinding", "ReflexFinding", "Route", "Pathway", "Innervation", "Supply", "Localization",
        "Hypothesis", "Findings", "MuscleExam", "Site", "Violation", "Preset",
    ):
        assert name in neurograph.__all__
        assert inspect.isclass(getattr(neurograph, name)), name


def test_editors_see_every_lazily_imported_name():
    """``if TYPE_CHECKING:`` in neurograph/__init__.py imports exactly what ``__getattr__`` loads."""
    tree = ast.parse((REPO / "neurograph" / "__init__.py").read_text())
    (block,) = [
        node for node in tree.body
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"
    ]
    seen = {
        alias.name: statement.module
        for statement in block.body if isinstance(statement, ast.ImportFrom)
        for alias in statement.names
    }
    assert seen == neurograph._LAZY


def test_the_package_is_marked_as_typed():
    assert (REPO / "neurograph" / "py.typed").is_file()
