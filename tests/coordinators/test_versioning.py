"""The version every edit form carries: the conditional claim, the transitions that take the
next version without a form, and what a person sees when their form is out of date."""

from datetime import date

import pytest
from django.urls import reverse

from coordinators.form_helpers import OUT_OF_DATE, shown_value
from coordinators.models import School
from coordinators.versioning import StaleEdit, version_claim, versioned_save
from growth.forms import GoalForm
from growth.models import Goal
from tests.factories import SchoolFactory


def test_a_claim_takes_the_next_version_only_from_the_version_read(org):
    school = SchoolFactory(organization=org)
    version_claim(school, expected=1)
    assert school.version == 2
    assert School.objects.get(pk=school.pk).version == 2
    with pytest.raises(StaleEdit) as stale:
        version_claim(school, expected=1)
    assert stale.value.current.version == 2
    assert School.objects.get(pk=school.pk).version == 2


def test_a_row_deleted_meanwhile_is_stale_with_nothing_current(org):
    school = SchoolFactory(organization=org)
    School.objects.filter(pk=school.pk).delete()
    with pytest.raises(StaleEdit) as stale:
        version_claim(school, expected=1)
    assert stale.value.current is None


def test_a_transition_takes_the_next_version_whatever_it_is(profile, director):
    goal = Goal.objects.create(
        coordinator=profile, category_key="site", target_level=2, target_date=date(2030, 1, 1)
    )
    Goal.objects.filter(pk=goal.pk).update(version=7)
    goal.status = "met"
    versioned_save(goal, fields=["status"])
    saved = Goal.objects.get(pk=goal.pk)
    assert (saved.status, saved.version, saved.history.latest().version) == ("met", 8, 8)


@pytest.mark.parametrize("version", [None, "", "²", "0", "9" * 30])
def test_a_form_without_a_usable_version_says_to_reload(client_for, admin_user, org, version):
    school = SchoolFactory(organization=org, name="Harbor")
    data = {"name": "Harbor Middle", "level": "middle", "setting": "urban"}
    if version is not None:
        data["version"] = version
    response = client_for(admin_user).post(
        reverse("coordinators:school-update", args=[school.pk]), data
    )
    assert response.status_code == 200
    assert OUT_OF_DATE in response.content.decode()
    assert 'value="Harbor Middle"' in response.content.decode()
    assert School.objects.get(pk=school.pk).name == "Harbor"


def test_saved_values_are_shown_as_a_person_reads_them(profile):
    goal = Goal(
        coordinator=profile,
        category_key="organization",
        target_level=3,
        target_date=date(2030, 3, 9),
        notes="",
    )
    form = GoalForm(instance=goal, profile=profile)
    assert shown_value(form["category_key"]) == "Organizational supports"
    assert shown_value(form["target_date"]) == "9 Mar 2030"
    assert shown_value(form["notes"]) == "(empty)"
    assert shown_value(form["indicator"]) == "The whole category"
    assert shown_value(form["target_level"]).endswith("(3)")
