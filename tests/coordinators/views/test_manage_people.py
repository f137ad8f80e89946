"""The org admin's people: list with search and filters, add (with the set-password email),
edit, deactivate and reactivate."""

from datetime import date

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from coordinators.models import CoordinatorProfile, Membership, Role, RoleFamily, Team, User
from tests.factories import ProfileFactory, SchoolFactory, TeamFactory, UserFactory

LIST = reverse("coordinators:person-list")
CREATE = reverse("coordinators:person-create")


def edit_url(user):
    return reverse("coordinators:person-update", args=[user.pk])


def family_of(org):
    return RoleFamily.objects.filter(organization=org).order_by("pk").first()


def person_post(org, **changes):
    """A new coordinator on the org's first team and school."""
    team = Team.objects.filter(organization=org).order_by("pk").first()
    data = {
        "email": "maria.lopez@example.org",
        "first_name": "Maria",
        "last_name": "Lopez",
        "roles": ["coordinator"],
        "role_family": str(family_of(org).pk),
        "team": str(team.pk) if team else "",
        "schools": [],
        "role_start_date": "2024-08-15",
        "job_title": "Community School Coordinator",
    }
    return data | changes


def post_of(profile, **changes):
    """The edit form of an existing coordinator, unchanged."""
    user = profile.user
    user.refresh_from_db(fields=["version"])
    data = {
        "version": str(user.version),
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role_family": str(profile.role_family_id),
        "team": str(profile.team_id or ""),
        "schools": [str(s.pk) for s in profile.schools.all()],
        "role_start_date": profile.role_start_date.isoformat(),
        "job_title": profile.job_title,
    }
    return data | changes


def role_url(action, user):
    return reverse(f"coordinators:person-role-{action}", args=[user.pk])


def roles_of(user):
    return set(user.memberships.values_list("role", flat=True))


def emails_of(response):
    return [row.person.email for row in response.context["rows"]]


# The list ---------------------------------------------------------------------------------


def test_admin_lists_the_people_of_their_organization(client_for, admin_user, profile, other_admin):
    response = client_for(admin_user).get(LIST)
    assert response.status_code == 200
    assert set(emails_of(response)) == {
        "admin@example.org",
        "coordinator@example.org",
        profile.team.director.email,
    }
    html = response.content.decode()
    assert "other-admin@example.org" not in html
    assert profile.team.name in html
    assert reverse("dashboards:coordinator-detail", args=[profile.pk]) in html


def test_search_and_filters(client_for, admin_user, org, team, other_team, profile):
    family = RoleFamily.objects.create(organization=org, name="Instructional coach")
    coach = ProfileFactory(
        team=other_team, role_family=family, user__email="coach@example.org", user__last_name="Zed"
    )
    UserFactory(organization=org, email="gone@example.org", is_active=False, roles=["director"])
    client = client_for(admin_user)
    assert emails_of(client.get(LIST, {"q": "COACH@"})) == ["coach@example.org"]
    assert emails_of(client.get(LIST, {"q": "zed"})) == ["coach@example.org"]
    assert set(emails_of(client.get(LIST, {"role": "coordinator"}))) == {
        "coordinator@example.org",
        "coach@example.org",
    }
    assert emails_of(client.get(LIST, {"team": str(team.pk)})) == ["coordinator@example.org"]
    assert emails_of(client.get(LIST, {"family": str(family.pk)})) == ["coach@example.org"]
    assert emails_of(client.get(LIST, {"active": "no"})) == ["gone@example.org"]
    assert "gone@example.org" not in emails_of(client.get(LIST))
    assert len(emails_of(client.get(LIST, {"active": "all"}))) == 6
    coach.team = None
    coach.save()
    assert emails_of(client.get(LIST, {"team": "none"})) == ["coach@example.org"]


def test_a_team_of_another_organization_in_the_filter_is_left_out(
    client_for, admin_user, profile, other_org
):
    far = TeamFactory(organization=other_org)
    response = client_for(admin_user).get(LIST, {"team": str(far.pk), "q": "\x00"})
    assert response.status_code == 200
    assert len(emails_of(response)) == 3
    assert response.content.decode().count("This filter was left out.") == 2


