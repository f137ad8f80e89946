"""A school's page and the schools view: what they show, and a number of queries that does
not grow with the schools, assessments or years."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import AssessmentCycle, FeedbackRequest
from dashboards.selectors import schools as schools_selectors
from dashboards.selectors.schools import RECENT_CYCLES, SCHOOLS_PER_PAGE
from schoolsites.services import (
    GoalInput,
    agreement_create,
    agreement_share,
    agreement_sign,
    principal_contact_save,
)
from tests.dashboards.dashboard_data import assess, get_counting_queries, open_cycle, past_cycles
from tests.factories import ProfileFactory, SchoolFactory

SCHOOLS_VIEW_QUERIES = 6  # the request's own (session, user with roles) and the view's four


def world(org, team, *, years, coordinators_per_school, schools, prefix="Past"):
    """``schools`` schools, each with coordinators assessed over ``years`` past cycles (the
    School site level rising) and the open one, a principal and a signed agreement."""
    cycles = past_cycles(org, years, prefix=prefix)
    current = AssessmentCycle.objects.filter(organization=org, state="open").first()
    current = current or open_cycle(org)
    year = org.school_year_of(timezone.localdate()).start_year
    made = []
    for s in range(schools):
        school = SchoolFactory(organization=org, name=f"{prefix} school {s:03d}")
        for _ in range(coordinators_per_school):
            profile = ProfileFactory(team=team, schools=[school])
            for index, cycle in enumerate(cycles):
                assess(profile, cycle, (3, min(1 + index, 3), 2, 2))
            assess(profile, current, (3, 1, 2, 2), state="submitted")
        principal_contact_save(
            school=school, school_year=year, name="P", email="p@x.org", expected_version=None
        )
        agreement = agreement_create(
            school=school,
            school_year=year,
            actor=team.director,
            fields={"principal_name": "P", "principal_email": "p@x.org"},
            goals=[GoalInput("Attendance up")],
        )
        agreement_share(agreement=agreement, actor=team.director)
        for role in ("principal", "coordinator", "director"):
            agreement_sign(agreement=agreement, role=role, name="N", email="n@x.org")
        made.append(school)
    return made


def test_the_school_page_shows_coordinators_levels_agreements_and_flags(
    client, org, team, director
):
    (school,) = world(org, team, years=2, coordinators_per_school=1, schools=1)
    client.force_login(director)
    response = client.get(reverse("dashboards:school-detail", args=[school.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    page = response.context["page"]
    assert [row.cycle_name for row in page.level_rows] == ["Past 2", "Past 1", "This year"]
    # Self and supervisor School site levels per assessment, in words.
    assert [row.levels[1][1] for row in page.level_rows][:2] == ["Novice", "Proficient"]
    assert page.level_rows[-1].levels[1] == (None, "Not rated")  # not finalized yet
    assert "<svg" in html and "School site level by cycle" in html
    assert "Signed" in html and "Placed here" in html
    assert page.this_year_agreement is not None
    assert "Site gap" in html  # Coordinator 3, School site 1 in the submitted self-assessment


def test_a_school_without_anything_says_what_to_do(client, org, admin_user):
    school = SchoolFactory(organization=org)
    client.force_login(admin_user)
    html = client.get(reverse("dashboards:school-detail", args=[school.pk])).content.decode()
    assert "No assessment has been made at this school yet" in html
    assert "Draft the agreement" in html
    assert "Add the principal" in html


def test_the_school_page_reads_a_fixed_number_of_queries(client, org, team, director):
    small = world(org, team, years=1, coordinators_per_school=1, schools=1)[0]
    client.force_login(director)
    _, few = get_counting_queries(client, reverse("dashboards:school-detail", args=[small.pk]))
    big = world(org, team, years=4, coordinators_per_school=3, schools=2, prefix="Older")[1]
    response, many = get_counting_queries(
        client, reverse("dashboards:school-detail", args=[big.pk])
    )
    assert response.status_code == 200
    assert len(response.context["page"].level_rows) == 3 * 5
    assert many == few <= 20


def test_the_school_page_shows_its_growing_lists_a_page_at_a_time(
    client, org, team, director, monkeypatch
):
    """The history of levels, the coordinators and the agreements are paged each on its own:
    the levels' first page is the latest assessments, oldest first, and the next page the
    ones before; the coordinators latest first; the agreements newest first; in the same
    queries whatever the page."""
    monkeypatch.setattr(schools_selectors, "LEVEL_ROWS_PER_PAGE", 4)
    monkeypatch.setattr(schools_selectors, "TENURES_PER_PAGE", 2)
    monkeypatch.setattr(schools_selectors, "AGREEMENTS_PER_PAGE", 1)
    (school,) = world(org, team, years=2, coordinators_per_school=3, schools=1)
    year = org.school_year_of(timezone.localdate()).start_year
    agreement_create(
        school=school,
        school_year=year - 1,
        actor=director,
        fields={"principal_name": "P", "principal_email": "p@x.org"},
        goals=[GoalInput("Attendance up")],
    )
    newcomer = ProfileFactory(team=team, schools=[school])  # placed, never assessed here
    client.force_login(director)
    url = reverse("dashboards:school-detail", args=[school.pk])
    first, queries = get_counting_queries(client, url)
    page = first.context["page"]
    assert [row.cycle_name for row in page.level_rows] == [
        "Past 1",
        "This year",
        "This year",
        "This year",
    ]
    assert page.chart is not None
    newest, latest = page.tenures
    assert (newest.profile_id, newest.first, newest.now) == (newcomer.pk, None, True)
    past = AssessmentCycle.objects.get(organization=org, name="Past 2")
    assert (latest.first_cycle, latest.first, latest.last_cycle) == (
        "Past 2",
        past.opens_on,
        "This year",
    )
    assert [year.start_year for _agreement, year, _review in page.agreements] == [year]
    html = first.content.decode()
    for label in ("Pages of the School site", "Pages of coordinators", "Pages of agreements"):
        assert f'aria-label="{label}' in html
    assert "?levels_page=2" in html and "?coordinators_page=2" in html

    older, queries_then = get_counting_queries(
        client, f"{url}?levels_page=2&coordinators_page=2&agreements_page=2"
    )
    page = older.context["page"]
    assert [row.cycle_name for row in page.level_rows] == ["Past 2", "Past 2", "Past 1", "Past 1"]
    assert [(tenure.last_cycle, tenure.now) for tenure in page.tenures] == [("This year", True)] * 2
    assert [year.start_year for _agreement, year, _review in page.agreements] == [year - 1]
    assert "levels_page=2&amp;coordinators_page=1&amp;agreements_page=2" in older.content.decode()
    assert page.this_year_agreement is not None  # whatever page of agreements is shown
    assert queries == queries_then <= 20


def test_the_schools_view_ranks_the_weakest_first_with_trend_and_turnover(
    client, org, team, admin_user
):
    cycles = past_cycles(org, 2)
    rising = SchoolFactory(organization=org, name="Rising")
    falling = SchoolFactory(organization=org, name="Falling")
    for level_then, level_now, school, people in ((1, 2, rising, 1), (3, 2, falling, 3)):
        for _ in range(people):
            profile = ProfileFactory(team=team, schools=[school])
            assess(profile, cycles[0], (2, level_then, 2, 2))
            assess(profile, cycles[1], (2, level_now, 2, 2))
    SchoolFactory(organization=org, name="Unrated")
    client.force_login(admin_user)
    response = client.get(reverse("dashboards:org-schools"))
    rows = list(response.context["rows"])
    assert [row.name for row in rows] == ["Falling", "Rising", "Unrated"]
    assert [row.trend_words for row in rows] == [
        "fell one level",
        "rose one level",
        "not enough history",
    ]
    assert [row.coordinators for row in rows] == [3, 1, 0]
    html = response.content.decode()
    assert "Proficient" in html and "No agreement" in html


def test_the_schools_view_reads_a_fixed_number_of_queries(client, org, team, admin_user):
    world(org, team, years=1, coordinators_per_school=1, schools=1)
    client.force_login(admin_user)
    _, few = get_counting_queries(client, reverse("dashboards:org-schools"))
    world(org, team, years=3, coordinators_per_school=2, schools=4, prefix="Older")
    response, many = get_counting_queries(client, reverse("dashboards:org-schools"))
    assert len(response.context["rows"]) == 5
    assert few == many == SCHOOLS_VIEW_QUERIES


def test_the_schools_view_ranks_every_school_and_shows_one_page_of_them(
    client, org, team, admin_user
):
    """The ranking runs over every school, whatever the page: the pages, one after the other,
    are the schools in the weakest-first order (levels, trend, turnover, then the name
    whatever its case), and each page reads only its own schools, in the same queries."""
    (cycle,) = past_cycles(org, 1)
    for name, site in (("weak", 1), ("Strong", 3), ("Middle", 2)):
        profile = ProfileFactory(team=team, schools=[SchoolFactory(organization=org, name=name)])
        assess(profile, cycle, (2, site, 2, 2))
    busy = SchoolFactory(organization=org, name="Busy")
    ProfileFactory.create_batch(2, team=team, schools=[busy])
    for index in range(SCHOOLS_PER_PAGE):
        SchoolFactory(organization=org, name=f"{'ab'[index % 2]}-unrated {index:02d}")
    SchoolFactory(organization=org, name="Closed", active=False)
    client.force_login(admin_user)
    url = reverse("dashboards:org-schools")
    first, queries = get_counting_queries(client, url)
    second, queries_then = get_counting_queries(client, f"{url}?page=2")
    shown = [*first.context["rows"], *second.context["rows"]]
    assert len(first.context["rows"]) == SCHOOLS_PER_PAGE
    assert len(shown) == SCHOOLS_PER_PAGE + 4
    assert [row.name for row in shown[:5]] == ["weak", "Middle", "Strong", "Busy", "a-unrated 00"]
    assert shown == sorted(shown, key=lambda row: row.sort_key())
    assert "Page 2 of 2" in second.content.decode()
    assert queries == queries_then == SCHOOLS_VIEW_QUERIES


def test_the_schools_view_of_an_organization_without_cycles_lists_its_schools_unrated(
    client, org, admin_user
):
    assert not AssessmentCycle.objects.filter(organization=org).exists()
    SchoolFactory(organization=org, name="New school")
    client.force_login(admin_user)
    response = client.get(reverse("dashboards:org-schools"))
    assert [(row.name, row.level_name, row.coordinators) for row in response.context["rows"]] == [
        ("New school", "Not rated", 0)
    ]


def test_a_school_whose_last_levels_are_years_old_keeps_its_level_and_trend(
    client, org, team, admin_user
):
    """The levels are read for the last few cycles first: a school assessed only long ago,
    or once recently and once long ago, still shows its level and trend."""
    cycles = past_cycles(org, RECENT_CYCLES + 3)
    recent = SchoolFactory(organization=org, name="Recent")
    old = SchoolFactory(organization=org, name="Long ago")
    mixed = SchoolFactory(organization=org, name="Mixed")
    for school, pairs in (
        (recent, ((cycles[-2], 1), (cycles[-1], 3))),
        (old, ((cycles[0], 3), (cycles[1], 2))),
        (mixed, ((cycles[0], 1), (cycles[-1], 2))),
    ):
        profile = ProfileFactory(team=team, schools=[school])
        for cycle, site in pairs:
            assess(profile, cycle, (2, site, 2, 2))
    client.force_login(admin_user)
    rows = {row.name: row for row in client.get(reverse("dashboards:org-schools")).context["rows"]}
    assert (rows["Recent"].level_name, rows["Recent"].trend_words) == ("Expert", "rose two levels")
    assert (rows["Long ago"].level_name, rows["Long ago"].trend_words) == (
        "Proficient",
        "fell one level",
    )
    assert (rows["Mixed"].level_name, rows["Mixed"].trend_words) == ("Proficient", "rose one level")


def test_the_levels_read_back_through_older_cycles_only_as_far_as_needed(
    client, org, team, admin_user
):
    """Schools without two levels in the last cycles are read back through the older ones:
    each shows the level and trend of its latest two rated cycles, however old, in the same
    queries."""
    cycles = past_cycles(org, 2 * RECENT_CYCLES + 3)  # oldest first
    plan = {
        "Two long ago": ((cycles[1], 3), (cycles[4], 2)),
        "Three long ago": ((cycles[0], 1), (cycles[3], 3), (cycles[5], 2)),
        "Once long ago": ((cycles[0], 2),),
        "Now and long ago": ((cycles[0], 1), (cycles[-1], 3)),
        "Recent": ((cycles[-4], 3), (cycles[-3], 3), (cycles[-2], 1), (cycles[-1], 2)),
    }
    for name, pairs in plan.items():
        profile = ProfileFactory(team=team, schools=[SchoolFactory(organization=org, name=name)])
        for cycle, site in pairs:
            assess(profile, cycle, (2, site, 2, 2))
    drafts = ProfileFactory(team=team, schools=[SchoolFactory(organization=org, name="Drafts")])
    assess(drafts, cycles[2], state="submitted")
    assess(drafts, cycles[-1], state="returned")
    SchoolFactory(organization=org, name="Never assessed")
    client.force_login(admin_user)
    response, queries = get_counting_queries(client, reverse("dashboards:org-schools"))
    rows = {row.name: (row.level_name, row.trend_words) for row in response.context["rows"]}
    assert rows == {
        "Two long ago": ("Proficient", "fell one level"),
        "Three long ago": ("Proficient", "fell one level"),
        "Once long ago": ("Proficient", "not enough history"),
        "Now and long ago": ("Expert", "rose two levels"),
        "Recent": ("Proficient", "rose one level"),
        "Drafts": ("Not rated", "not enough history"),
        "Never assessed": ("Not rated", "not enough history"),
    }
    assert queries == SCHOOLS_VIEW_QUERIES


@pytest.mark.parametrize("who", ["teammate", "other_director"])
def test_a_school_out_of_reach_is_not_found(client, org, team, profile, request, who):
    client.force_login(
        request.getfixturevalue(who).user if who == "teammate" else request.getfixturevalue(who)
    )
    response = client.get(reverse("dashboards:school-detail", args=[profile.schools.get().pk]))
    assert response.status_code == 404


def test_the_no_agreement_flag_shows_on_the_dashboard_and_the_coordinator_page(
    client, org, team, director, profile
):
    from dashboards import read_model
    from dashboards.models import FlagThresholds

    current = open_cycle(org)
    FlagThresholds.objects.update_or_create(organization=org, defaults={"agreement_grace_days": 0})
    agreement = agreement_create(
        school=profile.schools.get(),
        school_year=org.school_year_of(current.opens_on).start_year,
        actor=director,
        fields={"principal_name": "P", "principal_email": "p@x.org"},
        goals=[GoalInput("Attendance up")],
    )
    read_model.rebuild(organization_id=org.pk)
    client.force_login(director)
    board = client.get(reverse("dashboards:team-dashboard"), {"cycle": current.pk})
    assert "No signed partnership agreement for" in board.content.decode()
    page = client.get(reverse("dashboards:coordinator-detail", args=[profile.pk]))
    assert "No signed partnership agreement for" in page.content.decode()

    agreement_share(agreement=agreement, actor=director)
    for role in ("principal", "coordinator", "director"):
        agreement_sign(agreement=agreement, role=role, name="N", email="n@x.org")
    board = client.get(reverse("dashboards:team-dashboard"), {"cycle": current.pk})
    assert "No signed partnership agreement" not in board.content.decode()
    if org.school_year_of(current.opens_on) == org.school_year_of(timezone.localdate()):
        html = client.get(reverse("dashboards:coordinator-detail", args=[profile.pk])).content
        assert "Signed" in html.decode()


def test_the_school_page_shows_its_own_principals_level_beside_self_and_supervisor(
    client, org, team, director
):
    """A coordinator at two schools: each principal's answer shows on their own school's
    page only, as a third series of the chart and a third column of the table."""
    here, there = SchoolFactory(organization=org), SchoolFactory(organization=org)
    profile = ProfileFactory(team=team, schools=[here, there])
    (cycle,) = past_cycles(org, 1)
    assessment = assess(profile, cycle, (3, 2, 2, 2))
    assessment.schools.set([here, there])
    for school, level in ((here, 1), (there, 3)):
        FeedbackRequest.objects.create(
            assessment=assessment,
            school=school,
            principal_name="P",
            principal_email="p@x.org",
            state=FeedbackRequest.State.ANSWERED,
            sent_at=timezone.now(),
            expires_at=timezone.now(),
            site_level=level,
        )
    client.force_login(director)
    for school, words in ((here, "Novice"), (there, "Expert")):
        response = client.get(reverse("dashboards:school-detail", args=[school.pk]))
        page = response.context["page"]
        assert [series.label for series in page.series][-1] == "Principal"
        (row,) = page.level_rows
        assert row.levels[-1][1] == words
        assert "chart-series-principal" in response.content.decode()


@pytest.mark.no_read_model_rebuild
def test_the_school_page_shows_the_flags_as_the_read_model_keeps_them(client, org, team, director):
    """The flags raised at a school are those the dashboards show: read as stored in the read
    model with their words, not worked out again from the assessments."""
    from dashboards import read_model
    from dashboards.models import CoordinatorCycleRow

    (school,) = world(org, team, years=1, coordinators_per_school=1, schools=1)
    client.force_login(director)
    read_model.rebuild(organization_id=org.pk)
    row = CoordinatorCycleRow.objects.get(
        coordinator__schools=school, cycle__state="open", site_gap_from__isnull=False
    )
    row.flag_words["site_gap"]["words"] = ["A strong coordinator at a weak site, as stored"]
    row.save(update_fields=["flag_words"])
    html = client.get(reverse("dashboards:school-detail", args=[school.pk])).content.decode()
    assert "A strong coordinator at a weak site, as stored" in html

    CoordinatorCycleRow.objects.filter(pk=row.pk).update(site_gap_from=None)
    html = client.get(reverse("dashboards:school-detail", args=[school.pk])).content.decode()
    assert "as stored" not in html
