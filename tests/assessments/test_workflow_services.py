"""Every allowed and refused move of an assessment and a cycle (assessments/services/)."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from assessments import services
from assessments.models import Assessment, AssessmentCycle, CategoryScore, Rating
from assessments.services import (
    IncompleteAssessmentError,
    RatingInput,
    StaleAssessmentError,
    WorkflowError,
)
from rubrics import services as rubric_services
from rubrics.models import CategoryKey, RubricVersion
from tests.assessments.workflow_helpers import all_levels, indicators_of, make_assessment
from tests.factories import CycleFactory, ProfileFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def reload(assessment):
    return Assessment.objects.get(pk=assessment.pk)


def save_self(assessment, actor, ratings=None, version=None):
    return services.assessment_save_self(
        assessment=assessment,
        actor=actor,
        expected_version=assessment.version if version is None else version,
        ratings=all_levels(assessment) if ratings is None else ratings,
    )


def submitted(profile, **kwargs):
    assessment = make_assessment(profile, ratings=2, **kwargs)
    return services.assessment_submit(
        assessment=assessment, actor=profile.user, expected_version=assessment.version
    )


def review(assessment, actor, level=2, **kwargs):
    return services.assessment_save_review(
        assessment=assessment,
        actor=actor,
        expected_version=assessment.version,
        ratings={i.pk: RatingInput(level, "") for i in indicators_of(assessment)},
        coaching_notes=kwargs.get("coaching_notes", ""),
        next_steps=kwargs.get("next_steps", ""),
    )


# The coordinator's saves ---------------------------------------------------------------


def test_save_self_writes_levels_evidence_scores_and_history(profile, coordinator):
    assessment = make_assessment(profile)
    first, *rest = indicators_of(assessment)
    ratings = {first.pk: RatingInput(3, "  Monthly check-ins.  ")}
    ratings |= {i.pk: RatingInput(1, "") for i in rest}

    saved = save_self(assessment, coordinator, ratings)

    assert saved.version == assessment.version + 1
    rating = Rating.objects.get(assessment=assessment, indicator=first)
    assert (rating.self_level, rating.self_evidence) == (3, "Monthly check-ins.")
    score = CategoryScore.objects.get(assessment=assessment, category_key=CategoryKey.COORDINATOR)
    assert score.self_level == 1  # median of 3, 1, 1, 1, 1, rounded down
    record = rating.history.latest()
    assert record.history_user == coordinator and record.self_level == 3


def test_save_self_writes_only_changed_ratings(profile, coordinator):
    assessment = make_assessment(profile, ratings=2)
    first = indicators_of(assessment)[0]
    before = Rating.history.count()
    ratings = all_levels(assessment, level=2)
    ratings[first.pk] = RatingInput(3, "")
    save_self(assessment, coordinator, ratings)
    assert Rating.history.count() == before + 1


def test_stale_save_is_refused_and_nothing_changes(profile, coordinator):
    assessment = make_assessment(profile)
    tab_one = reload(assessment)
    tab_two = reload(assessment)
    save_self(tab_one, coordinator, all_levels(assessment, level=3))

    with pytest.raises(StaleAssessmentError) as refused:
        save_self(tab_two, coordinator, all_levels(assessment, level=1))

    assert refused.value.current.version == assessment.version + 1
    assert set(
        Rating.objects.filter(assessment=assessment).values_list("self_level", flat=True)
    ) == {3}


def test_someone_else_cannot_save_a_coordinators_assessment(profile, teammate, director):
    assessment = make_assessment(profile)
    for actor in (teammate.user, director):
        with pytest.raises(PermissionDenied):
            save_self(assessment, actor)
    assert reload(assessment).version == assessment.version


@pytest.mark.parametrize("state", ["submitted", "finalized"])
def test_coordinator_cannot_edit_after_submission(profile, coordinator, state):
    assessment = make_assessment(profile, ratings=2, state=state)
    with pytest.raises(WorkflowError, match=state):
        save_self(assessment, coordinator)


def test_returned_assessment_is_editable_again(profile, coordinator):
    assessment = make_assessment(profile, ratings=2, state=Assessment.State.RETURNED)
    saved = save_self(assessment, coordinator, all_levels(assessment, level=3))
    assert saved.state == Assessment.State.RETURNED
    assert Rating.objects.filter(assessment=assessment, self_level=3).exists()


def test_indicator_of_another_version_is_refused_without_a_partial_save(org, profile, coordinator):
    assessment = make_assessment(profile)
    other = rubric_services.role_family_create_with_rubric(
        organization=org,
        name="Instructional coach",
        data={
            "categories": [
                {
                    "key": "coordinator",
                    "name": "C",
                    "indicators": [{"name": "x", "descriptors": "abc"}],
                }
            ]
        },
    )
    foreign = RubricVersion.objects.get(rubric__role_family=other).categories.get().indicators.get()
    ratings = all_levels(assessment, level=3) | {foreign.pk: RatingInput(2, "")}

    with pytest.raises(WorkflowError, match="not in this rubric version"):
        save_self(assessment, coordinator, ratings)

    assert not Rating.objects.filter(assessment=assessment, self_level__isnull=False).exists()
    assert reload(assessment).version == assessment.version


def test_a_level_the_rubric_does_not_have_is_refused(profile, coordinator):
    assessment = make_assessment(profile)
    ratings = all_levels(assessment)
    ratings[next(iter(ratings))] = RatingInput(7, "")
    with pytest.raises(WorkflowError, match="level"):
        save_self(assessment, coordinator, ratings)
    assert not Rating.objects.filter(assessment=assessment, self_level__isnull=False).exists()


def test_no_changes_once_the_cycle_is_closed(profile, coordinator):
    assessment = make_assessment(profile)
    AssessmentCycle.objects.filter(pk=assessment.cycle_id).update(state="closed")
    with pytest.raises(WorkflowError, match="closed"):
        save_self(reload(assessment), coordinator)


def test_no_changes_after_the_closing_day(profile, coordinator):
    today = timezone.localdate()
    cycle = CycleFactory(
        organization=profile.organization,
        opens_on=today - timedelta(days=60),
        due_on=today - timedelta(days=20),
        closes_on=today - timedelta(days=1),
    )
    assessment = make_assessment(profile, cycle=cycle)
    with pytest.raises(WorkflowError, match="closed"):
        save_self(assessment, coordinator)


def test_missing_ratings_rows_are_created(profile, coordinator):
    assessment = make_assessment(profile)
    Rating.objects.filter(assessment=assessment).delete()
    save_self(assessment, coordinator, all_levels(assessment, level=2, text="x"))
    assert Rating.objects.filter(assessment=assessment, self_level=2).count() == len(
        indicators_of(assessment)
    )


# Submit and recall -----------------------------------------------------------------------


def test_submit_needs_every_level_and_lists_the_missing_ones(profile, coordinator):
    assessment = make_assessment(profile)
    indicators = indicators_of(assessment)
    saved = save_self(assessment, coordinator, {indicators[0].pk: RatingInput(2, "")})

    with pytest.raises(IncompleteAssessmentError) as refused:
        services.assessment_submit(
            assessment=saved, actor=coordinator, expected_version=saved.version
        )

    assert refused.value.missing == indicators[1:]
    after = reload(assessment)
    assert after.state == Assessment.State.DRAFT and after.version == saved.version


def test_submit_moves_to_submitted_and_tells_the_director(
    profile, coordinator, director, django_capture_on_commit_callbacks
):
    assessment = make_assessment(profile, ratings=2)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.assessment_submit(
            assessment=assessment, actor=coordinator, expected_version=assessment.version
        )
    assert result.state == Assessment.State.SUBMITTED and result.submitted_at
    assert [m.to for m in mail.outbox] == [[director.email]]
    assert result.history.latest().history_user == coordinator


def test_a_replayed_submit_is_refused(profile, coordinator):
    assessment = make_assessment(profile, ratings=2)
    services.assessment_submit(
        assessment=assessment, actor=coordinator, expected_version=assessment.version
    )
    with pytest.raises(WorkflowError, match="submitted"):
        services.assessment_submit(
            assessment=assessment, actor=coordinator, expected_version=assessment.version
        )


def test_recall_before_the_review_started(profile, coordinator):
    assessment = submitted(profile)
    recalled = services.assessment_recall(
        assessment=assessment, actor=coordinator, expected_version=assessment.version
    )
    assert recalled.state == Assessment.State.DRAFT and recalled.submitted_at is None


def test_no_recall_once_the_director_started_the_review(profile, coordinator, director):
    assessment = review(submitted(profile), director)
    assert assessment.review_started_at is not None
    with pytest.raises(WorkflowError, match="started the review"):
        services.assessment_recall(
            assessment=assessment, actor=coordinator, expected_version=assessment.version
        )
    assert reload(assessment).state == Assessment.State.SUBMITTED


def test_only_the_coordinator_recalls(profile, director):
    assessment = submitted(profile)
    with pytest.raises(PermissionDenied):
        services.assessment_recall(
            assessment=assessment, actor=director, expected_version=assessment.version
        )


# The director's review -----------------------------------------------------------------


def test_save_review_records_levels_notes_and_starts_the_review(profile, director):
    assessment = submitted(profile)
    saved = review(assessment, director, level=3, coaching_notes=" Talked. ", next_steps="Meet.")
    assert saved.review_started_at is not None
    assert (saved.coaching_notes, saved.next_steps) == ("Talked.", "Meet.")
    assert set(
        CategoryScore.objects.filter(assessment=assessment).values_list(
            "supervisor_level", flat=True
        )
    ) == {3}
    assert Rating.objects.filter(assessment=assessment, self_level=2, supervisor_level=3).exists()


def test_an_org_admin_may_review(profile, admin_user):
    assert review(submitted(profile), admin_user).review_started_at


@pytest.mark.parametrize("who", ["coordinator", "teammate", "other_director"])
def test_others_may_not_review(request, profile, who):
    actor = request.getfixturevalue(who)
    actor = getattr(actor, "user", actor)
    with pytest.raises(PermissionDenied):
        review(submitted(profile), actor)


def test_a_director_does_not_review_their_own_assessment(team, director):
    own = ProfileFactory(team=team, user=director)
    with pytest.raises(PermissionDenied):
        review(submitted(own), director)


def test_a_draft_cannot_be_reviewed(profile, director):
    with pytest.raises(WorkflowError, match="draft"):
        review(make_assessment(profile), director)


def test_return_needs_a_note(profile, director):
    assessment = submitted(profile)
    with pytest.raises(WorkflowError, match="note"):
        services.assessment_return(
            assessment=assessment, actor=director, expected_version=assessment.version, note="  "
        )
    assert reload(assessment).state == Assessment.State.SUBMITTED


def test_return_sends_it_back_editable_and_emails_the_coordinator(
    profile, coordinator, director, django_capture_on_commit_callbacks
):
    assessment = submitted(profile)
    with django_capture_on_commit_callbacks(execute=True):
        returned = services.assessment_return(
            assessment=assessment,
            actor=director,
            expected_version=assessment.version,
            note="Add evidence for the site.",
        )
    assert returned.state == Assessment.State.RETURNED
    assert returned.return_note == "Add evidence for the site."
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    again = save_self(returned, coordinator, all_levels(returned, level=3))
    resubmitted = services.assessment_submit(
        assessment=again, actor=coordinator, expected_version=again.version
    )
    assert resubmitted.state == Assessment.State.SUBMITTED
    assert resubmitted.review_started_at is None


def test_finalize_needs_every_supervisor_level(profile, director):
    assessment = submitted(profile)
    indicators = indicators_of(assessment)
    saved = services.assessment_save_review(
        assessment=assessment,
        actor=director,
        expected_version=assessment.version,
        ratings={indicators[0].pk: RatingInput(2, "")},
        coaching_notes="",
        next_steps="",
    )
    with pytest.raises(IncompleteAssessmentError) as refused:
        services.assessment_finalize(
            assessment=saved, actor=director, expected_version=saved.version
        )
    assert refused.value.missing == indicators[1:]
    assert reload(assessment).state == Assessment.State.SUBMITTED


def test_finalize_then_nothing_changes_again(
    profile, coordinator, director, django_capture_on_commit_callbacks
):
    reviewed = review(submitted(profile), director)
    with django_capture_on_commit_callbacks(execute=True):
        final = services.assessment_finalize(
            assessment=reviewed, actor=director, expected_version=reviewed.version
        )
    assert final.state == Assessment.State.FINALIZED
    assert final.finalized_by == director and final.finalized_at
    assert [m.to for m in mail.outbox] == [[coordinator.email]]

    with pytest.raises(WorkflowError, match="finalized"):
        services.assessment_finalize(
            assessment=final, actor=director, expected_version=final.version
        )
    with pytest.raises(WorkflowError, match="finalized"):
        review(final, director)
    with pytest.raises(WorkflowError, match="finalized"):
        save_self(final, coordinator)
    with pytest.raises(WorkflowError, match="finalized"):
        services.assessment_return(
            assessment=final, actor=director, expected_version=final.version, note="x"
        )


def test_stale_review_save_is_refused(profile, director, admin_user):
    assessment = submitted(profile)
    review(reload(assessment), admin_user, level=3)
    with pytest.raises(StaleAssessmentError):
        review(assessment, director, level=1)
    assert not Rating.objects.filter(assessment=assessment, supervisor_level=1).exists()


# Cycles ----------------------------------------------------------------------------------


def planned_cycle(org, **kwargs):
    return CycleFactory(organization=org, state=AssessmentCycle.State.PLANNED, **kwargs)


def test_cycle_open_makes_a_pinned_draft_for_every_active_coordinator(
    org, profile, teammate, other_team, admin_user, django_capture_on_commit_callbacks
):
    away = ProfileFactory(team=other_team, active=False)
    gone = ProfileFactory(team=other_team)
    gone.user.is_active = False
    gone.user.save()
    school = SchoolFactory(organization=org)
    profile.schools.add(school)
    cycle = planned_cycle(org)

    with django_capture_on_commit_callbacks(execute=True):
        created = services.cycle_open(cycle=cycle, actor=admin_user)

    assert created == 2
    cycle.refresh_from_db()
    assert cycle.state == AssessmentCycle.State.OPEN and cycle.opened_at
    made = {a.coordinator_id: a for a in Assessment.objects.filter(cycle=cycle)}
    assert set(made) == {profile.pk, teammate.pk}
    assessment = made[profile.pk]
    assert assessment.state == Assessment.State.DRAFT
    assert assessment.rubric_version == RubricVersion.objects.get(
        rubric__role_family=profile.role_family, state="published"
    )
    assert assessment.team == profile.team
    assert set(assessment.schools.all()) == set(profile.schools.all())
    assert assessment.ratings.count() == len(indicators_of(assessment))
    assert assessment.category_scores.count() == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted([profile.user.email, teammate.user.email])
    assert away.pk not in made and gone.pk not in made


def test_cycle_open_is_refused_when_a_family_with_people_has_no_published_rubric(
    org, profile, admin_user
):
    RubricVersion.objects.filter(rubric__role_family=profile.role_family).update(state="retired")
    cycle = planned_cycle(org)
    with pytest.raises(WorkflowError, match=profile.role_family.name):
        services.cycle_open(cycle=cycle, actor=admin_user)
    cycle.refresh_from_db()
    assert cycle.state == AssessmentCycle.State.PLANNED
    assert not Assessment.objects.filter(cycle=cycle).exists()


def test_only_one_cycle_open_at_a_time(org, profile, admin_user):
    CycleFactory(organization=org, name="Spring", state=AssessmentCycle.State.OPEN)
    with pytest.raises(WorkflowError, match="Spring"):
        services.cycle_open(cycle=planned_cycle(org), actor=admin_user)


def test_a_cycle_opens_once(org, profile, admin_user):
    cycle = planned_cycle(org)
    services.cycle_open(cycle=cycle, actor=admin_user)
    with pytest.raises(WorkflowError, match="already open"):
        services.cycle_open(cycle=cycle, actor=admin_user)
    assert Assessment.objects.filter(cycle=cycle).count() == 1


def test_cycle_close(org, admin_user):
    cycle = CycleFactory(organization=org)
    services.cycle_close(cycle=cycle, actor=admin_user)
    cycle.refresh_from_db()
    assert cycle.state == AssessmentCycle.State.CLOSED
    with pytest.raises(WorkflowError):
        services.cycle_close(cycle=cycle, actor=admin_user)


def test_a_coordinator_added_later_starts_their_assessment(org, team, admin_user):
    cycle = planned_cycle(org)
    services.cycle_open(cycle=cycle, actor=admin_user)
    late = ProfileFactory(team=team)
    cycle.refresh_from_db()

    first = services.assessment_start(cycle=cycle, profile=late, actor=late.user)
    again = services.assessment_start(cycle=cycle, profile=late, actor=late.user)

    assert first == again and first.state == Assessment.State.DRAFT
    assert first.ratings.count() == len(indicators_of(first))


def test_nobody_starts_an_assessment_for_someone_else(org, profile, teammate):
    cycle = CycleFactory(organization=org)
    with pytest.raises(PermissionDenied):
        services.assessment_start(cycle=cycle, profile=profile, actor=teammate.user)


def test_no_start_in_a_closed_cycle(org, profile, coordinator):
    cycle = CycleFactory(organization=org, state=AssessmentCycle.State.CLOSED)
    with pytest.raises(WorkflowError, match="closed"):
        services.assessment_start(cycle=cycle, profile=profile, actor=coordinator)


def test_an_admin_of_another_organization_may_not_review(profile, other_admin):
    with pytest.raises(PermissionDenied):
        review(submitted(profile), other_admin)


@pytest.mark.postgres_only
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two simultaneous transactions need PostgreSQL (run by .ci/run's second pass)",
)
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_one_wins_the_other_is_told(profile, coordinator):
    assessment = make_assessment(profile)
    start = threading.Barrier(2)
    outcomes = []

    def save(level):
        try:
            mine = reload(assessment)  # both read version 1
            start.wait()
            save_self(mine, coordinator, all_levels(mine, level=level))
            outcomes.append("saved")
        except StaleAssessmentError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(level,)) for level in (1, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["refused", "saved"]
    levels = set(Rating.objects.filter(assessment=assessment).values_list("self_level", flat=True))
    assert len(levels) == 1  # one save entirely, never a mix of the two
    assert reload(assessment).version == 2


def test_a_save_writes_each_rating_its_own_level_and_words(profile, coordinator):
    """The one-statement write: cleared levels, quotes, and words in any script, each on its
    own rating, and the ratings the save leaves out untouched."""
    assessment = make_assessment(profile, ratings=2)
    first, second, third, *_rest = indicators_of(assessment)
    untouched = Rating.objects.get(assessment=assessment, indicator=third)
    texts = {first.pk: 'Said "it\'s fine"; -- nothing else', second.pk: "Familias · 家庭 ✓"}
    save_self(
        assessment,
        coordinator,
        {first.pk: RatingInput(None, texts[first.pk]), second.pk: RatingInput(3, texts[second.pk])},
    )
    written = {r.indicator_id: r for r in Rating.objects.filter(assessment=assessment)}
    assert (written[first.pk].self_level, written[first.pk].self_evidence) == (
        None,
        texts[first.pk],
    )
    assert (written[second.pk].self_level, written[second.pk].self_evidence) == (
        3,
        texts[second.pk],
    )
    assert (written[third.pk].self_level, written[third.pk].self_evidence) == (
        untouched.self_level,
        untouched.self_evidence,
    )


def test_each_history_row_keeps_the_school_sites_the_assessment_had(profile):
    """The copy of an assessment's school sites with each history row (one INSERT … SELECT,
    assessments/models.py HistoryWithLinks): a later change of sites leaves the earlier rows
    as they were."""
    two = [SchoolFactory(organization=profile.organization) for _ in range(2)]
    assessment = make_assessment(profile, ratings=2)
    assessment.schools.set(two)
    moved = services.assessment_submit(
        assessment=assessment, actor=profile.user, expected_version=assessment.version
    )
    assessment.schools.set(two[:1])
    services.assessment_recall(assessment=moved, actor=profile.user, expected_version=moved.version)

    def sites(record):
        return sorted(record.schools.values_list("school_id", flat=True))

    rows = list(Assessment.history.filter(id=assessment.pk).order_by("history_id"))
    submit_row = next(row for row in rows if row.state == "submitted")
    recall_row = rows[-1]
    assert recall_row.state == "draft" and recall_row.history_user == profile.user
    assert sites(submit_row) == sorted(s.pk for s in two)
    assert sites(recall_row) == [two[0].pk]
