"""Bad input never breaks anything.

Every form and action of the project (the URL names with a POST body in tests/url_cases.py,
so a new one is never forgotten) is posted, by someone allowed to use it, with its valid
body spoiled one field at a time: oversized text, NUL bytes, HTML and <script>, wrong types,
negative, unknown and enormous ids, ids of another organization, a field sent twice or not
at all, and no CSRF token. The answer is a form error, a refusal message or a 4xx — never a
500. A refusal writes nothing (row counts of every table of the project, history tables
included, are unchanged), and text that was accepted comes back escaped.

Uploads (the roster import) are fed the wrong file type, an empty file, a 50 MB file, wrong
columns, invalid UTF-8, NUL bytes and spreadsheet formulas: a clear message, nothing saved.
"""

import io
import re
import traceback
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from tests.access_world import (
    ACTORS,
    client_for,
    error_messages,
    form_errors,
    rolled_back,
    row_counts,
)
from tests.project_apps import APPS
from tests.test_access_table import TABLE
from tests.url_cases import CASES, url_names, url_of

SCRIPT = '<script>alert("gm")</script><img src=x onerror=alert(1)>'
SCRIPT_SHOWN = "&lt;script&gt;alert(&quot;gm&quot;)&lt;/script&gt;"
HUGE = "x" * 200_000
# Password fields are hashed, never stored or shown: their length is not the form's concern.
SECRET_FIELDS = {"password", "old_password", "new_password1", "new_password2"}
# Values for any field that is not free text: ids, numbers, dates, choices, tokens.
WRONG_VALUES = {
    "blank": "",
    "negative": "-1",
    "superscript digit": "²",  # "²".isdigit() is true, int("²") fails
    "enormous number": "9" * 30,
    "NUL byte and HTML": "1\x00" + SCRIPT,
}
# Values for free-text fields.
TEXT_VALUES = {
    "oversized text": HUGE,
    "NUL byte": "before\x00after",
    "HTML": SCRIPT,
}
# Fields no form of the project has, each with something a careless view would trip on.
EXTRA_FIELDS = {
    "next": "//evil.example.org/",
    "goal": "²",
    "lock_version": "9" * 5000,
    "version": "²",
    "status": "\x00",
    "token": SCRIPT,
    "action": "remove:²",
}
# Requests that change the session's user or key get a new client each time.
FRESH_CLIENT = {"login", "logout", "password_change"}
# The person who uses each form, in order of preference among those the table allows.
PREFERRED = ("self", "director", "admin", "anon")


def post_targets() -> list[str]:
    """The forms and actions (a URL without a request in url_cases fails the access table)."""
    return [name for name, _route in url_names() if name in CASES and CASES[name].post is not None]


def user_of(name: str) -> str:
    """Someone the access table lets use this form."""
    row = TABLE[name]["POST"]
    allowed = [actor for actor in PREFERRED if row[actor] == "ok"]
    return allowed[0] if allowed else "self"  # logging out: anyone signed in


def is_text(case, field: str) -> bool:
    return any(
        field == pattern or (pattern.endswith("*") and field.startswith(pattern[:-1]))
        for pattern in case.texts
    )


def representatives(body: dict) -> list[str]:
    """One field of each shape (``evidence_12`` stands for every ``evidence_<pk>``)."""
    seen, fields = set(), []
    for field in body:
        shape = re.sub(r"\d+", "N", field)
        if shape not in seen:
            seen.add(shape)
            fields.append(field)
    return fields


def refused(response) -> bool:
    """A 4xx, a form shown again with errors, or an error message. Submitting and finalizing
    save what is on the page before checking it is complete, and say so ("your draft is
    saved"): nothing typed is lost, so that save is not a refusal."""
    if any("is saved" in message for message in error_messages(response)):
        return False
    return (
        response.status_code >= 400 or bool(form_errors(response)) or bool(error_messages(response))
    )


