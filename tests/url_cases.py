"""For every URL name of the project, the one request that reaches it in the shared world
(tests/access_world.py): each app's ``tests/<app>/url_cases.py`` lists its own, and this
module gathers them for the access table and the hostile-input tests. The access table fails
for a URL pattern that has no request here.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access_world import UrlCase, World
from tests.api import url_cases as api
from tests.assessments import url_cases as assessments
from tests.coordinators import url_cases as coordinators
from tests.dashboards import url_cases as dashboards
from tests.evidence import url_cases as evidence
from tests.growth import url_cases as growth
from tests.growthmatrix import url_cases as growthmatrix
from tests.roster import url_cases as roster
from tests.rubrics import url_cases as rubrics
from tests.schoolsites import url_cases as schoolsites
from tests.signin import url_cases as signin

APP_CASES = (
    growthmatrix,
    signin,
    roster,
    coordinators,
    rubrics,
    assessments,
    growth,
    evidence,
    schoolsites,
    dashboards,
    api,
)


def _gather(modules) -> dict[str, UrlCase]:
    cases: dict[str, UrlCase] = {}
    for module in modules:
        for case in module.CASES:
            assert case.name not in cases, f"two requests for {case.name} ({module.__name__})"
            cases[case.name] = case
    return cases


CASES = _gather(APP_CASES)


def url_names() -> list[tuple[str, str]]:
    """(namespaced name, route) of every URL pattern outside the Django admin; a name given
    twice (the login view, replaced in front of Django's) is listed once."""
    found = []

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found.append(
                    (name or f"<unnamed {prefix}{pattern.pattern}>", prefix + str(pattern.pattern))
                )

    walk(get_resolver().url_patterns, "", "")
    first = dict(reversed(found))  # the first route of each name
    return [
        (name, first[name])
        for name in dict.fromkeys(n for n, _ in found)
        if not name.startswith("admin:")
    ]


def url_of(world: World, name: str, kwargs: dict | None = None, query: dict | None = None) -> str:
    """The URL of ``name`` in ``world``: its case's arguments and query string, or these."""
    case = CASES[name]
    url = reverse(name, kwargs=case.kwargs(world) if kwargs is None else kwargs)
    query = case.query(world) if query is None else query
    if query:
        url += "?" + urlencode(query, doseq=True)
    return url
