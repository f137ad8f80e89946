"""The project's own apps, in one place for the guard tests: the root packages that
import-linter checks (pyproject.toml), so an app added there is guarded everywhere."""

import tomllib
from pathlib import Path

_PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"

APPS: tuple[str, ...] = tuple(
    tomllib.loads(_PYPROJECT.read_text())["tool"]["importlinter"]["root_packages"]
)