def test_the_list_is_paginated(client_for, admin_user, org):
    UserFactory.create_batch(55, organization=org, roles=["director"])
    client = client_for(admin_user)
    assert len(emails_of(client.get(LIST))) == 50
    assert len(emails_of(client.get(LIST, {"page": "2"}))) == 6
    assert len(emails_of(client.get(LIST, {"page": "99"}))) == 6


def test_nobody_matching_says_how_to_see_everyone(client_for, admin_user):
    html = client_for(admin_user).get(LIST, {"q": "nobody-here"}).content.decode()
    assert "Nobody matches these filters" in html


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_has_a_fixed_number_of_queries(
    client_for, admin_user, org, count, django_assert_num_queries
):
    teams = TeamFactory.create_batch(2, organization=org)
    for n in range(count):
        ProfileFactory(team=teams[n % 2], schools=[SchoolFactory(organization=org)])
    client = client_for(admin_user)
    client.get(LIST)
    # Session, user with the organization (navigation) and roles, families (filters; the team
    # filter is a picker that lists no team), count, the page of people with profile, team and
    # family, then their roles, school sites and directed teams.
    with django_assert_num_queries(8):
        response = client.get(LIST, {"role": "coordinator"})
    assert len(response.context["rows"]) == count


# Adding -----------------------------------------------------------------------------------


def test_admin_adds_a_coordinator_who_gets_the_set_password_email(
    client_for, admin_user, org, team, django_capture_on_commit_callbacks
):
    school = SchoolFactory(organization=org, name="Lincoln Elementary")
    client = client_for(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CREATE, person_post(org, email=" Maria.Lopez@Example.org ", schools=[str(school.pk)])
        )
    assert response.status_code == 302
    user = User.objects.get(email="maria.lopez@example.org")
    assert (user.organization, user.first_name, user.last_name) == (org, "Maria", "Lopez")
    assert not user.has_usable_password()
    assert set(user.memberships.values_list("role", flat=True)) == {"coordinator"}
    profile = user.profile
    assert (profile.organization, profile.team, profile.role_family) == (org, team, family_of(org))
    assert profile.role_start_date == date(2024, 8, 15)
    assert list(profile.schools.all()) == [school]
    assert profile.history.get().history_user == admin_user
    [message] = mail.outbox
    assert message.to == ["maria.lopez@example.org"]
    assert "set your password" in message.subject
    assert "/reset/" in message.body
    assert admin_user.display_name in message.body


def test_admin_adds_a_director_without_a_profile(client_for, admin_user, org):
    response = client_for(admin_user).post(
        CREATE,
        person_post(org, roles=["director", "admin"], team="", role_start_date="", job_title=""),
    )
    assert response.status_code == 302
    user = User.objects.get(email="maria.lopez@example.org")
    assert set(user.memberships.values_list("role", flat=True)) == {"director", "admin"}
    assert not CoordinatorProfile.objects.filter(user=user).exists()


def test_profile_fields_need_the_coordinator_role(client_for, admin_user, org, team):
    response = client_for(admin_user).post(CREATE, person_post(org, roles=["director"]))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "tick the Coordinator role" in errors["team"][0]
    assert not User.objects.filter(email="maria.lopez@example.org").exists()


def test_a_coordinator_needs_a_family_and_start_date(client_for, admin_user, org):
    response = client_for(admin_user).post(
        CREATE, person_post(org, role_family="", role_start_date="")
    )
    errors = response.context["form"].errors
    assert errors["role_family"] == ["A coordinator needs a role family."]
    assert errors["role_start_date"] == ["A coordinator needs the first day in their role."]


