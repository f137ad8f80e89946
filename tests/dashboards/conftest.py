"""Fixtures of the dashboard tests: a history of closed cycles and the open cycle after it."""

import pytest
from django.db import connection

from tests.dashboards.dashboard_data import open_cycle, past_cycles


@pytest.fixture
def cycles(org):
    """Two closed cycles a year apart, oldest first."""
    return past_cycles(org, 2)


@pytest.fixture
def current(org, cycles):
    """The organization's open cycle, made after the closed ones."""
    return open_cycle(org)


@pytest.fixture(autouse=True)
def read_model_follows_factories(request, monkeypatch):
    """The tests here build their organizations with factories, which write rows directly
    rather than through the services that publish events (as the demo seed and the roster
    import write in bulk). Like those, they are followed by a rebuild of the read model: before
    each request of the test client, uncounted by the query-count checks. That the services'
    events keep the read model equal to a rebuild is tested in test_read_model.py."""
    uses_database = "db" in request.fixturenames or "django_db" in request.keywords
    if "no_read_model_rebuild" in request.keywords or not uses_database:
        yield
        return
    from django.test.client import Client

    original = Client.request

    def request_after_rebuild(self, **kwargs):
        rebuild_uncounted()
        return original(self, **kwargs)

    monkeypatch.setattr(Client, "request", request_after_rebuild)
    yield


def rebuild_uncounted():
    """Rebuild the read model without its queries showing in a query count."""
    from dashboards import read_model

    logging = connection.force_debug_cursor
    connection.force_debug_cursor = False
    try:
        read_model.rebuild()
    finally:
        connection.force_debug_cursor = logging
