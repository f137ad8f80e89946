"""Factories that keep related objects consistent: a profile's team and school are in its
organization, an assessment pins its family's published version, a rating's indicator
comes from that version."""

from datetime import timedelta

import factory
from django.test import RequestFactory
from django.utils import timezone

from assessments.models import Assessment, AssessmentCycle, Rating
from coordinators.models import CoordinatorProfile, Membership, Organization, School, Team, User
from coordinators.services import PersonDetails
from growthmatrix.organizations import organization_create
from rubrics.models import Indicator, RubricVersion


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return organization_create(name=kwargs["name"], slug=kwargs["slug"])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    organization = factory.SubFactory(OrganizationFactory)
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            Membership.objects.create(user=self, role=role)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"School {n}")
    level = "elementary"
    setting = "urban"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    director = factory.SubFactory(
        UserFactory, organization=factory.SelfAttribute("..organization"), roles=["director"]
    )


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoordinatorProfile
        skip_postgeneration_save = True

    team = factory.SubFactory(TeamFactory)
    organization = factory.SelfAttribute("team.organization")
    user = factory.SubFactory(
        UserFactory, organization=factory.SelfAttribute("..organization"), roles=["coordinator"]
    )
    role_family = factory.LazyAttribute(lambda o: o.organization.role_families.order_by("pk")[0])
    role_start_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=800))
    job_title = "Community School Coordinator"

    @factory.post_generation
    def schools(self, create, extracted, **kwargs):
        if extracted is None:
            extracted = [SchoolFactory(organization=self.organization)]
        self.schools.set(extracted)


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentCycle

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Cycle {n}")
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    due_on = factory.LazyAttribute(lambda o: o.opens_on + timedelta(days=30))
    closes_on = factory.LazyAttribute(lambda o: o.due_on + timedelta(days=30))
    state = AssessmentCycle.State.OPEN


def published_version(role_family) -> RubricVersion:
    return RubricVersion.objects.get(rubric__role_family=role_family, state="published")


class AssessmentFactory(factory.django.DjangoModelFactory):
    """An assessment with one empty rating per indicator of its pinned version."""

    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    coordinator = factory.SubFactory(ProfileFactory)
    cycle = factory.SubFactory(
        CycleFactory, organization=factory.SelfAttribute("..coordinator.organization")
    )
    rubric_version = factory.LazyAttribute(lambda o: published_version(o.coordinator.role_family))
    team = factory.SelfAttribute("coordinator.team")

    @factory.post_generation
    def ratings(self, create, extracted, **kwargs):
        """``ratings=2`` sets every self level to 2; ``ratings={"self": 2, "supervisor": 3}``."""
        levels = extracted if isinstance(extracted, dict) else {"self": extracted}
        Rating.objects.bulk_create(
            Rating(
                assessment=self,
                indicator=indicator,
                self_level=levels.get("self"),
                supervisor_level=levels.get("supervisor"),
            )
            for indicator in Indicator.objects.filter(category__version=self.rubric_version)
        )
        self.schools.set(self.coordinator.schools.all())


def request_by(user):
    """A GET request made by ``user``, to call a scoped getter without a view."""
    request = RequestFactory().get("/")
    request.user = user
    return request


def mentoring_match(*, mentee, mentor, starts_on=None, ends_on=None, actor=None):
    """``mentor`` mentors ``mentee`` from ``starts_on`` (today by default)."""
    from django.utils import timezone

    from growth.models import MentoringMatch

    return MentoringMatch.objects.create(
        mentor=mentor,
        mentee=mentee,
        starts_on=starts_on or timezone.localdate(),
        ends_on=ends_on,
        confirmed_by=actor,
    )


def details_of(profile: CoordinatorProfile, **changes) -> PersonDetails:
    """A coordinator's details as the person form holds them, with ``changes`` made (for
    ``person_update``)."""
    user = profile.user
    details = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role_family": profile.role_family,
        "team": profile.team,
        "schools": tuple(profile.schools.all()),
        "role_start_date": profile.role_start_date,
        "job_title": profile.job_title,
    }
    return PersonDetails(**{**details, **changes})