def test_a_form_error_keeps_what_was_typed(client_for, admin_user, org, team):
    response = client_for(admin_user).post(
        CREATE, person_post(org, email="not an address", roles=["coordinator", "director"])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="not an address"' in html
    assert 'value="Maria"' in html
    assert 'value="2024-08-15"' in html
    assert 'value="director"  id="id_roles_1" checked' in html
    # The team picker shows the chosen team by name, its id kept for the script.
    assert f'name="team" value="{team.name}"' in html
    assert f'data-picker-chosen="{team.pk}"' in html


def test_an_email_of_the_organization_names_who_has_it(client_for, admin_user, profile, org):
    response = client_for(admin_user).post(
        CREATE, person_post(org, email="COORDINATOR@example.org")
    )
    assert response.context["form"].errors["email"] == [
        f"{profile.user.display_name} in your organization already has this email address."
    ]


def test_an_email_of_another_organization_does_not_tell_which(
    client_for, admin_user, org, other_admin
):
    response = client_for(admin_user).post(CREATE, person_post(org, email=other_admin.email))
    [error] = response.context["form"].errors["email"]
    assert error == "This email address cannot be used here. Use another address for this person."
    html = response.content.decode()
    assert "Elsewhere" not in html
    assert other_admin.display_name not in html
    assert User.objects.filter(email=other_admin.email).count() == 1


@pytest.mark.parametrize("field", ["role_family", "team", "schools"])
def test_choices_of_another_organization_are_form_errors(
    client_for, admin_user, org, team, other_org, field
):
    far_team = TeamFactory(organization=other_org)
    foreign = {
        "role_family": str(family_of(other_org).pk),
        "team": str(far_team.pk),
        "schools": [str(SchoolFactory(organization=other_org).pk)],
    }
    response = client_for(admin_user).post(CREATE, person_post(org, **{field: foreign[field]}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not User.objects.filter(email="maria.lopez@example.org").exists()


@pytest.mark.parametrize("value", ["9" * 30, "-1", "²", "x"])
def test_impossible_ids_are_form_errors(client_for, admin_user, org, team, value):
    client = client_for(admin_user)
    for field in ("role_family", "team", "schools"):
        response = client.post(CREATE, person_post(org, **{field: value}))
        assert response.status_code == 200, field
        assert field in response.context["form"].errors


def test_deactivated_schools_are_not_offered_to_new_people(client_for, admin_user, org):
    open_school = SchoolFactory(organization=org, name="Open")
    closed = SchoolFactory(organization=org, name="Closed", active=False)
    form = client_for(admin_user).get(CREATE).context["form"]
    assert list(form.fields["schools"].queryset) == [open_school]
    assert closed.name not in [c[1] for c in form.fields["schools"].choices]


# Editing ----------------------------------------------------------------------------------


def test_admin_edits_a_coordinator(client_for, admin_user, org, profile, other_team):
    school = SchoolFactory(organization=org, name="Harbor")
    client = client_for(admin_user)
    assert 'value="coordinator@example.org"' in client.get(edit_url(profile.user)).content.decode()
    response = client.post(
        edit_url(profile.user),
        post_of(
            profile,
            email="daniel.new@example.org",
            first_name="Dan",
            team=str(other_team.pk),
            schools=[str(school.pk)],
            job_title="Senior coordinator",
        ),
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    profile.user.refresh_from_db()
    assert (profile.user.email, profile.user.first_name) == ("daniel.new@example.org", "Dan")
    assert (profile.team, profile.job_title) == (other_team, "Senior coordinator")
    assert list(profile.schools.all()) == [school]
    latest = profile.history.latest()
    assert (latest.history_user, latest.team_id) == (admin_user, other_team.pk)


def test_an_unchanged_form_writes_no_history(client_for, admin_user, profile):
    before = profile.history.count()
    response = client_for(admin_user).post(edit_url(profile.user), post_of(profile))
    assert response.status_code == 302
    assert profile.history.count() == before


def test_keeping_ones_own_email_is_not_a_clash(client_for, admin_user, profile):
    response = client_for(admin_user).post(
        edit_url(profile.user), post_of(profile, email="Coordinator@Example.org")
    )
    assert response.status_code == 302


def test_a_deactivated_school_of_the_person_stays_ticked(client_for, admin_user, profile):
    school = profile.schools.get()
    school.active = False
    school.save()
    client = client_for(admin_user)
    form = client.get(edit_url(profile.user)).context["form"]
    assert list(form.fields["schools"].queryset) == [school]
    assert client.post(edit_url(profile.user), post_of(profile)).status_code == 302
    assert list(profile.schools.all()) == [school]


def test_taking_the_coordinator_role_away_keeps_the_profile_inactive(
    client_for, admin_user, profile
):
    client = client_for(admin_user)
    client.post(role_url("add", profile.user), {"role": "director"})
    response = client.post(role_url("remove", profile.user), {"role": "coordinator"}, follow=True)
    assert "no longer holds the Coordinator role" in response.content.decode()
    profile.refresh_from_db()
    assert not profile.active
    assert roles_of(profile.user) == {"director"}
    # The edit form no longer shows the profile, and saving it keeps the profile as it is.
    form = client.get(edit_url(profile.user)).context["form"]
    assert "team" not in form.fields
    # Given back, the same profile is active again.
    client.post(role_url("add", profile.user), {"role": "coordinator"})
    profile.refresh_from_db()
    assert profile.active
    assert CoordinatorProfile.objects.filter(user=profile.user).count() == 1


def test_a_director_becomes_also_a_coordinator(client_for, admin_user, org, director, team):
    client = client_for(admin_user)
    refused = client.post(role_url("add", director), {"role": "coordinator"}, follow=True)
    assert "A coordinator needs a role family" in refused.content.decode()
    assert roles_of(director) == {"director"}
    response = client.post(
        role_url("add", director),
        {
            "role": "coordinator",
            "role_family": str(family_of(org).pk),
            "role_start_date": "2024-08-15",
        },
    )
    assert response.status_code == 302
    assert roles_of(director) == {"director", "coordinator"}
    assert director.profile.role_family == family_of(org)
    assert director.profile.role_start_date == date(2024, 8, 15)
    # Their team and school sites are then set in the form, as for any coordinator.
    data = post_of(director.profile, team=str(team.pk))
    assert client.post(edit_url(director), data).status_code == 302
    assert CoordinatorProfile.objects.get(user=director).team == team


def test_taking_the_director_role_away_leaves_their_team_without_director(
    client_for, admin_user, org, director, team
):
    client = client_for(admin_user)
    client.post(role_url("add", director), {"role": "admin"})
    page = client.get(edit_url(director)).content.decode()
    assert "Their team (East) will have no director." in page
    response = client.post(role_url("remove", director), {"role": "director"}, follow=True)
    assert "Team “East” has no director now" in response.content.decode()
    team.refresh_from_db()
    assert team.director is None
    assert roles_of(director) == {"admin"}


def test_an_admin_keeps_their_own_admin_role(client_for, admin_user, org):
    client = client_for(admin_user)
    client.post(role_url("add", admin_user), {"role": "director"})
    page = client.get(edit_url(admin_user)).content.decode()
    assert "You cannot remove your own Org admin role" in page
    response = client.post(role_url("remove", admin_user), {"role": "admin"}, follow=True)
    assert "cannot remove your own Org admin role" in response.content.decode()
    assert Membership.objects.filter(user=admin_user, role=Role.ADMIN).exists()


def test_everyone_keeps_at_least_one_role(client_for, admin_user, profile):
    client = client_for(admin_user)
    assert "Their only role" in client.get(edit_url(profile.user)).content.decode()
    response = client.post(role_url("remove", profile.user), {"role": "coordinator"}, follow=True)
    assert "only role" in response.content.decode()
    assert roles_of(profile.user) == {"coordinator"}


def test_role_changes_say_what_they_found(client_for, admin_user, profile):
    client = client_for(admin_user)
    added = client.post(role_url("add", profile.user), {"role": "director"}, follow=True)
    assert "now holds the Director role" in added.content.decode()
    again = client.post(role_url("add", profile.user), {"role": "director"}, follow=True)
    assert "already held the Director role" in again.content.decode()
    client.post(role_url("remove", profile.user), {"role": "director"})
    gone = client.post(role_url("remove", profile.user), {"role": "director"}, follow=True)
    assert "did not hold the Director role" in gone.content.decode()
    assert roles_of(profile.user) == {"coordinator"}
    unknown = client.post(role_url("add", profile.user), {"role": "owner"}, follow=True)
    assert "Select a valid choice" in unknown.content.decode()


def test_removing_a_role_asks_first_and_the_form_posts_no_roles(client_for, admin_user, profile):
    client = client_for(admin_user)
    client.post(role_url("add", profile.user), {"role": "director"})
    response = client.get(edit_url(profile.user))
    assert "roles" not in response.context["form"].fields
    html = response.content.decode()
    assert 'data-confirm="Remove the Director role from' in html
    assert role_url("remove", profile.user) in html
    assert role_url("add", profile.user) in html


def test_a_removed_role_never_comes_back_from_a_form_opened_before(
    client_for, admin_user, org, director, team
):
    """One admin takes the Director role away; another, whose form was opened earlier, saves
    a last-name change: it is refused, their typing is kept, and the role stays removed."""
    Membership.objects.create(user=director, role=Role.ADMIN)
    second_admin = UserFactory(organization=org, roles=["admin"])
    first, second = client_for(admin_user), client_for(second_admin)
    opened = second.get(edit_url(director)).context["form"]
    first.post(role_url("remove", director), {"role": "director"})
    stale = {
        "version": opened["version"].value(),
        "email": director.email,
        "first_name": director.first_name,
        "last_name": "Okafor-Reyes",
    }
    response = second.post(edit_url(director), stale)
    assert response.status_code == 409
    html = response.content.decode()
    assert 'value="Okafor-Reyes"' in html
    assert "Someone else saved this after you opened it" in html
    director.refresh_from_db()
    assert director.last_name != "Okafor-Reyes"
    assert roles_of(director) == {"admin"}
    team.refresh_from_db()
    assert team.director is None


def test_moving_someone_to_another_role_family_makes_their_open_form_stale(
    client_for, admin_user, org, profile
):
    family = RoleFamily.objects.create(organization=org, name="Instructional coach")
    client = client_for(admin_user)
    opened, job_title = post_of(profile), profile.job_title
    client.post(
        reverse("rubrics:role-family-assign"),
        {"profiles": [str(profile.pk)], "role_family": str(family.pk)},
    )
    response = client.post(edit_url(profile.user), opened | {"job_title": "Lead"})
    assert response.status_code == 409
    assert "Saved meanwhile: Instructional coach" in response.content.decode()
    profile.refresh_from_db()
    assert (profile.role_family, profile.job_title) == (family, job_title)


def test_editing_an_email_to_one_in_use_is_refused(client_for, admin_user, profile, teammate):
    response = client_for(admin_user).post(
        edit_url(profile.user), post_of(profile, email=teammate.user.email)
    )
    assert response.status_code == 200
    assert "already has this email address" in response.context["form"].errors["email"][0]
    profile.user.refresh_from_db()
    assert profile.user.email == "coordinator@example.org"


# Deactivating -----------------------------------------------------------------------------


def test_deactivating_ends_access_and_keeps_history(client_for, admin_user, director, team):
    profile = ProfileFactory(team=team, user=director)
    Membership.objects.create(user=director, role=Role.COORDINATOR)
    their_session = Client()
    their_session.force_login(director)
    admin_client = client_for(admin_user)
    html = admin_client.get(LIST).content.decode()
    assert "will have no director" in html
    response = admin_client.post(
        reverse("coordinators:person-deactivate", args=[director.pk]), follow=True
    )
    assert "is deactivated" in response.content.decode()
    director.refresh_from_db()
    profile.refresh_from_db()
    team.refresh_from_db()
    assert not director.is_active
    assert not profile.active
    assert team.director is None
    assert profile.history.latest().history_user == admin_user
    # Their open session no longer works.
    assert their_session.get(reverse("pages:my-team"))["Location"].startswith(reverse("login"))

    admin_client.post(reverse("coordinators:person-reactivate", args=[director.pk]))
    director.refresh_from_db()
    profile.refresh_from_db()
    assert director.is_active and profile.active


def test_an_admin_cannot_deactivate_themself(client_for, admin_user):
    response = client_for(admin_user).post(
        reverse("coordinators:person-deactivate", args=[admin_user.pk]), follow=True
    )
    assert "cannot deactivate your own account" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_reactivating_without_the_coordinator_role_keeps_the_profile_inactive(
    client_for, admin_user, profile
):
    client = client_for(admin_user)
    client.post(reverse("coordinators:person-deactivate", args=[profile.user.pk]))
    profile.user.memberships.all().delete()
    Membership.objects.create(user=profile.user, role=Role.DIRECTOR)
    client.post(reverse("coordinators:person-reactivate", args=[profile.user.pk]))
    profile.refresh_from_db()
    assert profile.user.is_active
    assert not profile.active


# Access -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("person-update", "get"),
        ("person-update", "post"),
        ("person-deactivate", "post"),
        ("person-reactivate", "post"),
    ],
)
def test_another_organizations_person_is_not_found(
    client_for, other_admin, profile, org, name, method
):
    client = client_for(other_admin)
    url = reverse(f"coordinators:{name}", args=[profile.user.pk])
    response = getattr(client, method)(url, post_of(profile, first_name="Hacked"))
    assert response.status_code == 404
    profile.user.refresh_from_db()
    assert profile.user.first_name != "Hacked"
    assert profile.user.is_active


@pytest.mark.parametrize("person", ["director", "coordinator"])
@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("person-list", "get"),
        ("person-create", "get"),
        ("person-create", "post"),
        ("person-update", "get"),
        ("person-update", "post"),
        ("person-deactivate", "post"),
        ("person-reactivate", "post"),
    ],
)
def test_other_roles_are_refused(request, client_for, org, teammate, person, name, method):
    args = [] if name in ("person-list", "person-create") else [teammate.user.pk]
    client = client_for(request.getfixturevalue(person))
    before = User.objects.count()
    response = getattr(client, method)(
        reverse(f"coordinators:{name}", args=args), post_of(teammate, first_name="Changed")
    )
    assert response.status_code == 403
    teammate.user.refresh_from_db()
    assert teammate.user.first_name != "Changed"
    assert teammate.user.is_active
    assert User.objects.count() == before


