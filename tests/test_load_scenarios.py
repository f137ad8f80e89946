"""make load's simulated people: they use the real pages (a changed form would otherwise
quietly stop the run from saving anything), stop when the window closes, and the table
names every page over the target."""

import random
import time
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from assessments.models import Assessment, Rating
from load import scenarios
from load.harness import Stats


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

    scenarios.coordinator(0, [live_server.url], stats, lambda: time.monotonic() + 4, ledger)

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
    # Each coordinator logs in with an account of their own.
    numbers = [n for role, n in map(scenarios.role_of, range(100)) if role is scenarios.coordinator]
    assert sorted(numbers) == list(range(72))
    assert scenarios.coordinator_accounts(100) == 72


def test_the_table_names_pages_over_the_target_and_leaves_out_logging_in():
    stats = Stats()
    for _ in range(19):
        stats.record("my team", 0.05, True)
        stats.record("finalize", 0.05, True)
        stats.record("log in", 2.0, True)
    stats.record("my team", 0.05, True)
    stats.record("finalize", 0.9, True)
    stats.record("finalize", 0.9, False, "500 /assessments/1/finalize/")

    assert stats.over_target() == ["finalize"]
    table = stats.table(elapsed=60)
    finalize = next(line for line in table.splitlines() if line.startswith("finalize"))
    assert finalize.split()[1] == "21" and finalize.split()[-1] == "1"
    assert "all pages" in table.split("Before the window")[0]
    assert "log in" in table.split("Before the window")[1]
