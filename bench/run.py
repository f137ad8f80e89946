"""make bench: the dashboards at 1,000 coordinators × 10 finalized cycles, timed.

Builds (once) a separate database with ``seed_demo --coordinators 1000 --cycles 10 --force``,
then times, through Django's test client with production settings (DEBUG off, cached
templates): the login page (the baseline), the team dashboard of a 30-person team, the
organization overview, a coordinator page with ten cycles of history, and the organization
XLSX export. Prints median and worst of several runs, queries per page, and each median as
a ratio to the login page's, then checks the targets of issue 5. Exit status 1 when a target
is missed.

    make bench                        # SQLite file in the system temp directory, reused
    BENCH_REBUILD=1 make bench        # build that file again
    DATABASE_URL=postgres://… make bench   # an empty database of your own (never production)
    BENCH_RUNS=15 make bench          # more timed runs per page (default 9)
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COORDINATORS = 1000
CYCLES = 10
TEAM_SIZE = 30
DEFAULT_SQLITE = Path(tempfile.gettempdir()) / "growthmatrix-bench.sqlite3"
TARGETS_MS = {"Organization overview": 300, "Team dashboard (30 people)": 60}
MAX_QUERIES = 20


def configure() -> str:
    """Production-like settings on the benchmark's own database; returns its description."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        if os.environ.get("BENCH_REBUILD") and DEFAULT_SQLITE.exists():
            DEFAULT_SQLITE.unlink()
        url = f"sqlite:///{DEFAULT_SQLITE}"
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DEBUG": "false",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "false",
            "EMAIL_HOST": "",
            "DJANGO_SETTINGS_MODULE": "bench.settings",
        }
    )
    import django

    django.setup()
    return url.split("@")[-1]


def migrate(stdout) -> None:
    """Bring the schema up to date; the benchmark's own SQLite file is rebuilt when its
    migration history no longer matches the code (a renamed or edited migration)."""
    from django.core.management import call_command
    from django.db import DatabaseError, connection

    try:
        call_command("migrate", verbosity=0, interactive=False)
    except DatabaseError:
        if os.environ["DATABASE_URL"] != f"sqlite:///{DEFAULT_SQLITE}":
            raise
        print("The benchmark database predates the current migrations; rebuilding it.", file=stdout)
        connection.close()
        DEFAULT_SQLITE.unlink()
        call_command("migrate", verbosity=0, interactive=False)


def build(stdout) -> None:
    from django.core.management import call_command

    from coordinators.models import CoordinatorProfile, Organization

    migrate(stdout)
    demo = Organization.objects.filter(slug="demo").first()
    if demo is None:
        print(f"Building {COORDINATORS} coordinators × {CYCLES} cycles …", file=stdout, flush=True)
        started = time.perf_counter()
        call_command(
            "seed_demo",
            coordinators=COORDINATORS,
            cycles=CYCLES,
            force=True,
            stdout=open(os.devnull, "w"),
        )
        print(f"  built in {time.perf_counter() - started:.1f} s", file=stdout)
        demo = Organization.objects.get(slug="demo")
    size = CoordinatorProfile.objects.filter(organization=demo).count()
    if size < COORDINATORS:
        sys.exit(
            f"The demo organization in this database has {size} coordinators, not "
            f"{COORDINATORS}: point DATABASE_URL at an empty database, or run with "
            "BENCH_REBUILD=1 to rebuild the SQLite file."
        )


def pages():
    """(label, user or None, url) for every timed page."""
    from django.db.models import Count
    from django.urls import reverse

    from assessments.models import Assessment
    from coordinators.models import Team, User

    team = (
        Team.objects.filter(organization__slug="demo")
        .annotate(size=Count("profiles"))
        .filter(size=TEAM_SIZE)
        .select_related("director")
        .first()
    )
    if team is None:
        sys.exit(f"No team of {TEAM_SIZE} coordinators in the benchmark organization.")
    admin = User.objects.get(email="demo-admin@example.org")
    busiest = (
        Assessment.objects.filter(coordinator__organization__slug="demo", state="finalized")
        .values("coordinator_id")
        .annotate(cycles=Count("pk"))
        .order_by("-cycles", "coordinator_id")
        .first()
    )
    return [
        ("Login page (baseline)", None, reverse("login")),
        (
            f"Team dashboard ({TEAM_SIZE} people)",
            team.director,
            reverse("dashboards:team-dashboard"),
        ),
        ("Organization overview", admin, reverse("dashboards:org-overview")),
        (
            f"Coordinator page ({busiest['cycles']} finalized cycles)",
            admin,
            reverse("dashboards:coordinator-detail", args=[busiest["coordinator_id"]]),
        ),
        ("Organization XLSX export", admin, reverse("dashboards:team-dashboard-xlsx")),
    ]


def measure(label, user, url, runs):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if user is not None:
        client.force_login(user)
    for _ in range(2):  # warm the template cache and the database's pages
        response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"{label}: {url} answered {response.status_code}")
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    queries = len(captured)  # now: the log is cleared when the next request starts
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "label": label,
        "median": statistics.median(timings),
        "worst": max(timings),
        "queries": queries,
        "bytes": len(response.content),
    }


def main() -> int:
    began = time.perf_counter()
    runs = int(os.environ.get("BENCH_RUNS", "9"))
    if not 3 <= runs <= 100:
        sys.exit("BENCH_RUNS must be between 3 and 100")
    where = configure()
    print(f"Growth Matrix benchmark — database {where}")
    build(sys.stdout)
    results = [measure(label, user, url, runs) for label, user, url in pages()]
    login = results[0]["median"]

    print(
        f"\n{runs} timed runs per page after 2 warm-ups; milliseconds of server time "
        "through the test client\n"
    )
    header = f"{'page':<42} {'median':>8} {'worst':>8} {'× login':>8} {'queries':>8}  target"
    print(header)
    print("-" * len(header))
    missed = []
    for result in results:
        target = TARGETS_MS.get(result["label"])
        checks = []
        if target is not None:
            checks.append(f"< {target} ms")
            if result["median"] >= target:
                missed.append(f"{result['label']}: median {result['median']:.0f} ms ≥ {target} ms")
        if result["label"] != results[0]["label"]:
            checks.append(f"< {MAX_QUERIES} queries")
            if result["queries"] >= MAX_QUERIES:
                missed.append(f"{result['label']}: {result['queries']} queries ≥ {MAX_QUERIES}")
        print(
            f"{result['label']:<42} {result['median']:>8.1f} {result['worst']:>8.1f} "
            f"{result['median'] / login:>8.1f} {result['queries']:>8}  {', '.join(checks)}"
        )
    print(f"\nWhole run: {time.perf_counter() - began:.0f} s")
    if missed:
        print("\nMISSED: " + "; ".join(missed))
        return 1
    print("All targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
