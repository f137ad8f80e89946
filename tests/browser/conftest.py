"""Playwright on Debian's Chromium against pytest-django's live server."""

import os
import threading
import time

import pytest
from django.core.signals import request_finished, request_started
from playwright.sync_api import expect

from tests.conftest import CHROMIUM

# The live server thread and Playwright's sync API share nothing else; the ORM calls the
# tests make between browser steps are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct horse battery staple"

# A page that needs a moment longer on a busy 2-core CI machine is not a fault: assertions
# wait up to 15 s for what they expect (Playwright's default is 5 s).
expect.set_options(timeout=15_000)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ["--no-sandbox"]}


class InFlight:
    """How many requests the live server is answering right now, from Django's request
    signals (they fire in the server's request threads)."""

    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    def started(self, **kwargs):
        with self.lock:
            self.count += 1

    def finished(self, **kwargs):
        with self.lock:
            self.count -= 1

    def wait_until_idle(self, timeout=15.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if self.count <= 0:
                    return
            time.sleep(0.02)


@pytest.fixture(autouse=True)
def quiet_browser_before_flush(request):
    """A browser test's pages may still be sending a background save when the test ends; if
    it reached the live server while the test database is being emptied, the flush would
    fail on a row written half-way, and the next test would find it. So, before the
    database teardown of every browser test: close every page the browser still holds,
    then wait for the requests the server is answering to finish."""
    if "browser" not in request.fixturenames:
        yield
        return
    # Set up the database fixture first, so that this teardown runs before its flush.
    request.getfixturevalue("transactional_db")
    in_flight = InFlight()
    request_started.connect(in_flight.started, weak=False)
    request_finished.connect(in_flight.finished, weak=False)
    yield
    browser = request.getfixturevalue("browser")
    for context in list(browser.contexts):
        context.close()
    in_flight.wait_until_idle()
    request_started.disconnect(in_flight.started)
    request_finished.disconnect(in_flight.finished)


@pytest.fixture
def login(live_server):
    """Log a user in through the real login form: ``login(page, user)``.

    Test data made with factories publishes no domain events, so the dashboards' read model
    is rebuilt first, as the roster import and the demo do after their bulk writes; what a
    person then does in the browser goes through the services and keeps it by their events."""

    def do_login(page, user, password=PASSWORD):
        from dashboards import read_model

        read_model.rebuild()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email address").fill(user.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        return page

    return do_login
