"""The rendered-fragment cache of the team dashboard and the overview.

A page's main fragment is rendered once and kept in Django's cache (Redis in production, the
process's memory under ``make run``) under a key made of the organization, the cycle, the
day, the viewer's scope, the request's query and the organization's dashboard version. The
version lives in the database (``DashboardVersion``) and moves on in the transaction of every
write that changes what these pages show (``read_model.on_any_event``), so every server stops
serving an old fragment the moment that write commits; the day in the key ends flags that
start or stop with the date. The timeout only frees memory.

The scope names exactly what the viewer may see: every coordinator of the organization for an
org admin, the teams they direct for a director. Two people share an entry only when they may
see the same rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.utils import timezone
from django.utils.functional import SimpleLazyObject

TIMEOUT = 24 * 60 * 60  # a day: the key changes with the day anyway


def scope_of(*, is_admin: bool, team_ids) -> str:
    """``admin`` for an org admin, else the teams in a director's reach."""
    if is_admin:
        return "admin"
    return "teams:" + ",".join(str(pk) for pk in sorted(team_ids))


def fragment_key(
    *,
    page: str,
    organization_id: int,
    cycle_id: int | None,
    scope: str,
    query,
    version: int,
) -> str:
    """The cache key of one page's fragment: ``version`` is the organization's dashboard
    version, which the request read with its cycles (``cycles_and_version``)."""
    items = sorted((name, value) for name in query for value in query.getlist(name))
    digest = hashlib.sha256(repr((scope, items)).encode()).hexdigest()[:32]
    return ":".join(
        [
            "dashboards",
            page,
            str(organization_id),
            str(cycle_id or 0),
            timezone.localdate().isoformat(),
            str(version),
            digest,
        ]
    )


def lazy_context(names, compute: Callable[[], dict]) -> dict:
    """Template values computed only if the template renders them: on a cache hit the
    fragment's tag returns the stored HTML and ``compute`` never runs; on a miss it runs once."""
    memo: dict = {}

    def value(name):
        if not memo:
            memo.update(compute())
        return memo[name]

    return {name: SimpleLazyObject(lambda name=name: value(name)) for name in names}
