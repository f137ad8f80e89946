"""The database going away mid-request: an error page, a log line, and the next request works."""

import logging
import urllib.error
import urllib.request

import pytest
from django.core.signals import request_started
from django.db import connection

from tests.factories import ProfileFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="terminating a server connection needs PostgreSQL (run by .ci/run's second pass)",
)


def get(url, session_id):
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session_id}"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.django_db(transaction=True)
def test_connection_lost_mid_request_gives_error_page_and_recovers(live_server, client, caplog):
    user = ProfileFactory().user
    client.force_login(user)
    session_id = client.cookies["sessionid"].value
    sabotaged = []

    def terminate_on_third_query(execute, sql, params, many, context):
        sabotaged.append(sql)
        if len(sabotaged) == 3:
            context["connection"].execute_wrappers.remove(terminate_on_third_query)
            with context["connection"].connection.cursor() as raw:
                raw.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        return execute(sql, params, many, context)

    def sabotage_first_request(**kwargs):
        # Runs in the server thread, on its own database connection.
        request_started.disconnect(sabotage_first_request)
        connection.execute_wrappers.append(terminate_on_third_query)

    request_started.connect(sabotage_first_request, weak=False)
    url = f"{live_server.url}/me/"
    with caplog.at_level(logging.ERROR, logger="django.request"):
        status, body = get(url, session_id)
    assert status == 500
    assert "Something went wrong" in body and "may have been saved" in body
    assert "nothing was saved" not in body
    assert any(r.name == "django.request" and r.levelno == logging.ERROR for r in caplog.records)

    status, body = get(url, session_id)
    assert status == 200
    assert "My growth" in body
