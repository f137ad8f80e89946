"""The measuring side of the load test: sessions with cookies, timing per page, and the table
of each page's p95 as a multiple of the /healthz p95 of the same window.

A Session speaks through a requests.Session: Locust's HttpSession when Locust runs the people
(load/locustfile.py), a plain one in the tests and the warm-up.
"""

import re
import statistics
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

import requests

# Logging in happens before the measured window opens (PBKDF2 is slow by design).
RAMP_UP = {"login page", "log in"}
# Requested throughout the window by one probe: the baseline each page is compared with.
BASELINE = "healthz"
# Targets, as multiples of the baseline's p95 in the same window: (all pages, every page).
TARGETS = {50: (5.0, 10.0), 100: (10.0, None)}
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Stats:
    """Latencies and errors per page label, shared by every simulated user."""

    samples: list = field(default_factory=list)  # (label, started, seconds), as they end
    errors: dict = field(default_factory=lambda: defaultdict(int))
    error_samples: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, label: str, seconds: float, ok: bool, detail: str = ""):
        with self.lock:
            self.samples.append((label, time.monotonic() - seconds, seconds))
            if not ok:
                self.errors[label] += 1
                self.error_samples.setdefault(label, detail[:300])

    @property
    def latencies(self) -> dict[str, list[float]]:
        """Seconds per page label."""
        grouped = defaultdict(list)
        for label, _started, seconds in self.samples:
            grouped[label].append(seconds)
        return grouped

    def p95_ms(self, label: str) -> float:
        return percentile(sorted(self.latencies.get(label, [])), 95)

    def measured(self) -> dict[str, list[float]]:
        """Seconds per page of the window: logging in and the baseline left out."""
        return {
            label: values
            for label, values in self.latencies.items()
            if label not in RAMP_UP and label != BASELINE
        }

    def table(self, elapsed: float) -> str:
        header = (
            f"{'page':<28} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} "
            f"{'p99 ms':>8} {'p95 ×hz':>8} {'errors':>7}"
        )
        base = self.p95_ms(BASELINE)
        rows, ramp = [header], ["Before the window (logging in, not counted):", header]
        latencies = self.latencies
        for label in sorted(latencies):
            line = self.row(label, sorted(latencies[label]), elapsed, self.errors[label], base)
            (ramp if label in RAMP_UP else rows).append(line)
        every = sorted(v for values in self.measured().values() for v in values)
        errors = sum(n for label, n in self.errors.items() if label not in RAMP_UP)
        rows.append(self.row("all pages", every, elapsed, errors, base))
        return "\n".join(rows + [""] + ramp)

    @staticmethod
    def row(label, values, elapsed, errors, base_ms) -> str:
        p95 = percentile(values, 95)
        ratio = f"{p95 / base_ms:.1f}×" if base_ms and values else "-"
        return (
            f"{label:<28} {len(values):>8} {len(values) / elapsed:>7.1f} "
            f"{percentile(values, 50):>8.1f} {p95:>8.1f} "
            f"{percentile(values, 99):>8.1f} {ratio:>8} {errors:>7}"
        )

    def missed_targets(self, people: int) -> list[str]:
        """What missed its target, in words: the all-pages p95, then each page's, as
        multiples of the /healthz p95 of the same window (the 50-people targets up to 50
        people, the 100-people ones above)."""
        all_pages, each_page = TARGETS[50 if people <= 50 else 100]
        base = self.p95_ms(BASELINE)
        if not base:
            return ["no /healthz baseline was measured"]
        missed = []
        measured = self.measured()
        every = sorted(v for values in measured.values() for v in values)
        ratio = percentile(every, 95) / base
        if ratio > all_pages:
            missed.append(f"all pages: p95 {ratio:.1f}× /healthz (target ≤ {all_pages:g}×)")
        if each_page is not None:
            for label in sorted(measured):
                ratio = percentile(sorted(measured[label]), 95) / base
                if ratio > each_page:
                    missed.append(f"{label}: p95 {ratio:.1f}× /healthz (target ≤ {each_page:g}×)")
        return missed


def percentile(values: list[float], pct: int) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1] * 1000


class Session:
    """One simulated person: a cookie jar, and base URLs used in turn (the load balancer).

    ``http`` is the requests.Session to send through; ``named`` passes each page's label to
    it as Locust's ``name``, so Locust's own statistics group requests by page too."""

    def __init__(
        self,
        bases: list[str],
        stats: Stats,
        offset: int = 0,
        *,
        http: requests.Session | None = None,
        named: bool = False,
    ):
        self.bases = bases
        self.turn = offset
        self.stats = stats
        self.http = http or requests.Session()
        self.named = named

    def base(self) -> str:
        self.turn += 1
        return self.bases[self.turn % len(self.bases)]

    def request(self, label: str, path: str, data: dict | list | None = None, expect=(200, 302)):
        url = path if path.startswith("http") else self.base() + path
        # What the TLS-terminating load balancer adds in production.
        https_url = "https://" + url.split("://", 1)[1]
        headers = {
            "User-Agent": "growthmatrix-load",
            "X-Forwarded-Proto": "https",
            "Referer": https_url,
        }
        csrf = self.cookie("csrftoken")
        if data is not None and csrf:
            headers["X-CSRFToken"] = csrf
        # Through Locust, each request is named by its page and counted as failed by the same
        # rule as here: a 409 that a person may get (another tab finalized first) is an answer.
        extra = {"name": label, "catch_response": True} if self.named else {}
        started = time.perf_counter()
        try:
            response = self.http.request(
                "GET" if data is None else "POST",
                url,
                data=data,
                headers=headers,
                allow_redirects=False,
                timeout=30,
                **extra,
            )
            if self.named:
                with response:
                    if response.status_code in expect:
                        response.success()
                    else:
                        response.failure(f"{response.status_code} where {expect} was expected")
            # Locust answers a failed connection with status 0 and no body instead of raising.
            text = response.text if response.status_code else ""
        except requests.RequestException as error:
            self.stats.record(label, time.perf_counter() - started, False, repr(error))
            return 0, "", None
        finally:
            # One connection per request, as each click of a person some seconds apart: a
            # connection the server closed after its keep-alive time is never reused.
            self.http.close()
        # The servers run as in production behind a TLS-terminating balancer, so their cookies
        # are Secure; the simulated balancer is plain HTTP on loopback and passes them on.
        for cookie in self.http.cookies:
            cookie.secure = False
        status = response.status_code
        self.stats.record(
            label, time.perf_counter() - started, status in expect, f"{status} {url} {text[:200]}"
        )
        return status, text, response.headers.get("Location")

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.http.cookies if c.name == name), None)

    def login(self, email: str, password: str) -> bool:
        status, text, _ = self.request("login page", "/accounts/login/")
        token = CSRF_INPUT.search(text)
        if not token:
            return False
        status, _, location = self.request(
            "log in",
            "/accounts/login/",
            {"csrfmiddlewaretoken": token.group(1), "username": email, "password": password},
            expect=(302,),
        )
        return status == 302


def database(url: str):
    """A psycopg2 connection to a DATABASE_URL-style address (postgres:// or postgresql://)."""
    import psycopg2

    return psycopg2.connect(url.replace("postgres://", "postgresql://", 1))
