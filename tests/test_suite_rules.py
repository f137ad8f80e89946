"""Rules the test suite keeps so that it passes on any day at any hour.

The organization's day turns at midnight Pacific (08:00 UTC). A module that reads the day when
it is imported keeps it while its tests run, so a run that crosses midnight compares
yesterday's date with today's and fails. Tests take the day from the ``today`` fixture
(tests/conftest.py) or from the world they run in, read when the test or the world starts."""

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
# timezone.localdate(), date.today(), timezone.now(), datetime.now(), timezone.localtime().
CLOCK_READS = {"localdate", "today", "now", "localtime"}


def _is_clock_read(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    return name in CLOCK_READS


def _run_at_import(node: ast.AST):
    """The nodes under ``node`` that Python evaluates when the module is imported: everything
    but the bodies of functions and lambdas (their decorators and default values included)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Lambda):
            continue
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = child.args
            for part in [*child.decorator_list, *arguments.defaults, *arguments.kw_defaults]:
                if part is not None:
                    yield part
                    yield from _run_at_import(part)
            continue
        yield child
        yield from _run_at_import(child)


def clock_reads_at_import(source: str) -> list[str]:
    """``line: code`` of each read of the clock that runs when ``source`` is imported."""
    return [
        f"{node.lineno}: {ast.unparse(node)}"
        for node in _run_at_import(ast.parse(source))
        if _is_clock_read(node)
    ]


def test_no_test_module_reads_the_day_when_it_is_imported():
    found = [
        f"{path.relative_to(TESTS.parent)}:{read}"
        for path in sorted(TESTS.rglob("*.py"))
        for read in clock_reads_at_import(path.read_text())
    ]
    assert found == [], "take the day from the `today` fixture (tests/conftest.py) instead"


@pytest.mark.parametrize(
    "source",
    [
        "TODAY = timezone.localdate()",
        "TOMORROW = (timezone.localdate() + timedelta(days=1)).isoformat()",
        "START: date = date.today()",
        "STAMP = timezone.now()",
        'form_with_errors("goal", fill={"Target date": timezone.localdate().isoformat()})',
        "class Case:\n    day = date.today()",
        "def goal(target=timezone.localdate()):\n    return target",
        "@pytest.mark.parametrize('day', [date.today()])\ndef test_day(day):\n    pass",
    ],
)
def test_a_day_read_at_import_is_found(source):
    assert clock_reads_at_import(source)


@pytest.mark.parametrize(
    "source",
    [
        "def today():\n    return timezone.localdate()",
        "def test_goal(today):\n    later = today + timedelta(days=1)",
        "TARGET = lambda site: (site.today - timedelta(days=3)).isoformat()",
        "class World:\n    def build(self):\n        self.today = timezone.localdate()",
        "FIXED = date(2026, 11, 1)",
    ],
)
def test_a_day_read_when_a_test_runs_is_allowed(source):
    assert clock_reads_at_import(source) == []
