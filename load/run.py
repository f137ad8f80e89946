"""make load: two gunicorn instances on one PostgreSQL, 50 simulated people, 60 seconds.

Prints a CPU check, builds a fresh database (growthmatrix_load by default) with the demo
organization at 1,000 coordinators × 10 cycles, starts two application servers and a task
worker on 127.0.0.1, warms each server (its pages, then saves and moves by people who are
none of the window's), then runs Locust headless (load/locustfile.py), which
spreads every person's requests over both and prints each page's p95 as a multiple of the
/healthz p95 of the same window. At the end it checks in the database that every save a
person was told succeeded is there and how the background tasks ended, and exits 1 when a
target is missed, a request failed, a save was lost or a task failed.

Environment: LOAD_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/growthmatrix_load),
LOAD_REDIS_URL (default redis://127.0.0.1:6379/15: the shared cache both servers use for
sessions and rubric text, emptied first; "none" runs without it), LOAD_SECONDS (default 60,
at most 300), LOAD_USERS (default 50, at most 200), LOAD_COORDINATORS and LOAD_CYCLES (default
1000 and 10: a smaller organization for a quick try), LOAD_SAMPLES (a CSV file to write every
request to, with when it started and how long it took), LOAD_KEEP (the name of a database
to keep a copy of the seeded one in, before the window) and LOAD_TEMPLATE (the name of such a
copy: the run's database is made from it in seconds instead of seeding, then migrated and its
read model rebuilt by this code). Traffic goes to 127.0.0.1 only.
"""

import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from load.harness import Session, Stats, database  # noqa: E402
from load.scenarios import (  # noqa: E402
    PASSWORD,
    background_tasks,
    coordinator_accounts,
    rehearse_coordinator,
    rehearse_director,
    verify,
)

PORTS = (8101, 8102)
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/growthmatrix_load"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"


def bounded_env_int(name: str, default: int, top: int) -> int:
    value = int(os.environ.get(name, default))
    if not 1 <= value <= top:
        sys.exit(f"{name} must be between 1 and {top}")
    return value


def shared_cache(redis_url: str) -> str:
    """The Redis database both servers share, emptied (the load database is new, so its ids
    are too), or "" when there is none to reach."""
    if redis_url == "none":
        return ""
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=2).flushdb()
    except redis.RedisError as error:
        print(f"No shared cache at {redis_url} ({error}); sessions come from the database.")
        return ""
    return redis_url


def server_env(database_url: str, redis_url: str, files: str) -> dict:
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "load-test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "growthmatrix.settings",
        "EMAIL_HOST": "",
        "TASKS_BACKEND": "database",
        # Export files, written by the worker and downloaded from either server.
        "PRIVATE_FILES_ROOT": files,
        # Throttling is per account and address; every simulated person shares 127.0.0.1.
        "AXES_FAILURE_LIMIT": "1000",
    }


def recreate_database(database_url: str, template: str = ""):
    """Drop and create the database ``database_url`` names: empty, or a copy of the database
    named ``template`` (which must have no connections)."""
    name = database_url.rsplit("/", 1)[1]
    connection = database(database_url.rsplit("/", 1)[0] + "/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(
            f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
        )
    connection.close()


def keep_copy(database_url: str, keep: str):
    """A copy of the seeded database, named ``keep``, for later runs' LOAD_TEMPLATE."""
    recreate_database(database_url.rsplit("/", 1)[0] + f"/{keep}", database_url.rsplit("/", 1)[1])
    print(f"Kept a copy of the seeded database as {keep} (LOAD_TEMPLATE={keep})", flush=True)


def cpu_check() -> float:
    """Milliseconds one password hash takes on an idle core: the same figures mean less on a
    machine that is slower today (a shared virtual machine varies from hour to hour)."""
    import hashlib

    started = time.perf_counter()
    hashlib.pbkdf2_hmac("sha256", b"growth-matrix", b"load", 1_000_000)
    return (time.perf_counter() - started) * 1000


