"""Who may see and change a coordinator's growth plan."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from growth.access import (
    can_edit_growth,
    get_catalogue_entry_for_user,
    get_growth_profile_for_user,
    is_mentor_of,
)
from growth.models import SupportCatalogEntry
from tests.factories import ProfileFactory, mentoring_match, request_by

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentor(profile, director, other_team):
    user = ProfileFactory(team=other_team).user
    mentoring_match(mentee=profile, mentor=user)
    return user


def test_the_coordinator_their_director_and_an_admin_edit_the_plan(
    profile, coordinator, director, admin_user, teammate, other_director, mentor
):
    for editor in (coordinator, director, admin_user):
        assert can_edit_growth(editor, profile)
    for refused in (teammate.user, other_director, mentor):
        assert not can_edit_growth(refused, profile)


def test_a_mentor_sees_the_plan_but_may_not_change_it(profile, mentor, teammate):
    assert is_mentor_of(mentor, profile)
    assert not is_mentor_of(teammate.user, profile)
    assert get_growth_profile_for_user(request_by(mentor), profile.pk) == profile
    with pytest.raises(PermissionDenied):
        get_growth_profile_for_user(request_by(mentor), profile.pk, edit=True)
    with pytest.raises(Http404):
        get_growth_profile_for_user(request_by(teammate.user), profile.pk)


def test_the_catalogue_is_managed_by_the_admin_and_read_by_directors(
    org, admin_user, director, other_admin
):
    entry = SupportCatalogEntry.objects.create(
        organization=org, category_key="site", level=1, kind="pd", title="Site walk"
    )
    assert get_catalogue_entry_for_user(request_by(director), entry.pk) == entry
    assert get_catalogue_entry_for_user(request_by(admin_user), entry.pk, manage=True) == entry
    with pytest.raises(PermissionDenied):
        get_catalogue_entry_for_user(request_by(director), entry.pk, manage=True)
    with pytest.raises(Http404):
        get_catalogue_entry_for_user(request_by(other_admin), entry.pk, manage=True)
