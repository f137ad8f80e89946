"""An organization whose reports show something: coordinators over finalized cycles, half of
them mentored between the first two (their Development level rises), some who left."""

from datetime import timedelta

from django.utils import timezone

from coordinators.models import LeavingReason
from growth.models import MentoringMatch
from tests.dashboards.dashboard_data import assess, past_cycles
from tests.factories import ProfileFactory, SchoolFactory, UserFactory


def report_world(org, team, count, *, cycles=None):
    """``count`` coordinators on ``team`` with three finalized past cycles; the even ones have
    a mentoring match for a year that starts just after the first cycle opened, and their
    Development level rises from Novice to Proficient, while the odd ones stay at Novice.
    Every fourth one left the organization last year. Returns (cycles, profiles, mentored)."""
    cycles = cycles or past_cycles(org, 3)
    school = SchoolFactory(organization=org, level="elementary", setting="urban")
    mentor = UserFactory(organization=org, roles=["coordinator"])
    today = timezone.localdate()
    profiles, mentored = [], []
    for index in range(count):
        profile = ProfileFactory(
            team=team, schools=[school], role_start_date=today - timedelta(days=365 * 4)
        )
        rises = index % 2 == 0
        for number, cycle in enumerate(cycles):
            development = 2 if rises and number > 0 else 1
            assess(profile, cycle, (2, 2, 2, development), self_levels=(2, 2, 2, 1))
        if rises:
            starts_on = cycles[0].opens_on + timedelta(days=5)
            MentoringMatch.objects.create(
                mentor=mentor,
                mentee=profile,
                starts_on=starts_on,
                ends_on=starts_on + timedelta(days=365),
            )
            mentored.append(profile)
        if index % 4 == 3:
            profile.active = False
            profile.left_on = today - timedelta(days=300)
            profile.leaving_reason = LeavingReason.RESIGNED
            profile.save(update_fields=["active", "left_on", "leaving_reason"])
        profiles.append(profile)
    return cycles, profiles, mentored
