"""What a nightly sync reads: every list narrowed by ``updated_since`` (schools, teams, people,
cycles carry an ``updated_at`` that every change stamps), the changes feed of deletions, each
person's flags per cycle as the dashboards word them, the reports' tables with small groups
hidden, and the docs page of the schema served under the site's CSP."""

from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from api.cursors import cursor_encode
from api.models import Deletion
from api.services import api_token_create
from assessments.models import Assessment, AssessmentCycle
from coordinators.models import CoordinatorProfile, School, Team, User
from coordinators.versioning import versioned_save
from dashboards import read_model
from tests.dashboards.report_data import report_world
from tests.factories import (
    AssessmentFactory,
    CycleFactory,
    ProfileFactory,
    SchoolFactory,
    TeamFactory,
    UserFactory,
)

SCRIPT = '<script>alert("gm")</script>'
FAR_EAST = dt_timezone(timedelta(hours=14))


@pytest.fixture
def token(org, admin_user):
    return api_token_create(organization=org, actor=admin_user, name="Warehouse")[1]


@pytest.fixture
def their_token(other_org, other_admin):
    return api_token_create(organization=other_org, actor=other_admin, name="Theirs")[1]


@pytest.fixture
def api(client, token):
    def get(path, bearer=None, **query):
        return client.get(f"/api/v1/{path}", query, HTTP_AUTHORIZATION=f"Bearer {bearer or token}")

    return get


def later_than_everything():
    """A moment after every row so far was stamped, and the rows stamped after it."""
    return timezone.now() + timedelta(microseconds=1)


def ids(page):
    return [row["id"] for row in page.json()["results"]]


# updated_since on every list --------------------------------------------------------------


def test_a_school_edited_after_the_last_sync_is_the_only_one_listed(api, org):
    kept = SchoolFactory(organization=org, name="Kept Elementary")
    edited = SchoolFactory(organization=org, name="Edited Middle")
    since = later_than_everything()
    edited.name = "Edited Middle School"
    versioned_save(edited, fields=["name"], expected=edited.version)
    changed = api("schools/", updated_since=since.isoformat()).json()["results"]
    assert [s["name"] for s in changed] == ["Edited Middle School"]
    assert kept.pk in ids(api("schools/"))


def test_a_school_deactivated_and_a_team_left_without_director_are_changes(api, org, team):
    from coordinators.services import school_active_set

    SchoolFactory(organization=org)
    closing = SchoolFactory(organization=org)
    team.director = UserFactory(organization=org, roles=["director"])
    team.save()
    since = later_than_everything()
    school_active_set(school=closing, active=False)
    assert ids(api("schools/", updated_since=since.isoformat())) == [closing.pk]
    from coordinators.services import _release_teams

    _release_teams(team.director)
    assert ids(api("teams/", updated_since=since.isoformat())) == [team.pk]


def test_a_change_made_by_a_version_bump_alone_counts_as_a_change(api, org):
    """Writes that are not a form's save (a transition, a director taken away) take the next
    version; they are changes for the sync as well."""
    TeamFactory(organization=org, name="West")
    east = TeamFactory(organization=org, name="East")
    since = later_than_everything()
    from coordinators.versioning import versions_bump

    versions_bump(Team.objects.filter(pk=east.pk))
    assert ids(api("teams/", updated_since=since.isoformat())) == [east.pk]


def test_a_person_changes_with_their_profile(api, org, team):
    ProfileFactory(team=team)
    moved = ProfileFactory(team=team)
    since = later_than_everything()
    CoordinatorProfile.objects.get(pk=moved.pk).save()  # e.g. a new team or job title
    assert ids(api("people/", updated_since=since.isoformat())) == [moved.user_id]
    renamed = User.objects.get(pk=moved.user_id)
    renamed.first_name = "Renamed"
    renamed.save()
    assert ids(api("people/", updated_since=since.isoformat())) == [moved.user_id]


def test_cycles_since_a_time(api, org):
    CycleFactory(organization=org)
    closing = CycleFactory(organization=org)
    since = later_than_everything()
    closing.state = AssessmentCycle.State.CLOSED
    versioned_save(closing, fields=["state"])
    page = api("cycles/", updated_since=since.isoformat()).json()["results"]
    assert [(c["id"], c["state"]) for c in page] == [(closing.pk, "closed")]


