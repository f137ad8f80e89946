"""Who may work on an assessment: the rules the views and the services both ask."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from assessments.access import (
    assessments_visible_to,
    can_edit_self,
    can_review,
    can_see_supervisor_side,
    check_can_review,
    get_assessment_for_user,
    get_cycle_for_user,
)
from assessments.models import Assessment
from coordinators.access import profiles_visible_to
from tests.assessments.workflow_helpers import make_assessment
from tests.factories import CycleFactory, ProfileFactory, UserFactory, request_by

pytestmark = pytest.mark.django_db


def test_only_the_coordinator_edits_their_self_assessment(
    profile, coordinator, teammate, director, admin_user
):
    assessment = make_assessment(profile)
    assert can_edit_self(coordinator, assessment)
    for someone_else in (teammate.user, director, admin_user):
        assert not can_edit_self(someone_else, assessment)


def test_their_director_and_an_admin_review_never_the_coordinator(
    profile, coordinator, teammate, director, other_director, admin_user, other_admin
):
    assessment = make_assessment(profile)
    assert can_review(director, assessment)
    assert can_review(admin_user, assessment)
    for refused in (coordinator, teammate.user, other_director, other_admin):
        assert not can_review(refused, assessment)
        with pytest.raises(PermissionDenied):
            check_can_review(refused, assessment)


def test_an_admin_who_is_also_the_coordinator_does_not_review_themself(org, team):
    user = UserFactory(organization=org, roles=["admin", "coordinator"])
    assessment = make_assessment(ProfileFactory(team=team, user=user))
    assert can_edit_self(user, assessment)
    assert not can_review(user, assessment)


def test_the_coordinator_sees_the_supervisor_side_once_finalized(profile, coordinator, director):
    submitted = make_assessment(profile, ratings=2, state="submitted")
    assert not can_see_supervisor_side(coordinator, submitted)
    assert can_see_supervisor_side(director, submitted)
    submitted.state = "finalized"
    assert can_see_supervisor_side(coordinator, submitted)


def test_getters_are_404_outside_the_organization_or_team(
    profile, director, other_director, other_admin
):
    assessment = make_assessment(profile)
    assert get_assessment_for_user(request_by(director), assessment.pk) == assessment
    for outsider in (other_director, other_admin):
        with pytest.raises(Http404):
            get_assessment_for_user(request_by(outsider), assessment.pk)
    with pytest.raises(Http404):
        get_cycle_for_user(request_by(other_admin), assessment.cycle_id)
    with pytest.raises(Http404):
        get_assessment_for_user(request_by(director), "not a number")


def test_a_cycle_of_the_organization_is_reached(org, admin_user):
    cycle = CycleFactory(organization=org)
    assert get_cycle_for_user(request_by(admin_user), cycle.pk) == cycle


def test_the_assessments_in_reach_are_those_of_the_profiles_in_reach(
    org, team, profile, teammate, other_team, other_director, other_admin, admin_user
):
    """assessments_visible_to joins the profile instead of asking for profiles_visible_to in
    a subquery: for every kind of person, the two agree."""
    elsewhere = ProfileFactory(team=other_team)
    both = ProfileFactory(team=team)  # a coordinator who also directs another team
    both.user.memberships.create(role="director")
    other_team.director = both.user
    other_team.save()
    for person in (profile, teammate, elsewhere, both):
        make_assessment(person)
    nobody = UserFactory(organization=org, roles=[])
    people = [
        profile.user,
        teammate.user,
        both.user,
        team.director,
        other_director,
        admin_user,
        other_admin,
        nobody,
    ]
    for user in people:
        user = type(user).objects.get(pk=user.pk)  # roles read afresh
        expected = set(
            Assessment.objects.filter(coordinator__in=profiles_visible_to(user)).values_list(
                "pk", flat=True
            )
        )
        assert set(assessments_visible_to(user).values_list("pk", flat=True)) == expected, user
    assert len(set(assessments_visible_to(admin_user).values_list("pk", flat=True))) >= 3
