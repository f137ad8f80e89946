"""Recording that a person left the organization: the day and the reason on their page,
deactivating (today, "not recorded", unless a day was given), reactivating, and the
migration that gave the people already inactive the day their history knows."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from coordinators.models import CoordinatorProfile, LeavingReason
from tests.coordinators.views.test_manage_people import edit_url, post_of


def test_the_person_form_records_the_day_and_reason_they_left(client_for, admin_user, profile):
    response = client_for(admin_user).post(
        edit_url(profile.user),
        post_of(profile, left_on="2026-06-30", leaving_reason=LeavingReason.RETIRED),
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.left_on, profile.leaving_reason) == (date(2026, 6, 30), "retired")
    assert not profile.active  # off the dashboards and new cycles


def test_the_person_page_says_when_they_left_and_why(client_for, admin_user, profile):
    CoordinatorProfile.objects.filter(pk=profile.pk).update(
        active=False, left_on=date(2026, 6, 30), leaving_reason=LeavingReason.RESIGNED
    )
    page = client_for(admin_user).get(edit_url(profile.user)).content.decode()
    assert "Left the organization on" in page
    assert 'value="2026-06-30"' in page
    assert '<option value="resigned" selected>' in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"left_on": "2026-06-30"}, "leaving_reason", "Choose why they left"),
        ({"leaving_reason": "resigned"}, "left_on", "Give the day they left"),
        ({"left_on": "2001-01-01", "leaving_reason": "other"}, "left_on", "before their first day"),
        ({"left_on": "3026-01-01", "leaving_reason": "other"}, "left_on", "within the next year"),
        ({"left_on": "yesterday", "leaving_reason": "other"}, "left_on", "Enter a valid date"),
        ({"left_on": "2026-06-30", "leaving_reason": "fired"}, "leaving_reason", "valid choice"),
    ],
)
def test_a_day_needs_a_reason_and_a_reason_a_day(
    client_for, admin_user, profile, changes, field, message
):
    response = client_for(admin_user).post(edit_url(profile.user), post_of(profile, **changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    profile.refresh_from_db()
    assert (profile.left_on, profile.leaving_reason, profile.active) == (None, "", True)


def test_not_recorded_needs_no_day(client_for, admin_user, profile):
    client_for(admin_user).post(
        edit_url(profile.user), post_of(profile, leaving_reason=LeavingReason.NOT_RECORDED)
    )
    profile.refresh_from_db()
    assert (profile.left_on, profile.leaving_reason, profile.active) == (
        None,
        "not_recorded",
        False,
    )


def test_clearing_the_day_brings_them_back(client_for, admin_user, profile):
    CoordinatorProfile.objects.filter(pk=profile.pk).update(
        active=False, left_on=date(2026, 6, 30), leaving_reason=LeavingReason.RESIGNED
    )
    profile.refresh_from_db()
    client_for(admin_user).post(
        edit_url(profile.user), post_of(profile, left_on="", leaving_reason="")
    )
    profile.refresh_from_db()
    assert (profile.left_on, profile.leaving_reason, profile.active) == (None, "", True)


def test_deactivating_records_today_unless_a_day_was_given(
    client_for, admin_user, profile, teammate
):
    client = client_for(admin_user)
    client.post(reverse("coordinators:person-deactivate", args=[profile.user_id]))
    profile.refresh_from_db()
    assert (profile.left_on, profile.leaving_reason) == (timezone.localdate(), "not_recorded")

    CoordinatorProfile.objects.filter(pk=teammate.pk).update(
        left_on=date(2026, 5, 1), leaving_reason=LeavingReason.OTHER_ROLE
    )
    client.post(reverse("coordinators:person-deactivate", args=[teammate.user_id]))
    teammate.refresh_from_db()
    assert (teammate.left_on, teammate.leaving_reason, teammate.active) == (
        date(2026, 5, 1),
        "other_role",
        False,
    )

    client.post(reverse("coordinators:person-reactivate", args=[profile.user_id]))
    profile.refresh_from_db()
    assert (profile.left_on, profile.leaving_reason, profile.active) == (None, "", True)


# The migration -----------------------------------------------------------------------------

BEFORE = [("coordinators", "0007_organization_school_year_start")]
AFTER = [("coordinators", "0008_profile_records_leaving")]
T0 = datetime(2024, 3, 5, 9, tzinfo=UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)  # SQLite changes its schema only outside a transaction
def test_people_already_inactive_left_on_the_day_their_history_shows():
    apps = migrate(BEFORE)
    model = apps.get_model
    org = model("coordinators", "Organization").objects.create(name="Old", slug="old")
    family = model("coordinators", "RoleFamily").objects.create(organization=org, name="CSC")
    user = model("coordinators", "User")
    profile = model("coordinators", "CoordinatorProfile")
    people = {
        name: profile.objects.create(
            user=user.objects.create(email=f"{name}@old.org", organization=org),
            organization=org,
            role_family=family,
            role_start_date=date(2020, 8, 1),
            active=name == "here",
        )
        for name in ("here", "left", "back_and_left", "unknown")
    }
    history = model("coordinators", "HistoricalCoordinatorProfile")
    for name, runs in {
        "left": [True, False, False],
        "back_and_left": [True, False, True, False],
    }.items():
        person = people[name]
        for hours, active in enumerate(runs):
            history.objects.create(
                id=person.pk,
                user_id=person.user_id,
                role_family_id=family.pk,
                role_start_date=person.role_start_date,
                active=active,
                history_date=T0 + timedelta(days=hours),
                history_type="~" if hours else "+",
            )

    migrate(AFTER)
    after = migrate(latest()).get_model("coordinators", "CoordinatorProfile")
    found = {
        name: after.objects.values_list("left_on", "leaving_reason").get(pk=person.pk)
        for name, person in people.items()
    }
    assert found == {
        "here": (None, ""),
        "left": (date(2024, 3, 6), "not_recorded"),
        "back_and_left": (date(2024, 3, 8), "not_recorded"),
        "unknown": (None, "not_recorded"),
    }
    migrate(BEFORE)
    migrate(latest())