def test_updated_since_pages_with_its_cursor(api, org):
    for n in range(5):
        SchoolFactory(organization=org, name=f"School {n}")
    first = api("schools/", limit=2, updated_since="2000-01-01T00:00:00Z").json()
    second = api("schools/", limit=2, cursor=first["next_cursor"]).json()
    third = api("schools/", limit=2, cursor=second["next_cursor"]).json()
    names = [s["name"] for page in (first, second, third) for s in page["results"]]
    assert sorted(names) == [f"School {n}" for n in range(5)]
    assert third["next_cursor"] is None


# The changes feed --------------------------------------------------------------------------


def test_the_changes_feed_lists_what_was_deleted_and_only_mine(api, org, team, their_token):
    school = SchoolFactory(organization=org)
    gone_team = TeamFactory(organization=org)
    cycle = CycleFactory(organization=org)
    assessment = AssessmentFactory(coordinator=ProfileFactory(team=team), cycle=cycle)
    person = ProfileFactory(team=team)
    expected = {
        ("school", school.pk),
        ("team", gone_team.pk),
        ("person", person.user_id),
        ("cycle", cycle.pk),
        ("assessment", assessment.pk),
    }
    school.delete()
    gone_team.delete()
    User.objects.get(pk=person.user_id).delete()
    assessment.delete()
    cycle.delete()

    feed = api("changes/").json()["results"]
    assert {(row["kind"], row["id"]) for row in feed} == expected
    assert all(row["change"] == "deleted" and row["at"] for row in feed)
    assert api("changes/", bearer=their_token).json()["results"] == []


def test_the_changes_feed_since_the_last_sync(api, org):
    old = SchoolFactory(organization=org)
    new = SchoolFactory(organization=org)
    new_pk = new.pk
    old.delete()
    since = later_than_everything()
    new.delete()
    feed = api("changes/", updated_since=since.isoformat()).json()["results"]
    assert [(row["kind"], row["id"]) for row in feed] == [("school", new_pk)]


def test_a_delete_that_is_rolled_back_leaves_no_deletion(org):
    from django.db import transaction

    school = SchoolFactory(organization=org)
    with pytest.raises(RuntimeError), transaction.atomic():
        School.objects.filter(pk=school.pk).delete()
        raise RuntimeError("undo")
    assert School.objects.filter(pk=school.pk).exists()
    assert not Deletion.objects.exists()


def test_an_organization_deleted_whole_leaves_no_deletions_behind(org, team):
    from coordinators.models import Organization

    other = Organization.objects.create(name="Short-lived", slug="short-lived")
    SchoolFactory(organization=other)
    TeamFactory(organization=other, director=None)
    SchoolFactory(organization=org).delete()
    Organization.objects.filter(pk=other.pk).delete()
    assert not Organization.objects.filter(pk=other.pk).exists()
    assert list(Deletion.objects.values_list("organization_id", "kind")) == [(org.pk, "school")]


# Flags per person and cycle -----------------------------------------------------------------


def overdue_cycle(org):
    today = timezone.localdate()
    return CycleFactory(
        organization=org,
        opens_on=today - timedelta(days=20),
        due_on=today - timedelta(days=5),
        closes_on=today + timedelta(days=25),
    )


def test_flags_read_as_the_dashboard_words_them(api, client_for, org, team, admin_user):
    cycle = overdue_cycle(org)
    late = ProfileFactory(team=team, user__last_name="Latecomer")
    read_model.rebuild(organization_id=org.pk)

    rows = api("flags/", cycle=cycle.pk).json()["results"]
    mine = next(row for row in rows if row["person_id"] == late.user_id)
    assert mine["cycle_id"] == cycle.pk and mine["status"] == "not_started"
    (flag,) = [f for f in mine["flags"] if f["code"] == "overdue"]
    assert flag["label"] == "Overdue"
    assert flag["explanation"].endswith("is not started — 5 days late")
    assert flag["since"] == str(cycle.due_on + timedelta(days=1))
    dashboard = client_for(admin_user).get(
        reverse("dashboards:team-dashboard"), {"cycle": cycle.pk}
    )
    assert flag["explanation"] in dashboard.content.decode()


