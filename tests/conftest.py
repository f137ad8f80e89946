import os
import shutil
import time
from types import SimpleNamespace

import django_ratelimit.core
import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings

from coordinators import events
from tests.access_world import world_build
from tests.factories import OrganizationFactory, ProfileFactory, TeamFactory, UserFactory

# Property tests check what a rule does, never how fast: on a shared 2-core machine a busy
# moment would otherwise fail an example for taking long (its deadline) or a strategy for
# generating slowly (the too_slow health check).
settings.register_profile(
    "growthmatrix", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("growthmatrix")


@pytest.fixture(autouse=True)
def rate_windows_hold_still(request, monkeypatch):
    """Rate limits count in fixed windows (a minute, an hour): a test's requests fall in one
    window, as a person's quick clicks do, instead of straddling its end on a slow machine and
    starting a count again. A test that waits a window out is marked ``rate_windows_move``."""
    if request.node.get_closest_marker("rate_windows_move"):
        return
    now = time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: now))


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSERS_REQUIRED = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's Chromium: skipped with a reason locally, required in CI."""
    if os.path.exists(CHROMIUM):
        return
    if BROWSERS_REQUIRED:
        raise pytest.UsageError(
            f"CI=true but no Chromium at {CHROMIUM}; install it with apt-get install chromium."
        )
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, and at the end: Chromium keeps its connections to the
    live server open, so the server's request threads keep theirs to PostgreSQL until the
    process exits, and PostgreSQL would refuse to drop the test database. They go first."""
    yield
    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: ids are reused between tests on SQLite, so a
    cached rubric text could otherwise belong to another test's rubric."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def today():
    """The organization's today, read when the test starts: a date read at import would be
    yesterday's for a test that runs after midnight, and tests/test_suite_rules.py refuses one."""
    return timezone.localdate()


@pytest.fixture
def org(db):
    return OrganizationFactory(name="Bay Partnership", slug="bay")


@pytest.fixture
def other_org(db):
    return OrganizationFactory(name="Elsewhere District", slug="elsewhere")


@pytest.fixture
def admin_user(org):
    return UserFactory(organization=org, roles=["admin"], email="admin@example.org")


@pytest.fixture
def team(org):
    return TeamFactory(organization=org, name="East")


@pytest.fixture
def director(team):
    return team.director


@pytest.fixture
def profile(team):
    """A coordinator on ``team``."""
    return ProfileFactory(team=team, user__email="coordinator@example.org")


@pytest.fixture
def coordinator(profile):
    return profile.user


@pytest.fixture
def teammate(team):
    return ProfileFactory(team=team, user__email="teammate@example.org")


@pytest.fixture
def other_team(org):
    return TeamFactory(organization=org, name="West")


@pytest.fixture
def other_director(other_team):
    return other_team.director


@pytest.fixture
def other_admin(other_org):
    return UserFactory(organization=other_org, roles=["admin"], email="other-admin@example.org")


@pytest.fixture
def client_for(client):
    """Log a user in on the test client: ``client_for(user).get(...)``."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def subscribed():
    """Subscribe domain event handlers for one test only: ``subscribed(EventType, handler)``."""
    added = []

    def add(event_type, handler):
        events.subscribe(event_type, handler)
        added.append((event_type, handler))

    yield add
    for event_type, handler in added:
        events.unsubscribe(event_type, handler)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world every URL is requested in (tests/access_world.py), built once for the module
    that asks for it and undone at its end; each request in it is rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield world_build()
        transaction.set_rollback(True)
