"""The layers between the apps hold, and the check that holds them would notice a breach."""

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.project_apps import APPS

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(
    not LINT_IMPORTS.exists(), reason="import-linter is installed with the dev extra"
)


def lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture
def tree(tmp_path):
    """A copy of the apps' Python files and the contracts, to break on purpose."""
    for app in APPS:
        shutil.copytree(
            ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns("__pycache__", "*.html")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_apps_keep_their_layers(tree):
    result = lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_upward_import_fails_the_check(tree):
    (tree / "coordinators" / "upward.py").write_text("from dashboards import flags  # noqa\n")
    result = lint(tree)
    assert result.returncode != 0
    assert "coordinators.upward -> dashboards.flags" in result.stdout


def test_the_flag_rules_may_not_import_django(tree):
    flags = tree / "dashboards" / "flags.py"
    flags.write_text("from django.db import models  # noqa\n" + flags.read_text())
    result = lint(tree)
    assert result.returncode != 0
    assert "dashboards.flags is not allowed to import django" in result.stdout


def test_the_documented_save_path_crosses_at_most_six_files_that_exist():
    """docs/architecture.md lists, step by step, the files one coordinator's save crosses to
    reach the director's dashboard flag: at most six, each of them real."""
    text = (ROOT / "docs" / "architecture.md").read_text()
    section = text.split("## One coordinator's save, to the director's dashboard flag")[1]
    section = section.split("\n## ")[0]
    steps = re.findall(r"^\d+\. `([\w/]+\.py)`", section, flags=re.MULTILINE)
    assert 1 < len(steps) <= 6
    assert all((ROOT / step).exists() for step in steps), steps
    assert steps[0].endswith("views/workflow.py") and steps[-1] == "dashboards/flags.py"


def test_the_layer_diagram_names_every_app_in_the_order_of_the_contract():
    """docs/architecture.md draws the layers of pyproject.toml: every app, top to bottom, the
    apps of one layer side by side between the same two bars."""
    contract = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    [layers] = [c["layers"] for c in contract["contracts"] if c["type"] == "layers"]
    text = (ROOT / "docs" / "architecture.md").read_text()
    diagram = text.split("```\n", 2)[1].split("```")[0]
    drawn = [
        {line.split()[0] for line in block.splitlines() if line.strip()}
        for block in re.split(r"^\s*│\s*$", diagram, flags=re.MULTILINE)
    ]
    assert drawn == [{app.strip() for app in layer.split("|")} for layer in layers]
    assert set().union(*drawn) == set(APPS)


def test_the_readme_layout_lists_every_app_in_the_order_of_the_layers():
    contract = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    [layers] = [c["layers"] for c in contract["contracts"] if c["type"] == "layers"]
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## The layout of the code")[1].split("\n## ")[0]
    listed = re.findall(r"^\| `(\w+)/` \|", section, flags=re.MULTILINE)
    assert listed == [app.strip() for layer in layers for app in layer.split("|")]
    assert all((ROOT / app / "apps.py").exists() for app in listed)