def test_flags_since_a_time_list_rows_written_since(api, org, team):
    cycle = overdue_cycle(org)
    ProfileFactory(team=team)
    changed = ProfileFactory(team=team)
    read_model.rebuild(organization_id=org.pk)
    since = later_than_everything()
    assert api("flags/", updated_since=since.isoformat()).json()["results"] == []
    AssessmentFactory(coordinator=changed, cycle=cycle, state=Assessment.State.SUBMITTED)
    read_model.rebuild(organization_id=org.pk)
    rows = api("flags/", updated_since=since.isoformat()).json()["results"]
    assert [(r["person_id"], r["status"]) for r in rows] == [(changed.user_id, "submitted")]


def test_a_flag_raised_by_the_days_passing_is_a_change(api, org, team):
    """Nothing is written when a due date passes; the flag raised that day still counts."""
    today = timezone.localdate()
    cycle = CycleFactory(
        organization=org,
        opens_on=today - timedelta(days=20),
        due_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=25),
    )
    late = ProfileFactory(team=team)
    read_model.rebuild(organization_id=org.pk)
    since = timezone.now() - timedelta(days=1)
    from dashboards.models import CoordinatorCycleRow

    CoordinatorCycleRow.objects.update(written_at=since - timedelta(days=3))
    rows = api("flags/", cycle=cycle.pk, updated_since=since.isoformat()).json()["results"]
    assert [r["person_id"] for r in rows] == [late.user_id]
    assert [f["code"] for f in rows[0]["flags"]] == ["overdue"]


def test_another_organizations_token_reads_none_of_my_flags(api, org, team, their_token):
    overdue_cycle(org)
    ProfileFactory(team=team)
    read_model.rebuild(organization_id=org.pk)
    assert api("flags/").json()["results"]
    assert api("flags/", bearer=their_token).json()["results"] == []


# Reports -----------------------------------------------------------------------------------


def retention_people(org, team, count):
    start = timezone.localdate().replace(month=1, day=1) - timedelta(days=3 * 365)
    for _ in range(count):
        ProfileFactory(team=team, role_start_date=start)


def test_a_small_group_reads_fewer_than_5_never_its_number(api, org, team):
    retention_people(org, team, 3)
    body = api("reports/retention/").json()
    assert body["suppressed_as"] == "fewer than 5"
    (retention, *_) = body["tables"]
    assert retention["header"][2] == "In the role on its first day"
    counts = [row[2] for row in retention["rows"]]
    assert counts and set(counts) == {"fewer than 5"}
    rates = [cell for row in retention["rows"] for cell in row[-3:]]
    assert set(rates) == {None}


def test_a_group_of_five_reads_its_number(api, org, team):
    retention_people(org, team, 6)
    (retention, *_) = api("reports/retention/").json()["tables"]
    assert 6 in [row[2] for row in retention["rows"]]


def test_another_organizations_token_reads_none_of_my_reports(api, org, team, their_token):
    retention_people(org, team, 6)
    (mine, *_) = api("reports/retention/").json()["tables"]
    (theirs, *_) = api("reports/retention/", bearer=their_token).json()["tables"]
    assert 6 in [row[2] for row in mine["rows"]]
    assert 6 not in [row[2] for row in theirs["rows"]]


@pytest.mark.parametrize("slug", ["impact", "calibration"])
def test_every_report_answers_with_its_tables(api, org, slug):
    body = api(f"reports/{slug}/").json()
    assert body["report"] == slug and isinstance(body["tables"], list)


def test_a_small_directors_team_in_calibration_reads_fewer_than_5_and_no_figures(api, org, team):
    report_world(org, team, 4)
    # Calibration sums the read model's rows; factories publish no event, so they are
    # followed by a rebuild, as a bulk write is.
    read_model.rebuild(organization_id=org.pk)
    (per_director, *_) = api("reports/calibration/").json()["tables"]
    assert per_director["header"][1:3] == ["People", "Reviews"]
    assert per_director["rows"]
    for _name, people, reviews, *figures in per_director["rows"]:
        assert (people, reviews) == ("fewer than 5", "fewer than 5")
        assert set(figures) == {None}


