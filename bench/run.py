"""make bench: every page's time as a ratio to the login page's, at several sizes.

For each size (the demo, 1,000 coordinators × 10 cycles, and with BENCH_5000=1 also 5,000 ×
10) a child process builds a fresh database in a private temporary directory (SQLite) or a
fresh database on the server DATABASE_URL names (PostgreSQL, dropped afterwards), seeds it
with ``seed_demo`` (bulk paths, read model rebuilt once), and times each page through
Django's test client with production settings, in a process readied as a server's worker is
(``growthmatrix.gunicorn_conf.ready_worker``: templates and reads compiled, what is loaded
frozen out of the garbage collector's walks), interleaved with the login page (page, login,
page, login …) over several rounds. A page's ratio is the median of its times over the median
of the login times of the same rounds, so a busy machine slows both alike. "Uncached" moves the
organization's dashboard version on before each request (as a write does), so the fragment
is rendered again; "cache hit" requests the same view again.

The parent prints one table per size, the memory peak of one request of each page (at 1,000
and 5,000; a page's peak at 5,000 must stay within 1.25× or 100 KB of its peak at 1,000),
checks the targets and exits 1 when one is missed.

    make bench                          # demo and 1,000 × 10 on SQLite (a few minutes)
    BENCH_5000=1 make bench             # also 5,000 × 10 (seeding takes several minutes more)
    DATABASE_URL=postgres://… make bench   # the same on a PostgreSQL server (never production)
    BENCH_ROUNDS=15 make bench          # more interleaved rounds per page (default 9)
    BENCH_SIZES=demo make bench         # some sizes only (demo, 1000, 5000), a quick look
    BENCH_PAGES="Schools view,School page" make bench   # some pages only (labels' beginnings)
    BENCH_UNREADY=1 make bench          # time a process not readied as a worker is (a comparison)
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEMO = (24, 4)  # seed_demo's own size
SIZES = {"demo": DEMO, "1000": (1000, 10), "5000": (5000, 10)}
TEAM_SIZE = 30
MAX_QUERIES = 20

# Targets, as ratios to the login page of the same run.
UNCACHED_ORG_PAGES = 5.0  # overview and the admin's whole-org dashboard at 1,000 × 10
GROWTH_5000_OVER_1000 = 1.5  # the same pages at 5,000 against their own time at 1,000
CACHE_HIT = 2.0
TEAM_UNCACHED = 8.0
FORMS_5000_OVER_DEMO = 1.5

ORG_PAGES = ("Organization overview", "Admin's whole-org dashboard")
FORMS = ("Person edit form", "Support form", "Goal form")
REPORTS = ("Impact of supports report", "Retention and careers report", "Calibration report")
REPORTS_AT_1000 = 10.0  # each report at 1,000 × 10, against the login page
# The schools view ranks every school (in SQL, to show 50) and a school's page reads a page
# of its history: at 1,000 × 10 within the reports' bound.
SCHOOL_PAGES = ("Schools view", "School page")
SCHOOLS_AT_1000 = 10.0
# Memory: one request's peak allocation at 5,000 × 10 against its own at 1,000 × 10. The slack
# absorbs what differs without growing (a longer name, a team of 31 rather than 30).
MEMORY_5000_OVER_1000 = 1.25
MEMORY_SLACK_KB = 100


def chosen(label: str, wanted: str) -> bool:
    """Whether BENCH_PAGES (comma-separated beginnings of labels; empty: every page) names
    the page ``label``."""
    beginnings = [part.strip() for part in wanted.split(",") if part.strip()]
    return not beginnings or any(label.startswith(part) for part in beginnings)


# The child: one size, one database ---------------------------------------------------------


def child(size: str, database_url: str, rounds: int) -> dict:
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "false",
            "EMAIL_HOST": "",
            "DJANGO_SETTINGS_MODULE": "bench.settings",
        }
    )
    os.environ.pop("REDIS_URL", None)  # the process's own cache, as under make run
    import django

    django.setup()
    from django.core.management import call_command

    coordinators, cycles = SIZES[size]
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    if os.environ.get("BENCH_SEEDED_COPY"):
        # A copy of a database seeded earlier at this size (see parent): migrated above, its
        # read model computed again by this code.
        call_command("rebuild_read_model", stdout=open(os.devnull, "w"))
    else:
        call_command(
            "seed_demo",
            coordinators=coordinators,
            cycles=cycles,
            force=True,
            stdout=open(os.devnull, "w"),
        )
        keep = os.environ.get("BENCH_KEEP")
        if keep and database_url.startswith("sqlite:///"):
            os.makedirs(keep, exist_ok=True)
            shutil.copyfile(database_url.removeprefix("sqlite:///"), f"{keep}/{size}.sqlite3")
    settle()
    seeded = time.perf_counter() - started
    if os.environ.get("BENCH_UNREADY") != "1":
        from growthmatrix.gunicorn_conf import ready_worker

        ready_worker()  # as a server's worker starts: templates, reads, the garbage collector
    return {"size": size, "seconds_to_build": seeded, "pages": measure_all(rounds)}


def settle():
    """On PostgreSQL, gather the planner's statistics of the freshly written tables, as a
    database in use has them (make load does the same): without them the planner guessed at
    the seeded rows and ranked the schools in 176 ms instead of 22."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def page_list():
    """(label, user, url, cached) for every timed page."""
    from django.db.models import Count
    from django.urls import reverse

    from coordinators.models import CoordinatorProfile, Team, User

    team = (
        Team.objects.filter(organization__slug="demo")
        .annotate(size=Count("profiles"))
        .order_by("-size", "pk")
        .select_related("director")
        .first()
    )
    admin = User.objects.get(email="demo-admin@example.org")
    profile = (
        CoordinatorProfile.objects.filter(organization__slug="demo", team=team)
        .order_by("pk")
        .first()
    )
    school = profile.schools.order_by("pk").first()
    dashboard = reverse("dashboards:team-dashboard")
    overview = reverse("dashboards:org-overview")
    return [
        (f"Team dashboard ({team.profiles.count()} people)", team.director, dashboard, False),
        ("Team dashboard, cache hit", team.director, dashboard, True),
        ("Organization overview", admin, overview, False),
        ("Organization overview, cache hit", admin, overview, True),
        ("Admin's whole-org dashboard", admin, dashboard, False),
        ("Admin's whole-org dashboard, cache hit", admin, dashboard, True),
        ("Schools view", admin, reverse("dashboards:org-schools"), False),
        ("School page", admin, reverse("dashboards:school-detail", args=[school.pk]), False),
        (
            "Person edit form",
            admin,
            reverse("coordinators:person-update", args=[profile.user_id]),
            False,
        ),
        ("Support form", admin, reverse("growth:support-create", args=[profile.pk]), False),
        ("Goal form", admin, reverse("growth:goal-create", args=[profile.pk]), False),
        ("Impact of supports report", admin, reverse("dashboards:report-impact"), False),
        ("Retention and careers report", admin, reverse("dashboards:report-retention"), False),
        ("Calibration report", admin, reverse("dashboards:report-calibration"), False),
    ]


