"""After a save, a page goes back to the ``next`` it was given only when that is a path of this
site; anything else falls back to the page's own destination, after the write and never
instead of it.

Every form and action of the project (the URL names with a POST body in tests/url_cases.py,
so a new one is never forgotten) is opened with a hostile ``next`` in its query string and
posted with the same ``next`` in its body, as a browser would after following such a link.
The answer is never a 500, never a redirect or a link to another site, and the write
happens exactly once: the same rows change as when the form is posted without ``next``.
"""

import re
from html import escape
from urllib.parse import urlsplit

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from coordinators.redirects import local_path, next_path, redirect_to_next
from tests.access_world import client_for, rolled_back, row_counts
from tests.test_access_table import TABLE
from tests.test_hostile_input import post_targets, user_of
from tests.url_cases import CASES, url_of

HOSTILE_NEXT = {
    "a bare word (a URL pattern name to redirect())": "oops",
    "another host, scheme-relative": "//evil.example",
    "another site": "https://evil.example",
    "a backslash a browser reads as a slash": "/\\evil.example",
    "a tab a browser drops": "/\t/evil.example",
    "a path with a newline": "/me/\r\nSet-Cookie: x=1",
}
# The pages that go back to a local ``next`` after the save.
HONOURS_NEXT = {
    "login",
    "logout",
    "coordinators:school-deactivate",
    "coordinators:school-reactivate",
    "coordinators:person-deactivate",
    "coordinators:person-reactivate",
    "rubrics:role-family-assign",
    "growth:goal-create",
    "growth:goal-update",
    "growth:goal-status",
    "growth:goal-delete",
    "growth:support-create",
    "growth:support-update",
    "growth:support-delete",
    "growth:support-attach",
    "growth:promotion-create",
}
LOCAL_NEXT = "/me/?from=here"
NEXT_FIELD = re.compile(r'name="next" value="([^"]*)"')


def is_local(url: str) -> bool:
    """A path of this site: one leading slash, no host."""
    parts = urlsplit(url)
    return (
        url.startswith("/")
        and url[1:2] not in ("/", "\\")
        and not parts.scheme
        and not parts.netloc
        and not any(c in url for c in "\t\r\n")
    )


def delta(before: dict, after: dict) -> dict:
    return {
        table: after[table] - before[table] for table in before if after[table] != before[table]
    }


def post_once(world, name, actor, next_value=None):
    """Open the form (if the person may) and post it, as a browser would with ``next`` in
    both; return the response, the GET's HTML and the rows that changed."""
    case = CASES[name]
    with override_settings(**case.settings), rolled_back():
        client = client_for(world.users[actor], raise_request_exception=False)
        body = case.post(world, actor, client)
        query = case.query(world)
        if next_value is not None:
            body = body | {"next": next_value}
            query = query | {"next": next_value}
        url = url_of(world, name, query=query)
        form_html = ""
        if TABLE[name].get("GET", {}).get(actor) == "ok":
            form_html = client.get(url).content.decode(errors="replace")
        before = row_counts()
        response = client.post(url, body)
        changed = delta(before, row_counts())
    return response, form_html, changed


def link_problems(html: str, hostile: str) -> list[str]:
    problems = [
        f"a next field carries {value!r}"
        for value in NEXT_FIELD.findall(html)
        if value and not is_local(value.replace("&amp;", "&"))
    ]
    if f'href="{escape(hostile)}"' in html:
        problems.append(f"a link goes to {hostile!r}")
    return problems


@pytest.mark.parametrize("name", post_targets())
def test_a_hostile_next_never_breaks_a_save_nor_leaves_the_site(db, world, name):
    actor = user_of(name)
    _response, _html, expected = post_once(world, name, actor)
    problems = []
    for label, hostile in HOSTILE_NEXT.items():
        response, form_html, changed = post_once(world, name, actor, hostile)
        if response.status_code >= 500:
            problems.append(f"{label}: {response.status_code} {response.exc_info[1]!r}")
            continue
        if response.status_code in (301, 302, 303, 307, 308):
            location = response["Location"]
            if not is_local(location):
                problems.append(f"{label}: redirected to {location!r}")
        else:
            problems += [
                f"{label}: after the POST, {p}"
                for p in link_problems(response.content.decode(errors="replace"), hostile)
            ]
        problems += [f"{label}: on the form, {p}" for p in link_problems(form_html, hostile)]
        if changed != expected:
            problems.append(f"{label}: rows changed {changed}, without next {expected}")
    assert not problems, f"POST {name} as {actor}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("name", sorted(HONOURS_NEXT))
def test_a_local_next_is_where_the_save_goes_back_to(db, world, name):
    actor = user_of(name)
    response, form_html, _changed = post_once(world, name, actor, LOCAL_NEXT)
    assert response.status_code == 302, (name, response.status_code)
    assert response["Location"] == LOCAL_NEXT, name
    if form_html and name != "logout":
        assert escape(LOCAL_NEXT) in NEXT_FIELD.findall(form_html), name


# The helper on its own ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("/growth/people/7/?tab=goals#plan", True),
        ("/", True),
        ("/me/?q=café", True),
        ("", False),
        ("oops", False),
        ("me/", False),
        ("//evil.example/", False),
        ("/\\evil.example", False),
        ("/\t/evil.example", False),
        (" /me/", False),
        ("https://evil.example/", False),
        ("http://testserver/me/", False),
        ("javascript:alert(1)", False),
        ("/me/\x00", False),
        (None, False),
    ],
)
def test_only_a_local_absolute_path_is_kept(value, kept):
    request = RequestFactory().get("/")
    assert local_path(request, value) == (value if kept else "")


def test_the_form_next_comes_before_the_query_string_and_a_bad_one_falls_back():
    factory = RequestFactory()
    request = factory.post("/x/?next=/from-query/", {"next": "/from-form/"})
    assert next_path(request) == "/from-form/"
    request = factory.post("/x/?next=/from-query/", {"next": "oops"})
    assert next_path(request) == "/from-query/"
    request = factory.post("/x/?next=oops", {"next": "//evil.example"})
    response = redirect_to_next(request, reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("home")