@pytest.mark.parametrize("slug", ["impact", "retention", "calibration"])
def test_a_report_costs_the_same_queries_for_more_people(api, org, team, slug):
    cycles, _profiles, _mentored = report_world(org, team, 5)
    api("cycles/")  # the token's last use is written once a minute
    with CaptureQueriesContext(connection) as small:
        assert api(f"reports/{slug}/").status_code == 200
    report_world(org, TeamFactory(organization=org), 15, cycles=cycles)
    with CaptureQueriesContext(connection) as large:
        body = api(f"reports/{slug}/").json()
    assert body["report"] == slug
    assert len(large) == len(small) <= 20


def test_a_report_filter_outside_its_choices_is_400(api, org):
    response = api("reports/calibration/", cycle_from="9" * 30, group=SCRIPT)
    assert response.status_code == 400
    assert "cycle_from" in response.json()["errors"]
    assert "<script>alert" not in response.content.decode()
    assert api("reports/payroll/").status_code in (404, 422)


# Hostile input, access, query counts ----------------------------------------------------------

NEW_LISTS = ["schools/", "teams/", "people/", "cycles/", "assessments/", "flags/", "changes/"]


@pytest.mark.parametrize("path", NEW_LISTS)
@pytest.mark.parametrize(
    "query",
    [
        {"updated_since": "yesterday"},
        {"updated_since": "\x00"},
        {"updated_since": "9" * 40},
        {"updated_since": SCRIPT},
        {"updated_since": "0001-01-01T00:00:00"},
        {"updated_since": "0001-01-01T00:00:00+14:00"},
        {"updated_since": "9999-12-31T23:59:59-12:00"},
        {"limit": "9" * 30},
        {"limit": "-5"},
        {"cycle": "²"},
        {"cursor": "eyJwayI6IDEsICJhdCI6ICIyMDI2LTAxLTAxIn0"},  # a time without its zone
        {"cursor": cursor_encode(pk=1, updated_at=datetime(1, 1, 1, tzinfo=FAR_EAST))},
    ],
)
def test_hostile_queries_are_refused_cleanly(api, org, path, query):
    response = api(path, **query)
    assert 400 <= response.status_code < 500 or response.status_code == 200, response
    assert "<script>alert" not in response.content.decode()


@pytest.mark.parametrize("path", [*NEW_LISTS, "reports/impact/"])
def test_revoked_tokens_get_401_and_no_token_401(client, api, org, admin_user, token, path):
    from api.models import ApiToken
    from api.services import api_token_revoke

    api_token_revoke(token=ApiToken.objects.get())
    assert api(path).status_code == 401
    assert client.get(f"/api/v1/{path}").status_code == 401


@pytest.mark.parametrize("path", ["flags/", "changes/", "schools/", "teams/", "cycles/"])
def test_a_malformed_cursor_is_400_everywhere(api, org, path):
    assert api(path, cursor="not a cursor!").status_code == 400


@pytest.mark.parametrize(
    ("path", "ceiling"),
    [
        ("schools/", 4),
        ("teams/", 4),
        ("cycles/", 4),
        ("people/", 5),
        ("flags/", 4),
        ("changes/", 4),
    ],
)
def test_a_page_costs_the_same_at_any_size(
    api, org, team, path, ceiling, django_assert_max_num_queries
):
    """Token, its last use, the page (and the people's roles): the same few queries for 2 rows
    as for 30."""
    cycle = overdue_cycle(org)
    for n in range(30):
        SchoolFactory(organization=org, name=f"S{n}")
        TeamFactory(organization=org, name=f"T{n}")
        CycleFactory(organization=org, name=f"C{n}")
        profile = ProfileFactory(team=team)
        AssessmentFactory(coordinator=profile, cycle=cycle)
        SchoolFactory(organization=org, name=f"Closed {n}").delete()
    read_model.rebuild(organization_id=org.pk)
    api("cycles/")  # the token's last use is written once a minute
    for limit in (2, 30):
        with django_assert_max_num_queries(ceiling):
            assert len(api(path, limit=limit).json()["results"]) == limit


# The docs page ---------------------------------------------------------------------------------


def test_the_docs_page_loads_its_assets_from_this_site(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "/static/ninja/swagger-ui-init.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    # Scripts only from files: the one inline script is the settings' JSON, never run.
    import re

    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline == [' type="application/json" id="swagger-settings"']
    assert "/api/v1/openapi.json" in html
