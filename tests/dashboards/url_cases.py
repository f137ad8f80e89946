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
    # A POST asks for the export to be built in the background.
    UrlCase("dashboards:team-dashboard-csv", query=_team_query, post=no_fields),
    UrlCase("dashboards:team-dashboard-xlsx", query=_team_query, post=no_fields),
    UrlCase(
        "dashboards:org-overview", query=lambda world: {"cycle": str(world.mine.cycle_open.pk)}
    ),
    UrlCase("dashboards:coordinator-detail", kwargs=pk_of("profile")),
    UrlCase("dashboards:coordinator-history-export", kwargs=pk_of("profile")),
    UrlCase(
        "dashboards:coordinator-timeline",
        kwargs=pk_of("profile"),
        query=lambda world: {"kind": "check_in"},
    ),
    UrlCase("dashboards:export-job", kwargs=pk_of("export_job")),
    UrlCase("dashboards:export-job-status", kwargs=pk_of("export_job")),
    UrlCase("dashboards:export-job-download", kwargs=pk_of("export_job")),
    UrlCase(
        "dashboards:flag-thresholds",
        post=_thresholds_post,
        edits=lambda world: _thresholds_of(world.mine),
    ),
    UrlCase("dashboards:flag-thresholds-reset", post=no_fields),
    UrlCase("dashboards:school-detail", kwargs=lambda world: {"pk": world.mine.school.pk}),
    UrlCase("dashboards:org-schools"),
]


def _director_cell(world) -> dict:
    """The director's own calibration number: the people behind their figures."""
    return {"cell": f"{world.mine.team.director_id}|people"}


for _slug in ("impact", "retention", "calibration"):
    CASES += [
        UrlCase(f"dashboards:report-{_slug}"),
        UrlCase(f"dashboards:report-{_slug}-csv"),
        UrlCase(f"dashboards:report-{_slug}-xlsx"),
    ]
CASES += [
    UrlCase(
        "dashboards:report-impact-people",
        query=lambda world: {"cell": "kind:mentoring|development|1|with|rose"},
    ),
    UrlCase(
        "dashboards:report-retention-people",
        query=lambda world: {"cell": f"{world.mine.cycle_open.opens_on.isoformat()}|Mentored|1"},
    ),
    UrlCase("dashboards:report-calibration-people", query=_director_cell),
]
