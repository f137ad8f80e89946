"""The organization across cycles: completion and finalized levels per cycle, the rubric
version each cycle was rated on and where it changed, drawn beside their tables on the
overview and marked on the coordinator's chart, in a fixed number of queries."""

import re

import pytest
from django.template.defaultfilters import floatformat
from django.urls import reverse

from dashboards import read_model
from dashboards.charts import Column, Segment, stacked_bars, svg_number
from dashboards.selectors.common import version_names
from dashboards.selectors.trends import (
    VersionLabel,
    organization_trend,
    rubric_words,
    version_labels,
    version_marks,
)
from rubrics.defaults import INSTRUCTIONAL_COACH
from rubrics.services import (
    role_family_create_with_rubric,
    rubric_version_new_draft,
    rubric_version_publish,
)
from tests.dashboards.dashboard_data import assess, build_team, get_counting_queries, past_cycles
from tests.factories import OrganizationFactory, ProfileFactory, TeamFactory

OVERVIEW = reverse("dashboards:org-overview")
V1, V2 = VersionLabel("Coordinator", 1), VersionLabel("Coordinator", 2)
COACH = VersionLabel("Coach", 1)


def test_a_version_is_marked_where_it_changes_and_only_there():
    assert version_marks([[V1], [V1], [V2], [V2]]) == ["", "", "Rubric v2", ""]
    assert version_marks([[V1], [], [V1]]) == ["", "", ""]  # a cycle with nothing rated
    assert version_marks([[V1, COACH], [V2, COACH]], True) == ["", "Rubric Coordinator v2"]
    assert version_marks([[V1]]) == [""]


def test_coordinates_are_written_as_the_floatformat_filter_writes_them():
    """The chart writes its coordinates in Python rather than with the template filter; the
    SVG stays the same, halves rounding up and zero without a minus sign."""
    values = [0, 0.05, 0.25, 2.25, 2.35, -0.04, -0.0, 31.95, 217.6499999, 1e-7, 480]
    values += [i * 37 / 13 for i in range(-50, 400)] + [188 * i / 7 for i in range(60)]
    for value in values:
        assert svg_number(value) == floatformat(value, "1u"), value


def test_the_bars_split_by_share_and_the_marker_stands_before_its_cycle():
    chart = stacked_bars(
        [
            Column("2024 Fall", [Segment("a", 1, ""), Segment("b", 3, "")]),
            Column("2025 Fall", [Segment("a", 0, "")], mark="Rubric v2"),
        ]
    )
    first, second = chart.rects
    assert second.height == pytest.approx(3 * first.height)
    assert second.y + second.height == pytest.approx(first.y)  # stacked on top
    assert [m.label for m in chart.markers] == ["Rubric v2"]
    assert chart.markers[0].x < chart.labels[1].x  # between the two bars
    assert [t.lines for t in chart.empty_columns] == [("none",)]
    assert chart.labels[0].lines == ("2024", "Fall")


@pytest.fixture
def two_versions(org, team, admin_user):
    """Three closed cycles: the first two rated on v1, the third on v2."""
    cycles = past_cycles(org, 3)
    family = org.role_families.get()
    people = [ProfileFactory(team=team) for _ in range(3)]
    for person in people:
        assess(person, cycles[0], (1, 1, 2, 2))
        assess(person, cycles[1], (2, 1, 2, 3))
    draft, _created = rubric_version_new_draft(rubric=family.rubric, actor=admin_user)
    rubric_version_publish(version=draft, actor=admin_user)
    assess(people[0], cycles[2], (3, 2, 2, 3))
    assess(people[1], cycles[2], (2, 2, 2, 3), state="submitted")
    read_model.rebuild(organization_id=org.pk)  # after the factories' direct writes
    return cycles, people


