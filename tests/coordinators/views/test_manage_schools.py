"""The org admin's schools: list with filters, add, edit, deactivate and reactivate."""

import pytest
from django.urls import reverse

from coordinators.models import School
from tests.factories import AssessmentFactory, CycleFactory, ProfileFactory, SchoolFactory

LIST = reverse("coordinators:school-list")


def school_post(**changes):
    return {"name": "Harbor Middle", "level": "middle", "setting": "urban"} | changes


def names(response):
    return [school.name for school in response.context["schools"]]


def test_admin_lists_their_schools_only(client_for, admin_user, org, other_org):
    SchoolFactory(organization=org, name="Lincoln Elementary")
    SchoolFactory(organization=other_org, name="Far Away High")
    response = client_for(admin_user).get(LIST)
    assert response.status_code == 200
    assert names(response) == ["Lincoln Elementary"]
    assert "Far Away High" not in response.content.decode()


def test_search_and_filters_narrow_the_list(client_for, admin_user, org):
    SchoolFactory(organization=org, name="Lincoln Elementary", level="elementary")
    SchoolFactory(organization=org, name="Lincoln High", level="high", setting="rural")
    SchoolFactory(organization=org, name="Oak Middle", level="middle")
    SchoolFactory(organization=org, name="Lincoln Closed", active=False)
    client = client_for(admin_user)
    assert names(client.get(LIST, {"q": "lincoln"})) == ["Lincoln Elementary", "Lincoln High"]
    assert names(client.get(LIST, {"level": "high"})) == ["Lincoln High"]
    assert names(client.get(LIST, {"setting": "rural"})) == ["Lincoln High"]
    assert names(client.get(LIST, {"active": "no"})) == ["Lincoln Closed"]
    assert len(names(client.get(LIST, {"active": "all"}))) == 4


def test_a_filter_value_that_does_not_fit_is_named_and_left_out(client_for, admin_user, org):
    SchoolFactory(organization=org, name="Lincoln Elementary")
    response = client_for(admin_user).get(LIST, {"level": "<b>", "page": "-3"})
    assert response.status_code == 200
    assert names(response) == ["Lincoln Elementary"]
    assert "This filter was left out." in response.content.decode()


def test_the_list_is_paginated(client_for, admin_user, org):
    SchoolFactory.create_batch(55, organization=org)
    client = client_for(admin_user)
    assert len(names(client.get(LIST))) == 50
    second = client.get(LIST, {"page": "2"})
    assert len(names(second)) == 5
    assert "Page 2 of 2" in second.content.decode()


def test_no_schools_says_what_to_do(client_for, admin_user):
    html = client_for(admin_user).get(LIST).content.decode()
    assert "No schools yet" in html
    assert reverse("coordinators:school-create") in html
    assert reverse("roster:roster-import") in html


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_has_a_fixed_number_of_queries(
    client_for, admin_user, org, count, django_assert_num_queries
):
    for school in SchoolFactory.create_batch(count, organization=org):
        ProfileFactory(team__organization=org, schools=[school])
    client = client_for(admin_user)
    client.get(LIST)  # the session is warm
    # Session, user with the organization (navigation) and roles, count, page of schools (with
    # their people counted).
    with django_assert_num_queries(4):
        response = client.get(LIST)
    assert len(names(response)) == count


def test_admin_adds_a_school(client_for, admin_user, org):
    response = client_for(admin_user).post(
        reverse("coordinators:school-create"), school_post(name="  Harbor   Middle ")
    )
    assert response.status_code == 302
    school = School.objects.get(organization=org)
    assert (school.name, school.level, school.setting, school.active) == (
        "Harbor Middle",
        "middle",
        "urban",
        True,
    )


def test_a_name_in_use_is_a_form_error_that_keeps_what_was_typed(client_for, admin_user, org):
    SchoolFactory(organization=org, name="Harbor Middle", active=False)
    response = client_for(admin_user).post(
        reverse("coordinators:school-create"), school_post(name="harbor middle", setting="rural")
    )
    assert response.status_code == 200
    assert "deactivated: reactivate it" in response.context["form"].errors["name"][0]
    html = response.content.decode()
    assert 'value="harbor middle"' in html
    assert '<option value="rural" selected>' in html
    assert School.objects.filter(organization=org).count() == 1


def test_the_same_name_in_another_organization_is_fine(client_for, admin_user, org, other_org):
    SchoolFactory(organization=other_org, name="Harbor Middle")
    response = client_for(admin_user).post(reverse("coordinators:school-create"), school_post())
    assert response.status_code == 302
    assert School.objects.filter(organization=org, name="Harbor Middle").exists()