class Attempts:
    """Posts variants of one form inside a rolled-back transaction and notes what breaks."""

    def __init__(self, world, name):
        self.world, self.name, self.case = world, name, CASES[name]
        self.actor = user_of(name)
        self.problems: list[str] = []
        self.shown_escaped = False
        self.counts = None  # the same before every attempt: each one is rolled back
        self.client = client_for(world.users[self.actor], raise_request_exception=False)

    def post(self, label: str, change, *, client_kwargs=None, must_refuse=False):
        with override_settings(**self.case.settings), rolled_back():
            if client_kwargs or self.name in FRESH_CLIENT:
                client = client_for(
                    self.world.users[self.actor],
                    raise_request_exception=False,
                    **(client_kwargs or {}),
                )
            else:
                client = self.client
                client.cookies.pop("messages", None)
            body = self.case.post(self.world, self.actor, client)
            body = change(dict(body))
            if self.counts is None:
                self.counts = row_counts()
            response = client.post(url_of(self.world, self.name), body)
            self.check(label, response, body, must_refuse, client)
        return response

    def check(self, label, response, body, must_refuse, client):
        if response.status_code >= 500:
            error = "".join(traceback.format_exception_only(*response.exc_info[:2])).strip()
            self.problems.append(f"{label}: {response.status_code} {error}")
            return
        if refused(response):
            before, after = self.counts, row_counts()
            changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
            if changed:
                self.problems.append(f"{label}: refused but rows changed {changed}")
            return
        if must_refuse:
            self.problems.append(f"{label}: accepted ({response.status_code})")
            return
        if SCRIPT not in str(body.values()):
            return
        pages = [response.get("Location")] if response.status_code == 302 else []
        if self.case.show:
            pages.append(self.case.show(self.world))
        for page in filter(None, pages):
            shown = client.get(page)
            html = shown.content.decode(errors="replace")
            if SCRIPT in html or "<script>alert" in html:
                self.problems.append(f"{label}: {page} shows the posted HTML unescaped")
            if SCRIPT_SHOWN in html:
                self.shown_escaped = True

    def report(self):
        assert not self.problems, f"POST {self.name} as {self.actor}:\n  " + "\n  ".join(
            self.problems
        )


TARGETS = post_targets()


@pytest.mark.parametrize("name", TARGETS)
def test_every_field_spoiled_in_turn(db, world, name):
    attempts = Attempts(world, name)
    case = attempts.case
    with rolled_back():
        body = case.post(world, attempts.actor, client_for(world.users[attempts.actor]))
    html_accepted = False
    fields = representatives(body)
    for field in fields:
        values = TEXT_VALUES if is_text(case, field) else WRONG_VALUES
        for label, value in values.items():
            must_refuse = label == "oversized text" and field not in SECRET_FIELDS
            response = attempts.post(
                f"{field}={label}",
                lambda b, f=field, v=value: b | {f: v},
                must_refuse=must_refuse,
            )
            if label == "HTML" and is_text(case, field) and not refused(response):
                html_accepted = True
        attempts.post(f"{field} missing", lambda b, f=field: {k: v for k, v in b.items() if k != f})
    if fields:
        attempts.post(f"{fields[0]} sent twice", lambda b: b | {fields[0]: [b[fields[0]], "-1"]})
    attempts.post("unknown fields", lambda b: EXTRA_FIELDS | b)
    attempts.post("empty body", lambda b: {})
    attempts.report()
    if html_accepted and case.show:
        assert attempts.shown_escaped, f"{name}: accepted HTML never shown back (escaped)"


@pytest.mark.parametrize("name", [n for n in TARGETS if CASES[n].ids])
def test_ids_of_another_organization_are_refused(db, world, name):
    attempts = Attempts(world, name)
    for field, foreign in attempts.case.foreign(world).items():
        attempts.post(
            f"{field}=another organization's",
            lambda b, f=field, v=foreign: b | {f: v},
            must_refuse=True,
        )
    attempts.report()


@pytest.mark.parametrize("name", TARGETS)
def test_a_post_without_csrf_token_is_refused(db, world, name):
    attempts = Attempts(world, name)
    response = attempts.post(
        "no CSRF token", lambda b: b, client_kwargs={"enforce_csrf_checks": True}
    )
    attempts.report()
    # Pages opened with an emailed link as well: their form carries its CSRF token.
    assert response.status_code == 403


# Ids in the URL ---------------------------------------------------------------------------

UNKNOWN_IDS = {"unknown": 2_000_000_000, "beyond 64 bits": 10**25}