@pytest.mark.django_db
def test_the_rubric_words_read_at_once_are_the_names_and_labels_read_apart(
    org, admin_user, two_versions
):
    """The overview reads every rubric version's names and labels in one query: the same
    names, in the same order, and the same labels as the selectors that read them apart."""
    coach = role_family_create_with_rubric(
        organization=org, name="Instructional coach", data=INSTRUCTIONAL_COACH
    )
    draft, _created = rubric_version_new_draft(rubric=coach.rubric, actor=admin_user)
    rubric_version_publish(version=draft, actor=admin_user)
    OrganizationFactory()  # another organization's rubric is not read
    words = rubric_words(org)
    names = version_names(org)
    assert len(names) == 4
    assert list(words.names_by_version) == list(names)
    for version_id, version in names.items():
        assert list(words.names_by_version[version_id].categories.items()) == list(
            version.categories.items()
        )
        assert list(words.names_by_version[version_id].levels.items()) == list(
            version.levels.items()
        )
    assert words.labels == version_labels(list(names))
    assert {label.family for label in words.labels.values()} == {
        org.role_families.order_by("pk").first().name,
        "Instructional coach",
    }


@pytest.mark.django_db
def test_the_trend_counts_each_cycle_and_marks_the_new_version(org, two_versions):
    cycles, _people = two_versions
    trend = organization_trend(organization=org)
    assert [t.cycle for t in trend.cycles] == cycles
    assert [t.version_mark for t in trend.cycles] == ["", "", "Rubric v2"]
    assert [t.versions_text for t in trend.cycles] == ["v1", "v1", "v2"]
    assert [(t.finalized, t.assessments, t.completion_percent) for t in trend.cycles] == [
        (3, 3, 100),
        (3, 3, 100),
        (1, 2, 50),
    ]
    coordinator = dict(
        (t.cycle.pk, (counts, total)) for t, counts, total in trend.category_rows("coordinator")
    )
    assert coordinator[cycles[0].pk] == ([3, 0, 0], 3)
    assert coordinator[cycles[1].pk] == ([0, 3, 0], 3)
    assert coordinator[cycles[2].pk] == ([0, 0, 1], 1)  # the submitted one is not agreed yet


@pytest.mark.django_db
def test_the_overview_draws_the_trend_beside_its_tables(client_for, admin_user, two_versions):
    html = client_for(admin_user).get(OVERVIEW).text
    assert html.count('<svg viewBox="0 0 480 240" role="img"') == 5  # completion + 4 categories
    assert 'class="chart-version-line"' in html
    assert ">Rubric v2</text>" in html  # on the chart
    assert html.count("Rubric v2 from here</span>") == 5  # in each table beside a chart
    assert "<caption>Completion: assessments by state, per cycle</caption>" in html
    assert re.search(
        r"Past 1.*?</th><td>0</td><td>0</td><td>1</td><td>1</td><td>50%</td>", html, re.S
    )
    assert "https://" not in html.split("<main", 1)[1]  # drawn here, nothing fetched


@pytest.mark.django_db
def test_the_overview_takes_the_same_queries_for_more_cycles_and_people(
    client_for, admin_user, org, team, two_versions
):
    client = client_for(admin_user)
    _response, few = get_counting_queries(client, OVERVIEW)
    more_cycles = past_cycles(org, 3, prefix="Older")
    build_team(TeamFactory(organization=org), 12, more_cycles, two_versions[0][-1])
    response, many = get_counting_queries(client, OVERVIEW)
    assert response.status_code == 200
    assert many == few


@pytest.mark.django_db
def test_the_coordinators_chart_and_table_mark_the_new_version(client_for, director, two_versions):
    _cycles, people = two_versions
    response = client_for(director).get(
        reverse("dashboards:coordinator-detail", args=[people[0].pk])
    )
    assert response.context["chart_data"]["marks"] == ["", "", "Rubric v2"]
    html = response.text
    assert "Rubric v2 from here</span>" in html
    assert ">Rubric v1</span>" in html  # the first cycle says what it was rated on