def settle_database(database_url: str):
    """Gather planner statistics and write out the seeded pages now, as a database in use
    has them; otherwise autovacuum and the first checkpoint fall inside the measured window."""
    connection = database(database_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")
    connection.close()


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_healthy(port: int, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server on port {port} did not become healthy")


# Each page a person opens, by who opens it: requested on every server before the window, so
# no worker's first request (imports, template compilation, connections) falls inside it.
WARM_PAGES = {
    "demo-coordinator-1@example.org": ["/me/"],
    "demo-director-1@example.org": ["/dashboard/", "/team/"],
    "demo-admin@example.org": ["/overview/", "/organization/", "/dashboard/export.xlsx"],
}


# People rehearsing the saves and moves at once on each server before the window: more than a
# server's threads (2 workers × 4), so that every thread's database connection takes part.
REHEARSING = 8
# The first director who is none of the window's (they are 1 to 3).
FIRST_REHEARSING_DIRECTOR = 4


def warm(bases: list[str], users: int, seeded: int, rounds: int = 4):
    """Every page of every kind of person, ``rounds`` times on each server (each server's
    workers and threads take requests in turn), then the saves and moves, rehearsed by
    people who are none of the window's (the last coordinators seeded, directors from the
    fourth), several at once: the first of each on a connection plans its statements in
    PostgreSQL (15–20 ms for a move), which a server in use has long done. Outside the
    measured window."""
    for base in bases:
        for email, pages in WARM_PAGES.items():
            session = Session([base], Stats())
            session.login(email, PASSWORD)
            for _ in range(rounds):
                for page in (*pages, "/healthz"):
                    session.request("warm-up", page)
    first_own = coordinator_accounts(users)
    coordinators = list(range(seeded, first_own, -1))[: REHEARSING * len(bases)]
    jobs = []
    for i, coordinator in enumerate(coordinators):
        base = bases[i % len(bases)]
        jobs.append((rehearse_coordinator, coordinator, base))
        jobs.append((rehearse_director, FIRST_REHEARSING_DIRECTOR + i, base))
    with ThreadPoolExecutor(max_workers=len(jobs) or 1) as pool:
        done = sum(pool.map(lambda job: job[0](job[1], Session([job[2]], Stats())), jobs))
    print(f"Rehearsed {done} saves and moves of {len(jobs)} people before the window", flush=True)


def write_samples(path: str, samples: list):
    """Every request of the run as CSV (page, seconds into the window, milliseconds), to
    see when the slow ones happened."""
    with open(path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["page", "started_s", "latency_ms"])
        for label, started, seconds in samples:
            writer.writerow([label, f"{started:.3f}", f"{seconds * 1000:.1f}"])
    print(f"Every request written to {path}")


def run_locust(bases: list[str], users: int, seconds: int, report: str) -> int:
    """The people and the /healthz baseline, headless (load/locustfile.py); Locust's exit
    code (1 when the window's table missed a target or a request failed)."""
    env = {
        **os.environ,
        "LOAD_HOSTS": ",".join(bases),
        "LOAD_SECONDS": str(seconds),
        "LOAD_REPORT": report,
        "PYTHONPATH": str(ROOT),
    }
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(ROOT / "load" / "locustfile.py"),
        "--headless",
        "--users",
        str(users + 1),  # and the baseline
        "--spawn-rate",
        "10",
        "--host",
        bases[0],
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    return subprocess.run(command, cwd=ROOT, env=env, timeout=seconds + 900).returncode


def ledger_of(report: dict) -> dict:
    """The ledger as the people kept it (JSON made its ids text)."""
    return {
        int(pk): [(token, {int(i): lvl for i, lvl in levels.items()}) for token, levels in saves]
        for pk, saves in report["ledger"].items()
    }


def main():
    print(f"CPU check: one PBKDF2-SHA256 hash (1,000,000 rounds) took {cpu_check():.0f} ms")
    seconds = bounded_env_int("LOAD_SECONDS", 60, 300)
    users = bounded_env_int("LOAD_USERS", 50, 200)
    size = bounded_env_int("LOAD_COORDINATORS", 1000, 5000)
    cycles = bounded_env_int("LOAD_CYCLES", 10, 20)
    database_url = os.environ.get("LOAD_DATABASE_URL", DEFAULT_URL)
    files = tempfile.mkdtemp(prefix="growthmatrix-load-files-")
    env = server_env(
        database_url, shared_cache(os.environ.get("LOAD_REDIS_URL", DEFAULT_REDIS_URL)), files
    )

    print(f"Preparing {database_url} (shared cache: {env['REDIS_URL'] or 'none'}) …", flush=True)
    template = os.environ.get("LOAD_TEMPLATE", "")
    recreate_database(database_url, template)
    manage(env, "migrate", "--no-input", "-v0")
    if template:
        print(f"Made from {template}; rebuilding its read model …", flush=True)
        manage(env, "rebuild_read_model")
    else:
        coordinators = str(max(size, coordinator_accounts(users)))
        print(f"Seeding {coordinators} coordinators × {cycles} cycles …", flush=True)
        manage(env, "seed_demo", "--force", "--coordinators", coordinators, "--cycles", str(cycles))
    manage(env, "collectstatic", "--no-input", "-v0")
    settle_database(database_url)
    if keep := os.environ.get("LOAD_KEEP"):
        keep_copy(database_url, keep)

    servers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                "python:growthmatrix.gunicorn_conf",
                "growthmatrix.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                os.environ.get("LOAD_WORKERS", "2"),
                "--threads",
                os.environ.get("LOAD_THREADS", "4"),
                "--log-level",
                "warning",
                "--timeout",
                "60",
                # Each instance its own control socket (gunicornc): they would share one.
                "--control-socket",
                f"{files}/gunicorn-{port}.ctl",
            ],
            cwd=ROOT,
            env=env,
            # The console email backend prints every notification; errors still reach stderr.
            stdout=subprocess.DEVNULL,
        )
        for port in PORTS
    ]
    # As in production, emails and large exports go through the task queue to a worker.
    servers.append(
        subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    )
    report_path = Path(files) / "report.json"
    try:
        for port in PORTS:
            wait_healthy(port)
        bases = [f"http://127.0.0.1:{port}" for port in PORTS]
        print("Warming each server …", flush=True)
        warm(bases, users, max(size, coordinator_accounts(users)))
        print(f"{users} people for {seconds} s on ports {PORTS} …", flush=True)
        locust_code = run_locust(bases, users, seconds, str(report_path))
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)

    if not report_path.exists():
        sys.exit("Locust ended without a report (see its output above).")
    report = json.loads(report_path.read_text())
    if samples_path := os.environ.get("LOAD_SAMPLES"):
        write_samples(samples_path, report["samples"])
    ledger = ledger_of(report)
    lost = verify(env, ledger)
    print()
    print(f"Saves acknowledged: {sum(len(v) for v in ledger.values())}, lost: {lost}")
    tasks = background_tasks(env)
    print(
        "Background tasks (emails, exports): "
        + (", ".join(f"{n} {status.lower()}" for status, n in sorted(tasks.items())) or "none")
    )
    failed = locust_code or lost or tasks.get("FAILED")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
