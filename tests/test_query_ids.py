"""An id in a query string that no row can have (beyond what a 64-bit column holds,
negative, not digits at all) is a filter error or an empty result, never a server error:
SQLite refuses numbers beyond 64 bits where PostgreSQL answers "no rows", so this is
checked on every database.

Every parameter of every filter set (read from the classes, so a new filter is never
forgotten) and every other query parameter a view reads (found in the source, so a new one
must be listed here) is sent with each bad value, by someone who may see the page.
"""

import re
from pathlib import Path

import django_filters
import pytest
from django.test import override_settings

from coordinators.forms import PersonFilterSet, SchoolFilterSet
from dashboards.filters import DashboardFilterSet
from tests.access_world import PROJECT_ROOT, client_for, rolled_back
from tests.project_apps import APPS
from tests.test_hostile_input import page_reader
from tests.url_cases import CASES, url_of

BAD_IDS = {
    "beyond 64 bits": "99999999999999999999",
    "beyond 64 bits, as a float": "1e25",
    "negative": "-1",
    "not digits": "abc",
    "a fraction": "1.5",
    "a superscript digit": "²",
}
# The pages with a filter set, and the query parameters each page reads besides its filters.
FILTERED_PAGES = {
    "dashboards:team-dashboard": (DashboardFilterSet, ("page",)),
    "dashboards:team-dashboard-csv": (DashboardFilterSet, ()),
    "dashboards:team-dashboard-xlsx": (DashboardFilterSet, ()),
    "coordinators:person-list": (PersonFilterSet, ("page",)),
    "coordinators:school-list": (SchoolFilterSet, ("page",)),
    "dashboards:org-overview": (None, ("cycle", "schools", "page")),
    "rubrics:role-family-people": (None, ("family", "page")),
    "rubrics:rubric-compare": (None, ("against",)),
    "rubrics:rubric-history": (None, ("page",)),
    "growth:goal-create": (None, ("category", "notes", "target_date")),
    "growth:goal-update": (None, ("history",)),
    "growth:support-create": (None, ("kind", "goal", "entry")),
    "growth:catalogue-create": (None, ("category",)),
    "coordinators:picker-options": (None, ("page", "exclude")),
    "growth:check-in-list": (None, ("page",)),
    "growth:cadence-list": (None, ("page",)),
    "growth:mentoring": (None, ("page", "matches")),
    "dashboards:coordinator-timeline": (None, ("kind", "page", "print")),
    "schoolsites:principal-contact": (None, ("history",)),
    "schoolsites:agreement-detail": (None, ("history",)),
    "dashboards:org-schools": (None, ("page",)),
    "dashboards:school-detail": (None, ("levels_page", "coordinators_page", "agreements_page")),
}
# The reports: their filter form (dashboards/report_filters.py) on the page, the exports and
# the people behind a number (``cell``).
REPORT_FILTERS = ("cycle_from", "cycle_to", "role_family", "school_level", "setting")
for _slug, _more in (
    ("impact", ("pre_post",)),
    ("retention", ("split",)),
    ("calibration", ("group",)),
):
    for _suffix, _cell in (("", ()), ("-csv", ()), ("-xlsx", ()), ("-people", ("cell",))):
        FILTERED_PAGES[f"dashboards:report-{_slug}{_suffix}"] = (
            None,
            (*REPORT_FILTERS, *_more, *_cell),
        )
# Free text, where any value is a valid search.
FREE_TEXT = {"q", "notes"}
# A team outside the director's or admin's reach is a 404 on the team dashboards, a bad id
# included (the same answer as for a real team of another organization).
NOT_FOUND_ALLOWED = {("dashboards:team-dashboard", "team")} | {
    (f"dashboards:team-dashboard-{fmt}", "team") for fmt in ("csv", "xlsx")
}
# A number that is not on the report (any bad value of ``cell``) has no people: a 404.
NOT_FOUND_ALLOWED |= {
    (f"dashboards:report-{slug}-people", param)
    for slug in ("impact", "retention", "calibration")
    for param in (*REPORT_FILTERS, "split", "group", "pre_post", "cell")
}


def parameters(name: str) -> list[str]:
    filterset, others = FILTERED_PAGES[name]
    return [*(filterset.base_filters if filterset else ()), *others]


def project_filtersets() -> set[type]:
    """The project's filter sets that pages use (the leaves of the class tree)."""
    found, stack = set(), [django_filters.FilterSet]
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            if sub.__module__.split(".")[0] in APPS and not sub.__subclasses__():
                found.add(sub)
    return found


def test_every_filter_set_and_query_parameter_is_covered():
    covered = {fs for fs, _others in FILTERED_PAGES.values() if fs}
    assert project_filtersets() <= covered, "a filter set with no page here"
    listed = {param for name in FILTERED_PAGES for param in parameters(name)}
    read = set()
    for app in APPS:
        for path in Path(PROJECT_ROOT, app).rglob("*.py"):
            read |= set(re.findall(r"GET(?:\.get\(|\[)\"(\w+)\"", path.read_text()))
    read.discard("next")  # tests/test_next_redirects.py
    assert read <= listed, f"query parameters read but not tested here: {read - listed}"


def filter_form(response):
    """The filter form the page drew, if it has one."""
    if response.context is None:
        return None
    holder = response.context.get("dashboard") or response.context
    filterset = getattr(holder, "filterset", None) or response.context.get("filterset")
    report = response.context.get("page")  # a report page carries its filter form
    if filterset is None and report is not None:
        return getattr(report, "form", None)
    return filterset.form if filterset is not None else None


CASES_TO_SEND = [(name, param) for name in FILTERED_PAGES for param in parameters(name)]


@pytest.mark.parametrize(("name", "param"), CASES_TO_SEND)
def test_a_bad_id_is_a_filter_error_or_an_empty_result(db, world, name, param):
    actor = (
        "admin" if name.startswith(("dashboards:team", "dashboards:report")) else page_reader(name)
    )
    problems = []
    with override_settings(**CASES[name].settings), rolled_back():
        client = client_for(world.users[actor], raise_request_exception=False)
        base = CASES[name].query(world)
        for label, value in BAD_IDS.items():
            response = client.get(url_of(world, name, query=base | {param: value}))
            status = response.status_code
            if status == 404 and (name, param) in NOT_FOUND_ALLOWED:
                continue
            if status != 200:
                problems.append(f"{label}: {status} {response.exc_info and response.exc_info[1]!r}")
                continue
            form = filter_form(response)
            if form is not None and param in form.fields and param not in FREE_TEXT:
                if param not in form.errors:
                    problems.append(f"{label}: accepted as {form.cleaned_data.get(param)!r}")
    assert not problems, f"GET {name} ?{param}=… as {actor}:\n  " + "\n  ".join(problems)
