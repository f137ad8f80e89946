"""The layers between the apps hold, and the check that holds them would notice a breach."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("coordinators", "rubrics", "assessments", "growth", "dashboards", "growthmatrix")
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
