"""make load's simulated people: they use the real pages (a changed form would otherwise
quietly stop the run from saving anything), stop when the window closes, Locust runs them
with the /healthz baseline, and the table names every page over its target."""

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from assessments.models import Assessment, Rating
from dashboards.models import ExportJob
from growthmatrix.management.commands._demo_reports import LEAVERS
from load import scenarios
from load.harness import Session, Stats

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def quick_pauses(monkeypatch):
    """A person's minute in a few seconds: each 1-3 s pause between clicks takes 0.1 s, and
    the submission comes 2.4 s before the end, long before a slow save could crowd it out."""
    quick = SimpleNamespace(
        uniform=lambda low, high: low / 10 if high <= 3 else high / 5,
        randint=random.randint,
        choice=random.choice,
        random=random.random,
    )
    monkeypatch.setattr(scenarios, "random", quick)


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_saves_in_the_background_and_submits(live_server, quick_pauses):
    call_command("seed_demo", "--force", "--coordinators", "3", "--cycles", "1", verbosity=0)
    stats, ledger = Stats(), {}

    session = Session([live_server.url], stats)
    scenarios.coordinator(0, session, lambda: time.monotonic() + 4, ledger)

    assert not stats.errors, stats.error_samples
    assert stats.latencies["save draft (background)"]
    assert len(stats.latencies["submit"]) == 1
    [(pk, saves)] = ledger.items()
    assessment = Assessment.objects.get(pk=pk)
    assert assessment.coordinator.user.email == "demo-coordinator-1@example.org"
    assert assessment.state == Assessment.State.SUBMITTED
    token, levels = saves[-1]
    stored = {
        r.indicator_id: (r.self_level, r.self_evidence)
        for r in Rating.objects.filter(assessment=assessment)
    }
    assert stored == {
        i: (level, f"{token} evidence for indicator {i}") for i, level in levels.items()
    }


def test_think_stops_at_the_deadline_instead_of_clicking_then():
    started = time.monotonic()
    assert scenarios.think(started + 0.05, low=1, high=2) is False
    assert time.monotonic() - started < 0.5
    assert scenarios.think(time.monotonic() + 5, low=0.01, high=0.02) is True


def test_fifty_people_are_36_coordinators_8_directors_and_6_admins():
    roles = [scenarios.role_of(index)[0] for index in range(50)]
    assert roles.count(scenarios.coordinator) == 36
    assert roles.count(scenarios.director) == 8
    assert roles.count(scenarios.admin) == 6
    # Each coordinator logs in with an account of their own, never one of the two people the
    # demo has leave the organization (their accounts are inactive).
    numbers = [n for role, n in map(scenarios.role_of, range(100)) if role is scenarios.coordinator]
    assert len(set(numbers)) == 72
    assert not set(numbers) & set(LEAVERS)
    assert sorted(numbers) == [n for n in range(74) if n not in LEAVERS]
    assert scenarios.coordinator_accounts(100) == 74


@pytest.mark.django_db(transaction=True)
def test_an_admin_exports_the_organization_through_the_background_export(
    live_server, quick_pauses, settings
):
    """Past EXPORT_QUEUE_ROWS the admin asks for the export, follows its progress page and
    downloads the file, as a browser without JavaScript would."""
    call_command("seed_demo", "--force", "--coordinators", "3", "--cycles", "1", verbosity=0)
    settings.EXPORT_QUEUE_ROWS = 1
    stats = Stats()
    session = Session([live_server.url], stats)
    assert session.login("demo-admin@example.org", scenarios.PASSWORD)

    assert scenarios.export_organization(session, time.monotonic() + 10) is True

    assert not stats.errors, stats.error_samples
    for page in ("export (xlsx)", "export (start)", "export progress page", "export download"):
        assert len(stats.latencies[page]) == 1, page
    job = ExportJob.objects.get()
    assert job.state == ExportJob.State.READY
    assert job.requester.email == "demo-admin@example.org"


