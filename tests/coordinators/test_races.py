"""Two admins changing one person at the same instant on real PostgreSQL: a role taken away
never comes back from a form read before, and of two saves of the form one wins."""

from coordinators.models import Membership, Role, User
from coordinators.services import (
    PersonDetails,
    person_role_remove,
    person_update,
)
from coordinators.versioning import StaleEdit
from tests.factories import UserFactory
from tests.races import ON_POSTGRESQL, race

pytestmark = ON_POSTGRESQL


def test_a_role_removed_while_a_stale_form_saves_stays_removed(org, admin_user):
    for round_number in range(6):
        person = UserFactory(organization=org, roles=["director", "admin"])
        read = User.objects.get(pk=person.pk)
        details = PersonDetails(
            email=read.email, first_name=read.first_name, last_name=f"Renamed {round_number}"
        )
        outcomes = race(
            lambda p=person: person_role_remove(person=p, actor=admin_user, role=Role.DIRECTOR),
            lambda r=read, d=details: person_update(
                person=r, actor=admin_user, details=d, expected_version=r.version
            ),
        )
        assert not isinstance(outcomes[0], Exception), outcomes
        assert not Membership.objects.filter(user=person, role=Role.DIRECTOR).exists()
        renamed = User.objects.get(pk=person.pk).last_name == f"Renamed {round_number}"
        assert renamed == (not isinstance(outcomes[1], StaleEdit)), outcomes


def test_two_saves_of_one_person_at_the_same_version(org, admin_user, profile):
    person = profile.user
    for round_number in range(6):
        read = User.objects.get(pk=person.pk)
        version = read.version

        def save(last_name, version=version):
            read = User.objects.get(pk=person.pk)
            details = PersonDetails(
                email=read.email,
                first_name=read.first_name,
                last_name=last_name,
                role_family=profile.role_family,
                team=profile.team,
                schools=tuple(profile.schools.all()),
                role_start_date=profile.role_start_date,
                job_title=last_name,
            )
            return lambda: person_update(
                person=read, actor=admin_user, details=details, expected_version=version
            )

        outcomes = race(save(f"A{round_number}"), save(f"B{round_number}"))
        assert sum(isinstance(o, StaleEdit) for o in outcomes) == 1, outcomes
        saved = User.objects.get(pk=person.pk)
        assert saved.last_name == saved.profile.job_title  # one person's save, whole
        assert saved.version == version + 1