WITH_IDS = [n for n, route in url_names() if "<int:" in route and n in TABLE and n in CASES]


@pytest.mark.parametrize("name", WITH_IDS)
def test_unknown_and_enormous_ids_in_the_url_are_404(db, world, name):
    """Negative ids do not match a URL at all; unknown ones, and ones no database column can
    hold, are a 404 for the very person who may use the page or action."""
    kwargs = CASES[name].kwargs(world)
    for method, row in TABLE[name].items():
        actor = next((a for a in (*PREFERRED, *ACTORS) if row[a] == "ok"), None)
        if actor is None:
            continue
        for label, pk in UNKNOWN_IDS.items():
            ids = {k: pk for k, v in kwargs.items() if isinstance(v, int)}
            with override_settings(**CASES[name].settings), rolled_back():
                client = client_for(world.users[actor], raise_request_exception=False)
                url = url_of(world, name, kwargs=kwargs | ids)
                if method == "GET":
                    response = client.get(url)
                else:
                    response = client.post(url, CASES[name].post(world, actor, client))
            assert response.status_code == 404, (method, name, label, response.exc_info)


# Query strings of every page ------------------------------------------------------------

HOSTILE_QUERY = {
    "page": "-1",
    "cycle": "²",
    "team": "9" * 30,
    "school": "\x00",
    "school_level": SCRIPT,
    "setting": "x" * 5000,
    "flag": SCRIPT,
    "status": "\x00",
    "sort": SCRIPT,
    "q": "\x00" + SCRIPT,
    "family": "²",
    "against": "9" * 30,
    "schools": "all",
    "category": "\x00",
    "kind": SCRIPT,
    "goal": "²",
    "entry": "9" * 30,
    "next": "//evil.example.org/" + SCRIPT,
    "cycle_from": "9" * 30,
    "cycle_to": "-1",
    "role_family": "\x00",
    "split": SCRIPT,
    "group": "x" * 5000,
    "cell": "|" * 300 + SCRIPT,
    "pre_post": "entry:" + "9" * 30,
}


def page_reader(name: str) -> str | None:
    """Someone the access table lets read this page (None: GET is refused to all)."""
    row = TABLE[name]["GET"]
    return next((a for a in (*PREFERRED, *ACTORS) if row[a] == "ok"), None)


PAGES = [name for name, _route in url_names() if name in TABLE and page_reader(name)]


@pytest.mark.parametrize("name", PAGES)
def test_hostile_query_strings_never_break_a_page(db, world, name):
    """Every page, with every query parameter the pages read set to something hostile."""
    actor = page_reader(name)
    with override_settings(**CASES[name].settings), rolled_back():
        client = client_for(world.users[actor], raise_request_exception=False)
        for query in (HOSTILE_QUERY, {k: [v, "1"] for k, v in HOSTILE_QUERY.items()}):
            response = client.get(url_of(world, name, query=query))
            assert response.status_code < 500, (name, response.exc_info)
            body = (
                b"".join(response.streaming_content) if response.streaming else response.content
            )  # export files are streamed
            assert "<script>alert" not in body.decode(errors="replace"), name


# Free text, generated ---------------------------------------------------------------------

TEXT_FIELDS = [
    ("assessments:assessment-autosave", "evidence_*"),
    ("assessments:assessment-review", "coaching_notes"),
    ("assessments:assessment-review-autosave", "step-0-text"),
    ("rubrics:rubric-category-edit", "category-description"),
    ("assessments:cycle-create", "name"),
    ("growth:goal-create", "notes"),
    ("growth:catalogue-create", "title"),
]


@pytest.mark.parametrize(("name", "pattern"), TEXT_FIELDS)
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=st.text(max_size=400) | st.text(alphabet="<>&\"'\x00\r\n\t =/", max_size=60))
def test_any_text_is_saved_or_refused_cleanly(db, world, name, pattern, text):
    attempts = Attempts(world, name)

    def put(body):
        for field in body:
            if field == pattern or (pattern.endswith("*") and field.startswith(pattern[:-1])):
                body[field] = text
        return body

    attempts.post(f"{pattern}={text!r}", put)
    attempts.report()


# Uploads ----------------------------------------------------------------------------------


