"""Two moves at the same instant on separate database connections, for the race tests."""

import threading

import pytest
from django.db import connection, connections

# Row locks and concurrent transactions need PostgreSQL, and each racer its own connection.
ON_POSTGRESQL = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent transactions need PostgreSQL (.ci/run's second pass)",
    ),
    pytest.mark.django_db(transaction=True),
]


def race(*moves):
    """Run the moves at the same instant on separate connections; return each result or error."""
    barrier = threading.Barrier(len(moves))
    results = [None] * len(moves)

    def run(index, move):
        try:
            barrier.wait()
            results[index] = move()
        except Exception as error:  # noqa: BLE001 — the outcome is what the test inspects
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, m)) for i, m in enumerate(moves)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
