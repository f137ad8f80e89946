"""Every scoped getter and every object rule lives in its app's access.py, so a view or a
service that needs one imports it from the one place it is written."""

import ast
from pathlib import Path

from tests.project_apps import APPS

ROOT = Path(__file__).resolve().parent.parent


def access_helpers_outside_access_modules(root: Path, apps=APPS) -> list[str]:
    """``path:function`` for each ``get_<thing>_for_user`` or ``can_<rule>`` defined at module
    level anywhere but an ``access.py``."""
    found = []
    for app in apps:
        for path in sorted((root / app).rglob("*.py")):
            if path.name == "access.py" or "migrations" in path.parts:
                continue
            for node in ast.parse(path.read_text(), filename=str(path)).body:
                if not isinstance(node, ast.FunctionDef):
                    continue
                name = node.name
                if (name.startswith("get_") and name.endswith("_for_user")) or name.startswith(
                    "can_"
                ):
                    found.append(f"{path.relative_to(root)}:{name}")
    return found


def test_every_getter_and_rule_lives_in_an_access_module():
    assert access_helpers_outside_access_modules(ROOT) == []


def test_a_getter_written_in_a_view_module_is_found(tmp_path):
    (tmp_path / "growth").mkdir()
    (tmp_path / "growth" / "views.py").write_text(
        "def get_goal_for_user(request, pk):\n    pass\n\n\ndef can_edit(user, goal):\n    pass\n"
    )
    (tmp_path / "growth" / "access.py").write_text(
        "def get_support_for_user(request, pk):\n    pass\n"
    )
    assert access_helpers_outside_access_modules(tmp_path, apps=("growth",)) == [
        "growth/views.py:get_goal_for_user",
        "growth/views.py:can_edit",
    ]


def test_each_app_below_the_roof_has_its_getters():
    for app in ("coordinators", "rubrics", "assessments", "growth"):
        tree = ast.parse((ROOT / app / "access.py").read_text())
        getters = [
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name.endswith("_for_user")
        ]
        assert getters, f"{app}/access.py has no get_<thing>_for_user"
