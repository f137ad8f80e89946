"""make load: two gunicorn instances on one PostgreSQL, 50 simulated people, 60 seconds.

Builds a fresh database (growthmatrix_load by default) with the demo organization, starts
two application servers on 127.0.0.1, spreads every person's requests over both, and
prints requests per second, p50/p95/p99 latency and errors per page. At the end it checks
in the database that every save a person was told succeeded is there.

Environment: LOAD_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/growthmatrix_load),
LOAD_REDIS_URL (default redis://127.0.0.1:6379/15: the shared cache both servers use for
sessions and rubric text, emptied first; "none" runs without it), LOAD_SECONDS (default 60,
at most 300), LOAD_USERS (default 50, at most 200), LOAD_SAMPLES (a CSV file to write every
request to, with when it started and how long it took). Traffic goes to 127.0.0.1 only.
"""

import csv
import os
import random
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from load.harness import P95_TARGET_MS, Stats, database  # noqa: E402
from load.scenarios import SCENARIOS, background_tasks, coordinator_accounts, verify  # noqa: E402

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


def server_env(database_url: str, redis_url: str) -> dict:
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
        # Throttling is per account and address; every simulated person shares 127.0.0.1.
        "AXES_FAILURE_LIMIT": "1000",
    }


def recreate_database(database_url: str):
    name = database_url.rsplit("/", 1)[1]
    connection = database(database_url.rsplit("/", 1)[0] + "/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


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


def write_samples(path: str, stats: Stats, opened: float):
    """Every request of the run as CSV (page, seconds into the window, milliseconds), to
    see when the slow ones happened."""
    with open(path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["page", "started_s", "latency_ms"])
        for label, started, seconds in stats.samples:
            writer.writerow([label, f"{started - opened:.3f}", f"{seconds * 1000:.1f}"])
    print(f"Every request written to {path}")


def main():
    seconds = bounded_env_int("LOAD_SECONDS", 60, 300)
    users = bounded_env_int("LOAD_USERS", 50, 200)
    database_url = os.environ.get("LOAD_DATABASE_URL", DEFAULT_URL)
    env = server_env(
        database_url, shared_cache(os.environ.get("LOAD_REDIS_URL", DEFAULT_REDIS_URL))
    )

    print(f"Preparing {database_url} (shared cache: {env['REDIS_URL'] or 'none'}) …", flush=True)
    recreate_database(database_url)
    manage(env, "migrate", "--no-input", "-v0")
    coordinators = str(max(60, coordinator_accounts(users)))
    manage(env, "seed_demo", "--force", "--coordinators", coordinators, "--cycles", "4")
    manage(env, "collectstatic", "--no-input", "-v0")
    settle_database(database_url)
    print(f"CPU check: one PBKDF2-SHA256 hash (1,000,000 rounds) took {cpu_check():.0f} ms")

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
            ],
            cwd=ROOT,
            env=env,
            # The console email backend prints every notification; errors still reach stderr.
            stdout=subprocess.DEVNULL,
        )
        for port in PORTS
    ]
    # As in production, emails go through the task queue to a worker beside the servers.
    servers.append(
        subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    )
    try:
        for port in PORTS:
            wait_healthy(port)
        bases = [f"http://127.0.0.1:{port}" for port in PORTS]
        stats = Stats()
        # Everyone logs in first (password hashing is slow on purpose), then the measured
        # window opens for all at once.
        ready = threading.Barrier(users, timeout=300)
        window = {}

        def start():
            ready.wait()
            window.setdefault("opened", time.monotonic())
            # Once in, each person takes a moment before their first click, as after any
            # page: fifty requests in the same millisecond is not how people use a site.
            time.sleep(random.uniform(0, 3))
            return window["opened"] + seconds

        ledger = {}  # what each person was told was saved, checked in the database after
        people = []
        for index in range(users):
            scenario = SCENARIOS[index % len(SCENARIOS)]
            people.append(
                threading.Thread(
                    target=scenario,
                    args=(index, bases, stats, start, ledger),
                    daemon=True,
                )
            )
        print(f"{users} people for {seconds} s on ports {PORTS} …", flush=True)
        for person in people:
            person.start()
        for person in people:
            person.join(timeout=seconds + 360)
        elapsed = time.monotonic() - window.get("opened", time.monotonic() - seconds)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)

    print()
    print(stats.table(elapsed))
    if samples_path := os.environ.get("LOAD_SAMPLES"):
        write_samples(samples_path, stats, window.get("opened", 0.0))
    lost = verify(env, ledger)
    print()
    print(f"Saves acknowledged: {sum(len(v) for v in ledger.values())}, lost: {lost}")
    tasks = background_tasks(env)
    print(
        "Background emails: "
        + (", ".join(f"{n} {status.lower()}" for status, n in sorted(tasks.items())) or "none")
    )
    for label, sample in stats.error_samples.items():
        print(f"first error on {label}: {sample}")
    slow = stats.over_target()
    print(f"p95 over {P95_TARGET_MS} ms: {', '.join(sorted(slow)) or 'none'}")
    failed = lost or sum(stats.errors.values()) or tasks.get("FAILED")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