def measure_all(rounds: int) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    login_client = Client()
    login_url = reverse("login")

    from coordinators.models import Organization
    from dashboards.read_model import version_bump

    demo = Organization.objects.get(slug="demo").pk

    def timed(client, url, *, clear: bool) -> float:
        if clear:  # a new dashboard version: the fragment cached before is not read again
            version_bump(organization_id=demo)
        began = time.perf_counter()
        response = client.get(url)
        took = (time.perf_counter() - began) * 1000
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code}")
        return took

    results = []
    for label, user, url, cached in page_list():
        if not chosen(label, os.environ.get("BENCH_PAGES", "")):
            continue
        client = Client()
        client.force_login(user)
        for _ in range(2):  # warm the template cache, the database's pages and the fragment
            timed(client, url, clear=not cached)
            timed(login_client, login_url, clear=False)
        if not cached:
            version_bump(organization_id=demo)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries = len(captured)
        page_times, login_times = [], []
        for _ in range(rounds):
            page_times.append(timed(client, url, clear=not cached))
            login_times.append(timed(login_client, login_url, clear=False))
        if not cached:
            version_bump(organization_id=demo)
        tracemalloc.start()
        client.get(url)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        page, login = statistics.median(page_times), statistics.median(login_times)
        results.append(
            {
                "label": label,
                "median_ms": page,
                "login_ms": login,
                "ratio": page / login,
                "queries": queries,
                "peak_kb": peak / 1024,
            }
        )
    return results