@pytest.mark.django_db(transaction=True)
def test_locust_runs_the_people_with_a_healthz_baseline_and_judges_the_window(
    live_server, tmp_path
):
    """The locustfile, headless as `make load` runs it: a coordinator and the baseline for a
    three-second window (pauses a tenth as long; one person, as the test database is SQLite's
    in-memory one, which takes one writer at a time). Their saves are in the database, the table
    compares each page with /healthz, and the exit code says whether the targets held."""
    call_command("seed_demo", "--force", "--coordinators", "3", "--cycles", "1", verbosity=0)
    report_path = tmp_path / "report.json"
    env = {
        **os.environ,
        "LOAD_SECONDS": "3",
        "LOAD_PAUSE_SCALE": "0.1",
        "LOAD_REPORT": str(report_path),
        "LOAD_HOSTS": f"{live_server.url},{live_server.url}",
        "PYTHONPATH": str(ROOT),
    }
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(ROOT / "load" / "locustfile.py"),
            "--headless",
            "--users",
            "2",
            "--spawn-rate",
            "10",
            "--host",
            live_server.url,
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert "p95 ×hz" in run.stdout, run.stdout + run.stderr
    report = json.loads(report_path.read_text())
    assert report["people"] == 1
    assert not any(report["errors"].values()), report["error_samples"]
    samples = report["samples"]
    pages = {label for label, _started, _seconds in samples}
    assert {"healthz", "my growth", "assessment page", "save draft (background)"} <= pages
    # The baseline ran throughout the window, and nobody clicked before it opened.
    healthz = [started for label, started, _ in samples if label == "healthz"]
    assert len(healthz) >= 6 and max(healthz) > 2
    assert all(
        started >= 0 for label, started, _ in samples if label not in {"log in", "login page"}
    )
    # Every acknowledged save is in the database.
    assert len(report["ledger"]) == 1
    for pk, saves in report["ledger"].items():
        token, levels = saves[-1]
        stored = {
            r.indicator_id: (r.self_level, r.self_evidence)
            for r in Rating.objects.filter(assessment_id=int(pk))
        }
        assert stored == {
            int(i): (level, f"{token} evidence for indicator {i}") for i, level in levels.items()
        }
    assert run.returncode == (1 if report["missed"] else 0), run.stdout


def test_the_table_compares_each_page_with_healthz_and_names_the_misses():
    stats = Stats()
    for _ in range(19):
        stats.record("healthz", 0.010, True)
        stats.record("my team", 0.03, True)
        stats.record("finalize", 0.03, True)
        stats.record("log in", 2.0, True)
    stats.record("healthz", 0.010, True)
    stats.record("my team", 0.03, True)
    stats.record("finalize", 0.3, True)
    stats.record("finalize", 0.3, False, "500 /assessments/1/finalize/")

    # 50 people: every page within 10× /healthz; finalize's p95 is 30×.
    missed = stats.missed_targets(50)
    assert missed == ["finalize: p95 30.0× /healthz (target ≤ 10×)"]
    # 100 people: only the all-pages p95 counts, within 10×.
    assert stats.missed_targets(100) == []
    table = stats.table(elapsed=60)
    finalize = next(line for line in table.splitlines() if line.startswith("finalize"))
    assert finalize.split()[1] == "21" and finalize.split()[-1] == "1"
    assert finalize.split()[-2] == "30.0×"
    assert "all pages" in table.split("Before the window")[0]
    assert "log in" in table.split("Before the window")[1]
    # The baseline is the yardstick, not a page: it is outside "all pages".
    all_pages = next(line for line in table.splitlines() if line.startswith("all pages"))
    assert all_pages.split()[2] == "41"


def test_a_slow_all_pages_p95_misses_even_when_each_page_is_within_its_own_target():
    stats = Stats()
    for _ in range(20):
        stats.record("healthz", 0.010, True)
        stats.record("my team", 0.08, True)
        stats.record("team dashboard", 0.08, True)
    assert stats.missed_targets(50) == ["all pages: p95 8.0× /healthz (target ≤ 5×)"]
    assert Stats().missed_targets(50) == ["no /healthz baseline was measured"]


@pytest.mark.django_db(transaction=True)
def test_the_warm_up_rehearses_saves_a_submit_and_a_finalize(live_server):
    """Before the window, people who are none of its own save, submit and finalize once each
    (load/run.py), so that no server meets a move for the first time in the window."""
    call_command("seed_demo", "--force", "--coordinators", "4", "--cycles", "1", verbosity=0)
    current = Assessment.objects.filter(cycle__state="open").select_related("coordinator__user")
    editable = {
        int(a.coordinator.user.email.split("-")[2].split("@")[0]): a.pk
        for a in current.filter(state__in=["draft", "returned"])
    }
    in_review = set(current.filter(state="submitted").values_list("pk", flat=True))
    assert editable and in_review, "the demo has matrices in both states"

    number, pk = next(iter(editable.items()))
    assert scenarios.rehearse_coordinator(number, Session([live_server.url], Stats()))
    submitted = Assessment.objects.get(pk=pk)
    assert submitted.state == Assessment.State.SUBMITTED
    assert submitted.ratings.filter(self_evidence__startswith=f"warm-up-{number} ").exists()

    finalized = [
        scenarios.rehearse_director(n, Session([live_server.url], Stats())) for n in (1, 2, 3)
    ]
    assert any(finalized)
    now_finalized = set(current.filter(state="finalized").values_list("pk", flat=True))
    assert now_finalized & (in_review | {pk})