def test_admin_edits_a_school(client_for, admin_user, org):
    school = SchoolFactory(organization=org, name="Harbor")
    url = reverse("coordinators:school-update", args=[school.pk])
    client = client_for(admin_user)
    assert 'value="Harbor"' in client.get(url).content.decode()
    response = client.post(
        url, school_post(name="Harbor Middle", level="k8", setting="rural", version=school.version)
    )
    assert response.status_code == 302
    school.refresh_from_db()
    assert (school.name, school.level, school.setting) == ("Harbor Middle", "k8", "rural")


def test_keeping_its_own_name_is_not_a_clash(client_for, admin_user, org):
    school = SchoolFactory(organization=org, name="Harbor Middle")
    response = client_for(admin_user).post(
        reverse("coordinators:school-update", args=[school.pk]),
        school_post(setting="rural", version=school.version),
    )
    assert response.status_code == 302


def test_deactivating_keeps_people_and_assessments(client_for, admin_user, org, profile):
    school = profile.schools.get()
    AssessmentFactory(coordinator=profile, cycle=CycleFactory(organization=org))
    client = client_for(admin_user)
    html = client.get(LIST).content.decode()
    assert "data-confirm=" in html
    assert reverse("coordinators:school-deactivate", args=[school.pk]) in html
    response = client.post(
        reverse("coordinators:school-deactivate", args=[school.pk]),
        {"next": LIST + "?q=School"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == LIST + "?q=School"
    assert "is deactivated" in response.content.decode()
    school.refresh_from_db()
    assert not school.active
    assert list(profile.schools.all()) == [school]
    assert school.assessments.count() == 1
    client.post(reverse("coordinators:school-reactivate", args=[school.pk]))
    school.refresh_from_db()
    assert school.active


def test_an_outside_next_is_ignored(client_for, admin_user, org):
    school = SchoolFactory(organization=org)
    response = client_for(admin_user).post(
        reverse("coordinators:school-deactivate", args=[school.pk]),
        {"next": "https://evil.example.org/"},
    )
    assert response["Location"] == LIST


@pytest.mark.parametrize("name", ["school-update", "school-deactivate", "school-reactivate"])
def test_another_organizations_school_is_not_found(client_for, other_admin, org, name):
    school = SchoolFactory(organization=org)
    url = reverse(f"coordinators:{name}", args=[school.pk])
    client = client_for(other_admin)
    response = client.post(url, school_post()) if "activate" in name else client.get(url)
    assert response.status_code == 404
    school.refresh_from_db()
    assert school.active


@pytest.mark.parametrize("person", ["director", "coordinator"])
@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("school-list", "get"),
        ("school-create", "get"),
        ("school-create", "post"),
        ("school-update", "get"),
        ("school-update", "post"),
        ("school-deactivate", "post"),
        ("school-reactivate", "post"),
    ],
)
def test_other_roles_are_refused(request, client_for, org, person, name, method):
    school = SchoolFactory(organization=org, name="Lincoln")
    args = [] if name in ("school-list", "school-create") else [school.pk]
    client = client_for(request.getfixturevalue(person))
    response = getattr(client, method)(reverse(f"coordinators:{name}", args=args), school_post())
    assert response.status_code == 403
    school.refresh_from_db()
    assert (school.name, school.active) == ("Lincoln", True)
    assert School.objects.count() == 1 + (person == "coordinator")  # the profile's own school


def test_deactivate_refuses_get(client_for, admin_user, org):
    school = SchoolFactory(organization=org)
    url = reverse("coordinators:school-deactivate", args=[school.pk])
    assert client_for(admin_user).get(url).status_code == 405


def test_the_page_keeps_the_stored_name_while_the_form_is_wrong(client_for, admin_user, org):
    school = SchoolFactory(organization=org, name="Harbor")
    response = client_for(admin_user).post(
        reverse("coordinators:school-update", args=[school.pk]),
        school_post(name="Harbor Middle", level="nursery"),
    )
    assert response.status_code == 200
    assert '<h1 class="h2">Edit “Harbor”</h1>' in response.content.decode()
    assert 'value="Harbor Middle"' in response.content.decode()


def test_a_name_taken_at_the_same_moment_is_a_form_error(client_for, admin_user, org, monkeypatch):
    """Two admins adding one school at once: the database refuses the second."""
    SchoolFactory(organization=org, name="Harbor Middle")
    monkeypatch.setattr(
        "coordinators.forms.SchoolForm.clean_name", lambda form: form.cleaned_data["name"]
    )
    response = client_for(admin_user).post(reverse("coordinators:school-create"), school_post())
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "Your organization already has one by this name."
    ]
    assert School.objects.filter(organization=org).count() == 1


def test_deactivating_twice_says_it_already_was(client_for, admin_user, org):
    school = SchoolFactory(organization=org, name="Harbor")
    client = client_for(admin_user)
    url = reverse("coordinators:school-deactivate", args=[school.pk])
    assert "is deactivated" in client.post(url, follow=True).content.decode()
    assert "“Harbor” was already deactivated." in client.post(url, follow=True).content.decode()
    assert not School.objects.get(pk=school.pk).active