def test_an_email_taken_at_the_same_moment_is_refused_by_the_service(admin_user, org, profile):
    """The form checks first; the database decides when two admins add one address at once."""
    from coordinators.services import PeopleError, PersonDetails, person_create

    with pytest.raises(PeopleError, match="cannot be used here"):
        person_create(
            organization=org,
            actor=admin_user,
            details=PersonDetails(email=profile.user.email, first_name="Twin", last_name=""),
            roles=["director"],
        )
    assert User.objects.filter(first_name="Twin").count() == 0


def test_the_service_refuses_a_team_of_another_organization(admin_user, org, other_org):
    from coordinators.services import PeopleError, PersonDetails, person_create

    with pytest.raises(PeopleError):
        person_create(
            organization=org,
            actor=admin_user,
            details=PersonDetails(
                email="new@example.org",
                first_name="New",
                last_name="Person",
                role_family=family_of(org),
                team=TeamFactory(organization=other_org),
                role_start_date=date(2024, 1, 1),
            ),
            roles=["coordinator"],
        )
    assert not User.objects.filter(email="new@example.org").exists()


def test_deactivating_twice_says_they_already_were(client_for, admin_user, profile):
    client = client_for(admin_user)
    url = reverse("coordinators:person-deactivate", args=[profile.user.pk])
    assert "is deactivated" in client.post(url, follow=True).content.decode()
    again = client.post(url, follow=True).content.decode()
    assert f"{profile.user.display_name} was already deactivated." in again


def test_refused_addresses_are_logged_and_limited_then_every_attempt_waits(
    client_for, admin_user, org, other_admin, settings, caplog
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "address-refusals": "2/h"}
    client = client_for(admin_user)
    with caplog.at_level("WARNING", logger="growthmatrix.security"):
        client.post(CREATE, person_post(org, email=other_admin.email))
    assert other_admin.email in caplog.text and "another organization" in caplog.text
    client.post(CREATE, person_post(org, email=other_admin.email))
    refused = client.post(CREATE, person_post(org, email=other_admin.email))
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    # Until the wait is over, a free address gets the same answer: nothing tells them apart.
    free = client.post(CREATE, person_post(org, email="free.address@example.org"))
    assert free.status_code == 429
    assert not User.objects.filter(email="free.address@example.org").exists()
