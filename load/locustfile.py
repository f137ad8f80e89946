"""make load's people, for Locust: run headless by load/run.py, or with Locust's web page
against a staging server:

    locust -f load/locustfile.py --host https://staging.example.org

Every person logs in first (password hashing is slow by design); once all have, the measured
window opens for LOAD_SECONDS (default 60) and each does what load/scenarios.py says, spread
over the servers of LOAD_HOSTS (comma-separated base URLs; default: --host). One more user,
the baseline, requests /healthz every quarter second throughout the window. When the window
closes the table is printed: each page's p95 in ms and as a multiple of the /healthz p95 of
the same window; the run ends (headless) and its exit code is 1 when a target is missed or a
request failed. LOAD_REPORT names a JSON file for the samples and the ledger of saves, which
load/run.py checks against the database.
"""

import itertools
import json
import os
import random
import sys
import time
from pathlib import Path

import gevent
from gevent.event import Event
from locust import HttpUser, constant, events, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from load import scenarios  # noqa: E402
from load.harness import BASELINE, Session, Stats  # noqa: E402

SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
BASELINE_EVERY = 0.25  # seconds between two /healthz requests of the baseline
LOGIN_WAIT = 600  # seconds the window waits for everyone to log in before opening anyway

stats = Stats()
ledger: dict = {}  # what each person was told was saved
numbers = itertools.count()  # each person's index, in the order they arrive


class Window:
    """The measured window: it opens once every person has logged in, and closes SECONDS
    later; the run ends once every person has stopped."""

    def __init__(self):
        self.opened = Event()
        self.finished = Event()
        self.opened_at = 0.0
        self.deadline = float("inf")
        self.arrived = 0
        self.stopped = 0
        self.people = 0

    def expect(self, environment) -> int:
        runner = environment.runner
        total = runner.target_user_count if runner else 1
        self.people = max(1, total - Baseline.fixed_count)
        return self.people

    def arrive(self, environment) -> None:
        self.arrived += 1
        if self.arrived >= self.expect(environment):
            self.open()

    def open(self) -> None:
        if not self.opened.is_set():
            self.opened_at = time.monotonic()
            self.deadline = self.opened_at + SECONDS
            self.opened.set()
            print(f"Everyone is logged in: the {SECONDS:g} s window opens.", flush=True)

    def stop(self) -> None:
        self.stopped += 1
        if self.stopped >= self.people:
            self.finished.set()

    def start(self, environment):
        """What a person calls after logging in: wait for the window, then take a moment before
        the first click (fifty requests in the same millisecond is not how people use a
        site). Returns the deadline."""
        self.arrive(environment)
        if not self.opened.wait(timeout=LOGIN_WAIT):
            self.open()
        time.sleep(random.uniform(0, 3) * scenarios.PAUSE_SCALE)
        return self.deadline


window = Window()


def hosts(user) -> list[str]:
    listed = [h.strip().rstrip("/") for h in os.environ.get("LOAD_HOSTS", "").split(",")]
    return [h for h in listed if h] or [user.host.rstrip("/")]


class Person(HttpUser):
    """A coordinator, a director or an admin, by the order they arrive (scenarios.role_of):
    of every 25 people, 18 coordinators, 4 directors and 3 admins."""

    wait_time = constant(0)

    @task
    def live(self):
        index = next(numbers)
        role, number = scenarios.role_of(index)
        session = Session(hosts(self), stats, offset=index, http=self.client, named=True)
        try:
            role(number, session, lambda: window.start(self.environment), ledger)
        finally:
            window.stop()
        raise StopUser()


class Baseline(HttpUser):
    """/healthz throughout the window, on every server in turn: what each page is compared
    with, measured under the same load at the same time."""

    fixed_count = 1
    wait_time = constant(0)

    @task
    def probe(self):
        session = Session(hosts(self), stats, http=self.client, named=True)
        window.opened.wait()
        while time.monotonic() < window.deadline:
            session.request(BASELINE, "/healthz", expect=(200,))
            time.sleep(BASELINE_EVERY)
        window.finished.wait(timeout=60)
        options = self.environment.parsed_options
        if options is None or options.headless:
            gevent.spawn(self.environment.runner.quit)
        raise StopUser()


@events.test_stop.add_listener
def report(environment, **_kwargs):
    """The table, either way; the JSON report for load/run.py when LOAD_REPORT is set."""
    if not window.opened.is_set() or getattr(report, "done", False):
        return
    report.done = True
    elapsed = max(time.monotonic() - window.opened_at, 1e-6) if window.opened_at else SECONDS
    elapsed = min(elapsed, SECONDS + 5)
    print()
    print(stats.table(elapsed), flush=True)
    missed = stats.missed_targets(window.people)
    errors = sum(stats.errors.values())
    print()
    print("Targets: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    for label, sample in stats.error_samples.items():
        print(f"first error on {label}: {sample}")
    # Locust's own exit code counts only its failures; a missed target fails the run too.
    environment.process_exit_code = 1 if missed or errors else 0
    if path := os.environ.get("LOAD_REPORT"):
        with open(path, "w") as out:
            json.dump(
                {
                    "people": window.people,
                    "elapsed": elapsed,
                    "samples": [
                        (label, started - window.opened_at, seconds)
                        for label, started, seconds in stats.samples
                    ],
                    "errors": dict(stats.errors),
                    "error_samples": stats.error_samples,
                    "ledger": ledger,
                    "missed": missed,
                },
                out,
            )
