"""Fixtures of the roster import tests."""

import pytest

from tests.factories import SchoolFactory


@pytest.fixture
def lincoln(org):
    """The school the example people files name."""
    return SchoolFactory(organization=org, name="Lincoln Elementary")