def xlsx(rows, title="Schools") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HEADER = b"name,level,setting\n"
UPLOADS = {
    "a Word document": ("roster.docx", b"PK\x03\x04word", "not a CSV or XLSX file"),
    "an image called .csv": ("roster.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "not UTF-8"),
    "an empty file": ("roster.csv", b"", "The submitted file is empty."),
    "a blank file": ("roster.csv", b"  \n\n", "is empty"),
    # Made when the test runs, not when the module is imported.
    "a 50 MB file": ("roster.csv", lambda: b"Harbor,middle,urban\n" * 2_650_000, "the limit"),
    "wrong columns": ("roster.csv", b"colour,size\nred,big\n", "Download a template"),
    "a missing column": ("roster.csv", b"name,level\nHarbor,middle\n", "missing column setting"),
    "invalid UTF-8": ("roster.csv", HEADER + b"Caf\xe9 \xff\xfe,middle,urban\n", "not UTF-8"),
    "NUL bytes": ("roster.csv", HEADER + b"Har\x00bor,middle,urban\n", "does not look like"),
    "a damaged workbook": ("roster.xlsx", b"PK\x03\x04garbage", "not a readable Excel"),
    "a formula in a CSV cell": (
        "roster.csv",
        HEADER + b'=HYPERLINK("http://evil.example.org","Harbor"),middle,urban\n',
        "formula",
    ),
    "a formula after a quote in a CSV cell": (
        "roster.csv",
        HEADER + b'Harbor,middle,urban\n"+SUM(1,2)",high,rural\n',
        "formula",
    ),
    "a formula in a workbook cell": (
        "roster.xlsx",
        xlsx([["name", "level", "setting"], ["=1+1", "middle", "urban"]]),
        "formula",
    ),
    "HTML in a cell": ("roster.csv", HEADER + SCRIPT.encode() + b",middle,urban\n", None),
}


@pytest.mark.parametrize("label", list(UPLOADS))
def test_a_bad_roster_file_is_a_clear_message_and_saves_nothing(db, world, label):
    file_name, content, message = UPLOADS[label]
    content = content() if callable(content) else content
    admin = world.users["admin"]
    with rolled_back():
        client = client_for(admin, raise_request_exception=False)
        before = row_counts()
        response = client.post(
            reverse("roster:roster-import"),
            {"file": SimpleUploadedFile(file_name, content)},
        )
        html = response.content.decode(errors="replace")
        assert response.status_code in (200, 400), response.exc_info
        assert "<script>alert" not in html
        if message is not None:
            assert message in html, html[:3000]
            assert "Import now" not in html
            token = response.context.get("token") or "none"
            confirm = client.post(reverse("roster:roster-import-confirm"), {"token": token})
            assert confirm.status_code == 302
        assert row_counts() == before


def test_many_files_in_one_upload_field_are_refused_or_read_once(db, world):
    admin = world.users["admin"]
    with rolled_back():
        client = client_for(admin, raise_request_exception=False)
        before = row_counts()
        files = [
            SimpleUploadedFile("a.csv", HEADER + b"Harbor,middle,urban\n"),
            SimpleUploadedFile("b.docx", b"PK\x03\x04"),
        ]
        response = client.post(reverse("roster:roster-import"), {"file": files})
        assert response.status_code < 500
        assert row_counts() == before


# Where digits typed into a request may be read other than by int_or_none, and why.
READ_DIGITS_ELSEWHERE = {"coordinators/form_helpers.py": "int_or_none and the id fields"}


def test_numbers_typed_into_a_request_are_read_one_way():
    """``"²".isdigit()`` is true and ``int("²")`` fails; 30 digits pass ``isdigit`` and no
    database column holds them. A number from a query string or form is read by
    ``coordinators.form_helpers.int_or_none``, so a new reader cannot answer either with a 500
    (the query-string and form tests above find such a reader only where a test reaches it)."""
    root = Path(__file__).resolve().parent.parent
    readers = {
        path.relative_to(root).as_posix()
        for app in APPS
        for path in (root / app).rglob("*.py")
        if re.search(r"\.is(digit|decimal|numeric)\(|\bint\((self\.)?request\.", path.read_text())
    }
    assert readers <= READ_DIGITS_ELSEWHERE.keys(), f"read with int_or_none: {readers}"
