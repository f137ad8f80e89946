"""Small bounded HTTP load harness: sessions with cookies, timing per page, a summary table.

Standard library only, so the load run needs nothing beyond the project's own install.
"""

import http.cookiejar
import re
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field

# Logging in happens before the measured window opens (PBKDF2 is slow by design).
RAMP_UP = {"login page", "log in"}
P95_TARGET_MS = 300
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class BehindTLS(http.cookiejar.DefaultCookiePolicy):
    """The servers run as in production behind a TLS-terminating balancer, so their cookies
    are Secure; the simulated balancer is plain HTTP on loopback and passes them on."""

    def return_ok_secure(self, cookie, request):
        return True

    def set_ok(self, cookie, request):
        return super().set_ok(cookie, request) or cookie.secure


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


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

    def table(self, elapsed: float) -> str:
        header = (
            f"{'page':<28} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} "
            f"{'p99 ms':>8} {'errors':>7}"
        )
        rows, ramp = [header], ["Before the window (logging in, not counted):", header]
        latencies = self.latencies
        for label in sorted(latencies):
            values = sorted(latencies[label])
            line = self.row(label, values, elapsed, self.errors[label])
            (ramp if label in RAMP_UP else rows).append(line)
        every = sorted(
            v for label, values in latencies.items() if label not in RAMP_UP for v in values
        )
        errors = sum(n for label, n in self.errors.items() if label not in RAMP_UP)
        rows.append(self.row("all pages", every, elapsed, errors))
        return "\n".join(rows + [""] + ramp)

    @staticmethod
    def row(label, values, elapsed, errors) -> str:
        return (
            f"{label:<28} {len(values):>8} {len(values) / elapsed:>7.1f} "
            f"{percentile(values, 50):>8.1f} {percentile(values, 95):>8.1f} "
            f"{percentile(values, 99):>8.1f} {errors:>7}"
        )

    def over_target(self) -> list[str]:
        return [
            label
            for label, values in self.latencies.items()
            if label not in RAMP_UP and percentile(sorted(values), 95) > P95_TARGET_MS
        ]


def percentile(values: list[float], pct: int) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1] * 1000


class Session:
    """One simulated person: a cookie jar, and base URLs used in turn (the load balancer)."""

    def __init__(self, bases: list[str], stats: Stats, offset: int = 0):
        self.bases = bases
        self.turn = offset
        self.stats = stats
        self.jar = http.cookiejar.CookieJar(BehindTLS())
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def base(self) -> str:
        self.turn += 1
        return self.bases[self.turn % len(self.bases)]

    def request(self, label: str, path: str, data: dict | list | None = None, expect=(200, 302)):
        url = path if path.startswith("http") else self.base() + path
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        # What the TLS-terminating load balancer adds in production.
        https_url = "https://" + url.split("://", 1)[1]
        headers = {
            "User-Agent": "growthmatrix-load",
            "X-Forwarded-Proto": "https",
            "Referer": https_url,
        }
        csrf = self.cookie("csrftoken")
        if body is not None and csrf:
            headers["X-CSRFToken"] = csrf
        request = urllib.request.Request(url, data=body, headers=headers)
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as response:
                status, text, location = (
                    response.status,
                    response.read().decode(errors="replace"),
                    None,
                )
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
            location = error.headers.get("Location")
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            self.stats.record(label, time.perf_counter() - started, False, repr(error))
            return 0, "", None
        self.stats.record(
            label, time.perf_counter() - started, status in expect, f"{status} {url} {text[:200]}"
        )
        return status, text, location

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

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
