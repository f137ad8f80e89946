"""The pure rule modules: each is mutation-tested, by tests that import neither Django nor
anything that needs a database."""

import ast
import sys
import tomllib
from pathlib import Path

import pytest

from mutation.run import own_tests, pure_modules

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
MUTMUT = PYPROJECT["tool"]["mutmut"]
PURE_CONTRACT = next(
    contract
    for contract in PYPROJECT["tool"]["importlinter"]["contracts"]
    if contract["name"].startswith("The pure rules")
)
ALLOWED = set(sys.stdlib_module_names) | {"pytest", "hypothesis"}


def dotted(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


PURE = {dotted(path) for path in pure_modules()}


def test_every_pure_module_is_mutation_tested():
    assert PURE == set(PURE_CONTRACT["source_modules"])


def test_mutmut_runs_each_pure_modules_own_tests():
    assert set(MUTMUT["pytest_add_cli_args_test_selection"]) == {
        own_tests(path) for path in pure_modules()
    }
    assert "no:django" in MUTMUT["pytest_add_cli_args"]


def imported_modules(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names |= {
                f"{node.module}.{alias.name}"
                if f"{node.module}.{alias.name}" in PURE
                else node.module
                for alias in node.names
            }
    return names


@pytest.mark.parametrize("module", pure_modules())
def test_the_tests_of_a_pure_module_import_only_pure_code(module):
    tree = ast.parse((ROOT / own_tests(module)).read_text())
    impure = {
        name
        for name in imported_modules(tree)
        if name.split(".")[0] not in ALLOWED and name not in PURE
    }
    assert not impure, f"{own_tests(module)} imports {sorted(impure)}: they need Django"


def test_the_check_notices_an_import_that_needs_django():
    tree = ast.parse("from rubrics.models import CategoryKey\nfrom dashboards import flags\n")
    assert imported_modules(tree) == {"rubrics.models", "dashboards.flags"}
