"""Every read written in SQL by hand runs through ``read_sql`` (coordinators/prepared.py),
prepared once per session on PostgreSQL, where planning such reads cost more than running
them. A new ``cursor.execute`` in the application fails here unless it is one of the writes
or reads below, each with its reason."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "api",
    "assessments",
    "coordinators",
    "dashboards",
    "evidence",
    "growth",
    "growthmatrix",
    "rubrics",
    "schoolsites",
    "signin",
)
EXECUTE = re.compile(r"\bcursor\.execute\(")

# Module → why its cursor.execute calls do not go through read_sql.
NOT_READS_TO_PREPARE = {
    "coordinators/prepared.py": "the mechanism itself",
    "assessments/services/rows.py": "writes (UPDATE … FROM VALUES, INSERT … SELECT)",
    "assessments/models.py": "a write (a history row's school sites, INSERT … SELECT)",
    "growthmatrix/views.py": "/healthz's SELECT 1, the load test's plainest round trip",
    "dashboards/selectors/calibration.py": "a report's SQL written by the ORM per request",
    "dashboards/selectors/impact.py": "a report's SQL written by the ORM per request",
}


def _executing_modules() -> set[str]:
    found = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or "/management/" in relative:
                continue
            if EXECUTE.search(path.read_text()):
                found.add(relative)
    return found


def test_every_hand_written_read_is_prepared():
    unprepared = _executing_modules() - NOT_READS_TO_PREPARE.keys()
    assert not unprepared, f"run these reads through coordinators.prepared.read_sql: {unprepared}"


def test_the_exceptions_are_still_there():
    """An exception whose module no longer executes SQL by hand is taken off the list."""
    assert NOT_READS_TO_PREPARE.keys() <= _executing_modules()
