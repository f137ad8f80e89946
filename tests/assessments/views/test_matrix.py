"""The coordinator's matrix page, its background save, submit, recall and start."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from assessments.forms import ReviewForm, SelfAssessmentForm
from assessments.models import Assessment, Rating
from assessments.selectors import assessment_sheet
from assessments.services import assessment_save_review, assessment_submit
from dashboards import read_model
from dashboards.models import CoordinatorCycleRow
from rubrics.models import Descriptor, Indicator
from rubrics.text import rubric_text, rubric_text_forget
from tests.assessments.workflow_helpers import indicators_of, make_assessment, self_post
from tests.factories import CycleFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def detail_url(assessment):
    return reverse("assessments:assessment-detail", args=[assessment.pk])


def url(name, assessment):
    return reverse(f"assessments:{name}", args=[assessment.pk])


@pytest.fixture
def assessment(profile):
    return make_assessment(profile)


def saved_levels(assessment):
    return list(
        Rating.objects.filter(assessment=assessment, self_level__isnull=False).values_list(
            "self_level", flat=True
        )
    )


def version_of(assessment):
    return Assessment.objects.get(pk=assessment.pk).version


# The page -----------------------------------------------------------------------------


def test_the_matrix_shows_every_indicator_as_radio_cards_with_evidence(
    client_for, coordinator, assessment
):
    response = client_for(coordinator).get(detail_url(assessment))

    assert response.status_code == 200
    html = response.content.decode()
    for indicator in indicators_of(assessment):
        assert indicator.name in html
        for descriptor in Descriptor.objects.filter(indicator=indicator):
            option_id = f"id_level_{indicator.pk}_{descriptor.level.value}"
            assert f'<input type="radio" name="level_{indicator.pk}" id="{option_id}"' in html
            assert f'<label for="{option_id}"><span class="level-name">' in html
        assert f'name="evidence_{indicator.pk}"' in html
    assert 'data-autosave-url="' + url("assessment-autosave", assessment) in html
    assert "js/assessment.js" in html
    assert "data-confirm=" in html
    assert "<script>" not in html  # no inline script under the CSP


def test_the_matrix_is_hidden_from_other_people(client_for, assessment, teammate, other_admin):
    for user in (teammate.user, other_admin):
        assert client_for(user).get(detail_url(assessment)).status_code == 404


def test_the_director_is_sent_to_the_review_page(client_for, assessment, director):
    response = client_for(director).get(detail_url(assessment))
    assert response.status_code == 302
    assert response["Location"] == url("assessment-review", assessment)


def test_another_directors_team_is_out_of_reach(client_for, assessment, other_director):
    assert client_for(other_director).get(detail_url(assessment)).status_code == 404


def test_save_draft_saves_and_says_when(client_for, coordinator, assessment):
    client = client_for(coordinator)
    response = client.post(detail_url(assessment), self_post(assessment, level=3, evidence="x"))

    assert response.status_code == 302
    assert set(saved_levels(assessment)) == {3}
    page = client.get(detail_url(assessment)).content.decode()
    assert "Draft saved at" in page


@pytest.mark.parametrize(
    "malformed",
    [
        "level_7",
        "foreign_indicator",
        "huge_evidence",
        "missing_evidence",
        "missing_version",
        "word_version",
        "level_word",
    ],
)
def test_malformed_input_is_a_form_error_and_nothing_is_saved(
    client_for, coordinator, assessment, other_org, malformed
):
    first = indicators_of(assessment)[0]
    data = self_post(assessment, level=2)
    if malformed == "level_7":
        data[f"level_{first.pk}"] = 7
    elif malformed == "foreign_indicator":
        foreign = Indicator.objects.exclude(category__version=assessment.rubric_version).first()
        data[f"level_{foreign.pk}"] = 2
    elif malformed == "huge_evidence":
        data[f"evidence_{first.pk}"] = "x" * 100_000
    elif malformed == "missing_evidence":
        del data[f"evidence_{first.pk}"]
    elif malformed == "missing_version":
        del data["version"]
    elif malformed == "word_version":
        data["version"] = "one"
    elif malformed == "level_word":
        data[f"level_{first.pk}"] = "expert"

    for target in ("assessment-detail", "assessment-submit"):
        response = client_for(coordinator).post(url(target, assessment), data)
        assert response.status_code == 400
        assert "Nothing was saved" in response.content.decode()

    assert saved_levels(assessment) == []
    assert version_of(assessment) == assessment.version


def test_a_foreign_indicator_from_another_organization_is_refused(
    client_for, coordinator, assessment, other_org
):
    foreign = Indicator.objects.filter(category__version__rubric__organization=other_org).first()
    data = self_post(assessment) | {f"level_{foreign.pk}": 2, f"evidence_{foreign.pk}": "x"}
    response = client_for(coordinator).post(detail_url(assessment), data)
    assert response.status_code == 400
    assert "not part of this assessment" in response.content.decode()


def test_two_tabs_the_later_save_is_refused_and_keeps_what_was_typed(
    client_for, coordinator, assessment
):
    client = client_for(coordinator)
    first_tab = self_post(assessment, level=3, evidence="From the first tab")
    second_tab = self_post(assessment, level=1, evidence="Typed in the second tab")
    assert client.post(detail_url(assessment), first_tab).status_code == 302

    response = client.post(detail_url(assessment), second_tab)

    assert response.status_code == 409
    html = response.content.decode()
    assert "saved elsewhere" in html
    assert "Typed in the second tab" in html  # what this person typed, still in the form
    assert "From the first tab" in html  # what the other tab saved, shown beside it
    assert "Saved elsewhere meanwhile:</strong> Expert" in html
    first = indicators_of(assessment)[0]
    assert f'id="id_level_{first.pk}_1" value="1" checked' in html
    assert f'value="{assessment.version + 1}"' in html  # saving again is now a choice
    assert set(saved_levels(assessment)) == {3}

    again = client.post(detail_url(assessment), second_tab | {"version": assessment.version + 1})
    assert again.status_code == 302
    assert set(saved_levels(assessment)) == {1}


def test_the_page_issues_the_same_queries_whatever_the_rubric_size(
    client_for, coordinator, assessment
):
    client = client_for(coordinator)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(detail_url(assessment)).status_code == 200
        return len(queries)

    before = count()
    category = assessment.rubric_version.categories.first()
    levels = list(assessment.rubric_version.levels.all())
    for n in range(15):
        indicator = Indicator.objects.create(category=category, name=f"Extra {n}", order=100 + n)
        Descriptor.objects.bulk_create(
            Descriptor(indicator=indicator, level=level, text=f"{level.name} {n}")
            for level in levels
        )
        Rating.objects.create(assessment=assessment, indicator=indicator, self_level=2)
    assert count() == before
    # With the evidence, the organization's accepted kinds of file and the principals' answers.
    assert before <= 15
    if connection.vendor == "postgresql":
        # Once the rubric's words are cached: the session (in the database under tests), the
        # user and the assessment; the ratings, category levels, last cycle's agreed levels
        # and the principal setting together; the evidence with the accepted kinds together.
        assert count() <= 5


def test_the_rubric_words_are_read_once_then_come_from_the_cache(
    client_for, coordinator, assessment
):
    client = client_for(coordinator)

    def page():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(detail_url(assessment))
        return response.content.decode(), len(queries)

    _, first = page()
    html, second = page()
    assert second == first - 5  # family name, levels, categories, indicators, descriptors
    for descriptor in Descriptor.objects.filter(
        indicator__category__version=assessment.rubric_version
    ):
        assert escape(descriptor.text) in html


def test_a_descriptor_corrected_in_django_admin_shows_on_the_next_page(
    client_for, coordinator, assessment
):
    client = client_for(coordinator)
    client.get(detail_url(assessment))
    descriptor = Descriptor.objects.filter(
        indicator__category__version=assessment.rubric_version
    ).first()
    descriptor.text = "Plans family nights together with the principal"
    descriptor.save()
    assert descriptor.text in client.get(detail_url(assessment)).content.decode()


def test_a_renamed_role_family_shows_on_the_next_page(client_for, coordinator, assessment):
    client = client_for(coordinator)
    client.get(detail_url(assessment))
    family = assessment.rubric_version.rubric.role_family
    family.name = "Community school coordinators"
    family.save()
    html = client.get(detail_url(assessment)).content.decode()
    assert f"Community school coordinators, version {assessment.rubric_version.number}" in html


def test_a_correction_cleared_by_another_server_shows_here_at_the_next_read(assessment):
    """Each server keeps the words it read; the stamp in the shared cache says whether they
    are still current."""
    version = assessment.rubric_version
    rubric_text(version)
    # Another server corrects the words (no signal here) and clears the shared entries.
    Descriptor.objects.filter(indicator__category__version=version).update(text="Corrected")
    _, indicators = rubric_text(version).categories[0]
    assert "Corrected" not in indicators[0][1].values()  # still the shared stamp: kept words
    rubric_text_forget([version.pk])
    _, indicators = rubric_text(version).categories[0]
    assert set(indicators[0][1].values()) == {"Corrected"}


def test_a_draft_is_read_from_the_database_every_time(assessment):
    version = assessment.rubric_version
    version.state = version.State.DRAFT
    rubric_text(version)
    Descriptor.objects.filter(indicator__category__version=version).update(text="Redrafted")
    _, indicators = rubric_text(version).categories[0]
    assert set(indicators[0][1].values()) == {"Redrafted"}


# Background save -----------------------------------------------------------------------


def test_autosave_answers_json_with_the_new_version(client_for, coordinator, assessment):
    response = client_for(coordinator).post(
        url("assessment-autosave", assessment), self_post(assessment, level=2, evidence="y")
    )
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["saved"] is True and body["version"] == assessment.version + 1
    assert body["saved_at"]
    assert set(saved_levels(assessment)) == {2}


def test_a_background_save_is_a_few_queries_and_the_dashboards_see_the_draft_unchanged(
    client_for, coordinator, assessment, django_assert_max_num_queries
):
    """A draft's levels show on no dashboard, so its background save leaves their rows and
    version as they were (no refresh of the read model); submitting shows the saved levels."""
    organization_id = assessment.cycle.organization_id
    read_model.rebuild(organization_id=organization_id)
    rows = CoordinatorCycleRow.objects.filter(coordinator=assessment.coordinator).order_by("pk")
    before, version = list(rows.values()), read_model.version_of(organization_id)
    client = client_for(coordinator)
    client.get(detail_url(assessment))  # the page opened: its session and words are cached

    with django_assert_max_num_queries(11):
        response = client.post(
            url("assessment-autosave", assessment), self_post(assessment, level=2, evidence="y")
        )

    assert response.status_code == 200 and json.loads(response.content)["saved"] is True
    assert set(saved_levels(assessment)) == {2}
    assert Rating.history.filter(assessment=assessment, self_level=2).count() == len(
        indicators_of(assessment)
    )  # the ledger of saves
    assert list(rows.values()) == before
    assert read_model.version_of(organization_id) == version
    assessment.refresh_from_db()
    assessment_submit(assessment=assessment, actor=coordinator, expected_version=assessment.version)
    row = rows.get(cycle=assessment.cycle)
    assert row.status == Assessment.State.SUBMITTED
    assert {getattr(row, f"level_{key}") for key in read_model.CATEGORY_KEYS} == {2}
    assert read_model.version_of(organization_id) == version + 1


def test_autosave_refuses_a_stale_version_with_a_conflict(client_for, coordinator, assessment):
    client = client_for(coordinator)
    client.post(url("assessment-autosave", assessment), self_post(assessment, level=2))
    response = client.post(url("assessment-autosave", assessment), self_post(assessment, level=1))
    assert response.status_code == 409
    assert json.loads(response.content)["conflict"] is True
    assert set(saved_levels(assessment)) == {2}


def test_autosave_refuses_malformed_input(client_for, coordinator, assessment):
    data = self_post(assessment)
    data["version"] = "x"
    response = client_for(coordinator).post(url("assessment-autosave", assessment), data)
    assert response.status_code == 400
    assert json.loads(response.content)["saved"] is False


def test_autosave_access(client_for, assessment, director, other_admin, teammate):
    target = url("assessment-autosave", assessment)
    assert client_for(assessment.coordinator.user).get(target).status_code == 405
    assert client_for(director).post(target, self_post(assessment)).status_code == 403
    assert client_for(other_admin).post(target, self_post(assessment)).status_code == 403
    assert client_for(teammate.user).post(target, self_post(assessment)).status_code == 404


# Submit and recall ----------------------------------------------------------------------


def test_submit_without_every_level_lists_and_links_the_missing_ones(
    client_for, coordinator, assessment
):
    indicators = indicators_of(assessment)
    data = self_post(assessment, level=None, evidence="kept")
    data[f"level_{indicators[0].pk}"] = 2

    response = client_for(coordinator).post(url("assessment-submit", assessment), data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Not submitted yet (your draft is saved)" in html
    for indicator in indicators[1:]:
        assert f'<a href="#indicator-{indicator.pk}">' in html
    assert f'<a href="#indicator-{indicators[0].pk}">' not in html
    assert Assessment.objects.get(pk=assessment.pk).state == Assessment.State.DRAFT
    assert saved_levels(assessment) == [2]  # what was filled in is saved, not lost
    assert Rating.objects.filter(assessment=assessment, self_evidence="kept").count() == len(
        indicators
    )


def test_submit_a_complete_matrix(client_for, coordinator, assessment):
    client = client_for(coordinator)
    response = client.post(url("assessment-submit", assessment), self_post(assessment, level=2))
    assert response.status_code == 302
    assert Assessment.objects.get(pk=assessment.pk).state == Assessment.State.SUBMITTED

    page = client.get(detail_url(assessment)).content.decode()
    assert 'type="radio"' not in page  # read-only now
    assert "Recall submission" in page
    # A stale tab saving or submitting again is refused as a conflict, its text listed.
    stale = client.post(detail_url(assessment), self_post(assessment, evidence="Typed later"))
    assert stale.status_code == 409
    assert "this assessment was submitted on" in stale.content.decode()
    replay = client.post(url("assessment-submit", assessment), self_post(assessment))
    assert replay.status_code == 409
    assert Assessment.objects.get(pk=assessment.pk).version == 3


def test_a_complete_submit_checks_the_levels_it_has_just_saved_without_reading_them_again(
    client_for, coordinator, assessment
):
    client = client_for(coordinator)
    client.get(detail_url(assessment))  # the page opened: its words are cached
    data = self_post(assessment, level=3)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url("assessment-submit", assessment), data)
    assert response.status_code == 302
    assert Assessment.objects.get(pk=assessment.pk).state == Assessment.State.SUBMITTED
    assert not [q for q in queries if 'FROM "assessments_indicator"' in q["sql"]]


def test_submit_access(client_for, assessment, director, other_admin, teammate):
    target = url("assessment-submit", assessment)
    assert client_for(assessment.coordinator.user).get(target).status_code == 405
    assert client_for(director).post(target, self_post(assessment)).status_code == 403
    assert client_for(teammate.user).post(target, self_post(assessment)).status_code == 404
    assert client_for(other_admin).post(target, self_post(assessment)).status_code == 403


@pytest.fixture
def submitted(profile):
    assessment = make_assessment(profile, ratings=2)
    return assessment_submit(
        assessment=assessment, actor=profile.user, expected_version=assessment.version
    )


def test_recall_until_the_review_starts(client_for, coordinator, submitted, director):
    client = client_for(coordinator)
    response = client.post(url("assessment-recall", submitted), {"version": submitted.version})
    assert response.status_code == 302
    assert Assessment.objects.get(pk=submitted.pk).state == Assessment.State.DRAFT


def test_no_recall_after_the_review_started(client_for, coordinator, submitted, director):
    reviewed = assessment_save_review(
        assessment=submitted,
        actor=director,
        expected_version=submitted.version,
        ratings={},
        coaching_notes="Started",
        next_steps="",
    )
    client = client_for(coordinator)
    page = client.get(detail_url(submitted)).content.decode()
    assert "Recall submission" not in page
    response = client.post(
        url("assessment-recall", submitted), {"version": reviewed.version}, follow=True
    )
    assert "started the review" in response.content.decode()
    assert Assessment.objects.get(pk=submitted.pk).state == Assessment.State.SUBMITTED


@pytest.mark.parametrize("version", [None, "x"])
def test_recall_with_a_bad_version_is_a_message(client_for, coordinator, submitted, version):
    data = {} if version is None else {"version": version}
    response = client_for(coordinator).post(url("assessment-recall", submitted), data, follow=True)
    assert response.status_code == 200
    assert Assessment.objects.get(pk=submitted.pk).state == Assessment.State.SUBMITTED


def test_recall_access(client_for, submitted, director, teammate):
    target = url("assessment-recall", submitted)
    data = {"version": submitted.version}
    assert client_for(submitted.coordinator.user).get(target).status_code == 405
    assert client_for(director).post(target, data).status_code == 403
    assert client_for(teammate.user).post(target, data).status_code == 404


def test_after_finalize_the_coordinator_sees_the_supervisors_levels(client_for, profile):
    assessment = make_assessment(
        profile,
        ratings={"self": 3, "supervisor": 2},
        state=Assessment.State.FINALIZED,
        coaching_notes="We talked about the site council.",
        next_steps="Join the regional network.",
    )
    Rating.objects.filter(assessment=assessment).update(supervisor_note="Solid work")
    html = client_for(profile.user).get(detail_url(assessment)).content.decode()
    assert "Differs: self Expert, supervisor Proficient" in html
    assert "Solid work" in html
    assert "We talked about the site council." in html
    assert "Join the regional network." in html


def test_before_finalize_the_coordinator_does_not_see_supervisor_levels(client_for, profile):
    assessment = make_assessment(
        profile, ratings={"self": 3, "supervisor": 2}, state=Assessment.State.SUBMITTED
    )
    Rating.objects.filter(assessment=assessment).update(supervisor_note="Private draft note")
    html = client_for(profile.user).get(detail_url(assessment)).content.decode()
    assert "Private draft note" not in html
    assert "Differs" not in html


# Starting late ---------------------------------------------------------------------------


def test_a_coordinator_added_after_the_cycle_opened_starts_theirs(client_for, org, team):
    cycle = CycleFactory(organization=org)
    late = ProfileFactory(team=team)
    client = client_for(late.user)
    page = client.get(reverse("pages:my-growth")).content.decode()
    assert "Start my self-assessment" in page

    response = client.post(reverse("assessments:assessment-start", args=[cycle.pk]))

    assessment = Assessment.objects.get(cycle=cycle, coordinator=late)
    assert response["Location"] == detail_url(assessment)
    assert client.get(reverse("assessments:assessment-start", args=[cycle.pk])).status_code == 405


def test_start_access(client_for, org, other_org, coordinator, director):
    other_cycle = CycleFactory(organization=other_org)
    assert (
        client_for(coordinator)
        .post(reverse("assessments:assessment-start", args=[other_cycle.pk]))
        .status_code
        == 404
    )
    own_cycle = CycleFactory(organization=org)
    assert (
        client_for(director)
        .post(reverse("assessments:assessment-start", args=[own_cycle.pk]))
        .status_code
        == 403
    )


def test_my_growth_links_the_open_and_past_assessments(client_for, profile):
    past = make_assessment(
        profile,
        ratings=2,
        state=Assessment.State.FINALIZED,
        cycle=CycleFactory(organization=profile.organization, state="closed", name="Last year"),
    )
    current = make_assessment(profile, cycle=CycleFactory(organization=profile.organization))
    html = client_for(profile.user).get(reverse("pages:my-growth")).content.decode()
    assert f'href="{detail_url(current)}">Open my self-assessment' in html
    assert f'href="{detail_url(past)}">Last year</a>' in html


def test_a_user_without_a_profile_cannot_start(client_for, org):
    cycle = CycleFactory(organization=org)
    user = UserFactory(organization=org, roles=["coordinator"])
    response = client_for(user).post(reverse("assessments:assessment-start", args=[cycle.pk]))
    assert response.status_code == 404


def test_evidence_over_the_limit_is_refused_and_shown_back_whole(
    client_for, coordinator, assessment
):
    indicator = indicators_of(assessment)[0]
    long_text = "Evidence " + "x" * 5200 + " the end"
    data = self_post(assessment, **{f"evidence_{indicator.pk}": long_text})

    response = client_for(coordinator).post(detail_url(assessment), data)

    assert response.status_code == 400
    body = response.content.decode()
    assert long_text + "</textarea>" in body  # the whole text, nothing cut
    assert f"The text for “{escape(indicator.name)}” has {len(long_text)} characters" in body
    assert 'data-max-length="5000"' in body
    assert "maxlength=" not in body  # the browser never cuts a paste short
    assert Rating.objects.get(assessment=assessment, indicator=indicator).self_evidence == ""


def test_background_save_of_too_long_evidence_names_the_indicator(
    client_for, coordinator, assessment
):
    indicator = indicators_of(assessment)[0]
    data = self_post(assessment, **{f"evidence_{indicator.pk}": "y" * 5001})

    response = client_for(coordinator).post(url("assessment-autosave", assessment), data)

    assert response.status_code == 400
    assert json.loads(response.content)["message"] == (
        f"Not saved: The text for “{indicator.name}” has 5001 characters and at most 5000 "
        "fit. Nothing was cut: shorten it here and save again."
    )


def test_a_renamed_indicator_names_itself_in_the_next_refusal(client_for, coordinator, assessment):
    """The sheet's fields are built once per rubric version's words: a corrected name is new
    words, and the next form says it."""
    indicator = indicators_of(assessment)[0]
    data = self_post(assessment, **{f"evidence_{indicator.pk}": "y" * 5001})
    client_for(coordinator).post(url("assessment-autosave", assessment), data)
    Indicator.objects.filter(pk=indicator.pk).update(name="Family leadership, corrected")
    rubric_text_forget([assessment.rubric_version_id])

    response = client_for(coordinator).post(url("assessment-autosave", assessment), data)

    assert "“Family leadership, corrected” has 5001 characters" in response.json()["message"]


def test_each_sheet_form_has_fields_of_its_own(assessment):
    """Built from the same kept fields, two forms never share one: a change to a field of one
    page's form is not on the next page's."""
    sheet = assessment_sheet(assessment=assessment)
    first, second = SelfAssessmentForm(sheet=sheet), SelfAssessmentForm(sheet=sheet)
    name = first.level_name(indicators_of(assessment)[0].pk)
    first.fields[name].required = True
    assert second.fields[name].required is False
    assert first.fields[name] is not second.fields[name]
    review = ReviewForm(sheet=sheet)
    assert review.level_name(indicators_of(assessment)[0].pk) in review.fields
    assert name not in review.fields
