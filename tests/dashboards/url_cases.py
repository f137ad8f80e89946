"""How the access table and the hostile-input tests reach the dashboards, their exports and
the flag thresholds."""

from dashboards.forms import threshold_defaults
from dashboards.models import FlagThresholds
from tests.access_world import UrlCase, no_fields, pk_of, version_of


def _team_query(world) -> dict:
    """The team dashboards show the team asked for; the coordinator's team here."""
    return {"team": str(world.mine.team.pk)}


def _thresholds_of(objects) -> FlagThresholds:
    return FlagThresholds.objects.get(organization=objects.org)


def _thresholds_post(world, actor, client) -> dict:
    """Every threshold one step more patient than its default (another organization's admin
    edits their own row)."""
    values = {key: str(value) for key, value in threshold_defaults().items()}
    values |= {"stalled_cycles": "3", "development_grace_years": "2"}
    return values | {"version": version_of(_thresholds_of(world.org_of(actor)))}


CASES = [
    UrlCase("dashboards:team-dashboard", query=_team_query),
    UrlCase("dashboards:team-dashboard-csv", query=_team_query),
    UrlCase("dashboards:team-dashboard-xlsx", query=_team_query),
    UrlCase(
        "dashboards:org-overview", query=lambda world: {"cycle": str(world.mine.cycle_open.pk)}
    ),
    UrlCase("dashboards:coordinator-detail", kwargs=pk_of("profile")),
    UrlCase("dashboards:coordinator-history-export", kwargs=pk_of("profile")),
    UrlCase(
        "dashboards:flag-thresholds",
        post=_thresholds_post,
        edits=lambda world: _thresholds_of(world.mine),
    ),
    UrlCase("dashboards:flag-thresholds-reset", post=no_fields),
]
