"""The database's own refusals, asserted the same way by every app's model tests."""

import pytest
from django.db import IntegrityError, transaction


def refused(make):
    """``make()`` breaks a constraint: the database refuses it, and the test goes on in a
    clean transaction."""
    with pytest.raises(IntegrityError), transaction.atomic():
        make()
