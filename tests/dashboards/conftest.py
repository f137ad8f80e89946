"""Fixtures of the dashboard tests: a history of closed cycles and the open cycle after it."""

import pytest

from tests.dashboards.dashboard_data import open_cycle, past_cycles


@pytest.fixture
def cycles(org):
    """Two closed cycles a year apart, oldest first."""
    return past_cycles(org, 2)


@pytest.fixture
def current(org, cycles):
    """The organization's open cycle, made after the closed ones."""
    return open_cycle(org)