# The parent: databases, sizes, targets --------------------------------------------------------


def databases(size: str):
    """A fresh database URL for one size, and how to drop it afterwards (on PostgreSQL with
    BENCH_KEEP, keeping a copy first)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg2

        name = f"growthmatrix_bench_{size}_{os.getpid()}"

        def server_run(*statements):
            server = psycopg2.connect(url)
            server.autocommit = True
            try:
                with server.cursor() as cursor:
                    for statement in statements:
                        cursor.execute(statement)
            finally:
                server.close()

        template = seeded_copy(size)
        server_run(
            f'DROP DATABASE IF EXISTS "{name}"',
            f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""),
        )
        parts = urlsplit(url)
        keep = kept_name(size)

        def drop():
            if keep and not template:
                server_run(
                    f'DROP DATABASE IF EXISTS "{keep}"',
                    f'CREATE DATABASE "{keep}" TEMPLATE "{name}"',
                )
            server_run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return urlunsplit(parts._replace(path=f"/{name}")), drop
    directory = tempfile.mkdtemp(prefix="growthmatrix-bench-")
    os.chmod(directory, 0o700)
    seeded = seeded_copy(size)
    if seeded:
        shutil.copyfile(seeded, f"{directory}/bench.sqlite3")
    return f"sqlite:///{directory}/bench.sqlite3", lambda: shutil.rmtree(directory, True)


def on_postgresql() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def kept_name(size: str) -> str | None:
    """On PostgreSQL, BENCH_KEEP names a prefix (letters, digits, underscores): a freshly
    seeded database is kept as ``<prefix>_<size>`` on the same server."""
    prefix = os.environ.get("BENCH_KEEP", "")
    if not prefix or not on_postgresql():
        return None
    if not prefix.replace("_", "").isalnum():
        sys.exit("On PostgreSQL, BENCH_KEEP is a database name prefix: letters, digits, _")
    return f"{prefix}_{size}"


def seeded_copy(size: str) -> str | None:
    """BENCH_SEEDED names what an earlier run kept with ``BENCH_KEEP``, one per size: a
    directory of SQLite files (``<size>.sqlite3``), or on PostgreSQL a database name prefix
    (``<prefix>_<size>``, copied as a template). The run takes a copy instead of seeding
    again, which takes minutes at 1,000 × 10: for measuring changes one after another. The
    copy is migrated and its read model rebuilt, so it measures this code."""
    found = os.environ.get("BENCH_SEEDED", "")
    if not found:
        return None
    if on_postgresql():
        import psycopg2

        server = psycopg2.connect(os.environ["DATABASE_URL"])
        try:
            with server.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [f"{found}_{size}"])
                return f"{found}_{size}" if cursor.fetchone() else None
        finally:
            server.close()
    path = os.path.join(found, f"{size}.sqlite3")
    return path if os.path.exists(path) else None


def run_size(size: str, rounds: int) -> dict:
    url, drop = databases(size)
    try:
        finished = subprocess.run(
            [sys.executable, __file__, "--child", size, url, str(rounds)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "BENCH_SEEDED_COPY": "1" if seeded_copy(size) else ""},
        )
    finally:
        drop()
    if finished.returncode != 0:
        sys.exit(f"The {size} run failed:\n{finished.stderr[-4000:]}")
    return json.loads(finished.stdout.strip().splitlines()[-1])


def by_label(result: dict) -> dict[str, dict]:
    return {page["label"].split(" (")[0]: page for page in result["pages"]}


def check(results: dict[str, dict]) -> list[str]:
    """The targets missed."""
    missed = []
    for size, result in results.items():
        pages = by_label(result)
        for label, page in pages.items():
            if page["queries"] > MAX_QUERIES:
                missed.append(f"{label} at {size}: {page['queries']} queries > {MAX_QUERIES}")
        if size == "demo":
            continue
        for label, page in pages.items():
            if label.endswith("cache hit") and page["ratio"] > CACHE_HIT:
                missed.append(f"{label} at {size}: {page['ratio']:.2f}× login > {CACHE_HIT}×")
        team = pages.get("Team dashboard", {"ratio": 0})
        if team["ratio"] > TEAM_UNCACHED:
            missed.append(f"Team dashboard at {size}: {team['ratio']:.2f}× > {TEAM_UNCACHED}×")
    if "1000" in results:
        thousand = by_label(results["1000"])
        for labels, target in (
            (ORG_PAGES, UNCACHED_ORG_PAGES),
            (REPORTS, REPORTS_AT_1000),
            (SCHOOL_PAGES, SCHOOLS_AT_1000),
        ):
            for label in labels:
                if label in thousand and thousand[label]["ratio"] > target:
                    missed.append(
                        f"{label} at 1000: {thousand[label]['ratio']:.2f}× login > {target}×"
                    )
        if "5000" in results:
            five = by_label(results["5000"])
            for label in ORG_PAGES:
                if label not in thousand or label not in five:
                    continue
                growth = five[label]["ratio"] / thousand[label]["ratio"]
                if growth > GROWTH_5000_OVER_1000:
                    missed.append(
                        f"{label}: {growth:.2f}× its time at 1000 > {GROWTH_5000_OVER_1000}×"
                    )
            missed += memory_missed(thousand, five)
    if "5000" in results and "demo" in results:
        five, demo = by_label(results["5000"]), by_label(results["demo"])
        for label in FORMS:
            if label not in five or label not in demo:
                continue
            growth = five[label]["ratio"] / demo[label]["ratio"]
            if growth > FORMS_5000_OVER_DEMO:
                missed.append(
                    f"{label}: {growth:.2f}× its demo-size time > {FORMS_5000_OVER_DEMO}×"
                )
    return missed


def memory_missed(thousand: dict[str, dict], five: dict[str, dict]) -> list[str]:
    """The pages whose peak allocation at 5,000 × 10 grew past their own at 1,000 × 10."""
    missed = []
    for label, page in five.items():
        if label not in thousand or "peak_kb" not in page:
            continue
        before, after = thousand[label]["peak_kb"], page["peak_kb"]
        if after > max(before * MEMORY_5000_OVER_1000, before + MEMORY_SLACK_KB):
            missed.append(
                f"{label}: peak {after:.0f} KB at 5000 against {before:.0f} KB at 1000 "
                f"(> {MEMORY_5000_OVER_1000}×)"
            )
    return missed


def report(results: dict[str, dict], rounds: int) -> None:
    for size, result in results.items():
        coordinators, cycles = SIZES[size]
        print(
            f"\n{size}: {coordinators} coordinators × {cycles} cycles (built in "
            f"{result['seconds_to_build']:.0f} s); medians of {rounds} interleaved rounds"
        )
        header = f"{'page':<44} {'ms':>8} {'login ms':>9} {'× login':>8} {'queries':>8}"
        if size != "demo":
            header += f" {'peak KB':>8}"
        print(header)
        print("-" * len(header))
        for page in result["pages"]:
            line = (
                f"{page['label']:<44} {page['median_ms']:>8.1f} {page['login_ms']:>9.1f} "
                f"{page['ratio']:>8.1f} {page['queries']:>8}"
            )
            if size != "demo":
                line += f" {page['peak_kb']:>8.0f}"
            print(line)


def main() -> int:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], sys.argv[3], int(sys.argv[4]))))
        return 0
    began = time.perf_counter()
    rounds = int(os.environ.get("BENCH_ROUNDS", "9"))
    if not 3 <= rounds <= 100:
        sys.exit("BENCH_ROUNDS must be between 3 and 100")
    sizes = ["demo", "1000"] + (["5000"] if os.environ.get("BENCH_5000") else [])
    if os.environ.get("BENCH_SIZES"):  # a quick look at some sizes only, e.g. "demo"
        sizes = [size for size in os.environ["BENCH_SIZES"].split(",") if size in SIZES]
    where = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    print(f"Growth Matrix benchmark on {where}: sizes {', '.join(sizes)}", flush=True)
    results = {}
    for size in sizes:
        print(f"  building and timing {size} …", flush=True)
        results[size] = run_size(size, rounds)
    report(results, rounds)
    missed = check(results)
    print(f"\nWhole run: {time.perf_counter() - began:.0f} s")
    if missed:
        print("\nMISSED: " + "; ".join(missed))
        return 1
    print("All targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
