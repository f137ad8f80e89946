"""How the access table and the hostile-input tests reach the dashboards, their exports and
the flag thresholds."""

from dashboards.forms import threshold_defaults
from tests.access_world import UrlCase, no_fields, pk_of


def _team_query(world) -> dict:
    """The team dashboards show the team asked for; the coordinator's team here."""
    return {"team": str(world.mine.team.pk)}


def _thresholds_post(world, actor, client) -> dict:
    return {key: str(value) for key, value in threshold_defaults().items()}


CASES = [
    UrlCase("dashboards:team-dashboard", query=_team_query),
    UrlCase("dashboards:team-dashboard-csv", query=_team_query),
    UrlCase("dashboards:team-dashboard-xlsx", query=_team_query),
    UrlCase(
        "dashboards:org-overview", query=lambda world: {"cycle": str(world.mine.cycle_open.pk)}
    ),
    UrlCase("dashboards:coordinator-detail", kwargs=pk_of("profile")),
    UrlCase("dashboards:coordinator-history-export", kwargs=pk_of("profile")),
    UrlCase("dashboards:flag-thresholds", post=_thresholds_post),
    UrlCase("dashboards:flag-thresholds-reset", post=no_fields),
]
