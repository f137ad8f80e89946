import pytest

from coordinators.models import Membership, School, Team
from tests.constraints import refused
from tests.factories import ProfileFactory, SchoolFactory, UserFactory


def test_school_names_are_unique_within_an_organization(org, other_org):
    SchoolFactory(organization=org, name="Lincoln Elementary")
    SchoolFactory(organization=other_org, name="Lincoln Elementary")
    refused(lambda: SchoolFactory(organization=org, name="Lincoln Elementary"))


def test_school_level_and_setting_must_be_known(org):
    refused(
        lambda: School.objects.create(organization=org, name="A", level="college", setting="urban")
    )
    refused(
        lambda: School.objects.create(organization=org, name="B", level="high", setting="lunar")
    )


def test_team_names_are_unique_within_an_organization(org):
    Team.objects.create(organization=org, name="East")
    refused(lambda: Team.objects.create(organization=org, name="East"))


def test_a_person_holds_each_role_once_and_only_known_roles(org):
    user = UserFactory(organization=org, roles=["coordinator", "director"])
    assert set(user.memberships.values_list("role", flat=True)) == {"coordinator", "director"}
    refused(lambda: Membership.objects.create(user=user, role="coordinator"))
    refused(lambda: Membership.objects.create(user=user, role="superhero"))


def test_emails_are_unique_and_log_in_is_by_email(org):
    UserFactory(organization=org, email="maria@example.org")
    refused(lambda: UserFactory(organization=org, email="maria@example.org"))


def test_role_family_in_use_cannot_be_deleted(org):
    profile = ProfileFactory(team__organization=org)
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        profile.role_family.delete()


@pytest.mark.django_db
def test_the_user_of_each_request_comes_with_every_role_they_hold_now(client_for, org):
    """The roles are read with the user, in one query, at every request: a role taken away
    is gone at the next page, a role given is there."""
    user = UserFactory(organization=org, roles=["admin", "director"])
    client = client_for(user)
    nav = client.get("/organization/").content.decode()
    assert 'href="/team/"' in nav and 'href="/organization/"' in nav

    Membership.objects.filter(user=user, role="admin").delete()
    assert client.get("/organization/").status_code == 403
    assert client.get("/team/").status_code == 200

    Membership.objects.create(user=user, role="admin")
    assert client.get("/organization/").status_code == 200
