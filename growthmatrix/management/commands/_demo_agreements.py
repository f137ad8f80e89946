"""The demo's school sites speak for themselves: each school has a principal for this school
year and last, and a partnership agreement per year. Last year's are signed and reviewed;
this year's are signed, except one draft and one shared weeks ago and still unsigned (both
flagged "no signed agreement" once the school year is far enough along)."""

from __future__ import annotations

from coordinators.models import School
from schoolsites.services import (
    GoalInput,
    agreement_create,
    agreement_review_save,
    agreement_share,
    agreement_sign,
    coordinator_at,
    principal_contact_save,
    required_signatories,
)

PRINCIPALS = [
    ("Dana", "Okafor"),
    ("Luis", "Moreno"),
    ("Grace", "Whitfield"),
    ("Samir", "Haddad"),
    ("Helen", "Park"),
    ("Tomás", "Reyes"),
    ("Ruth", "Adeyemi"),
    ("Marcus", "Bell"),
]
GOALS = [
    GoalInput("Fewer students chronically absent", "Chronic absence rate", "from 18% to 14%"),
    GoalInput("Families at parent-teacher conferences", "Share of families attending", "70%"),
    GoalInput("Every partner aligned to a school goal", "Partners with a shared plan", "all 12"),
]
TERMS = {
    "role_covers": "Coordinating community partners\nFamily engagement nights\n"
    "The attendance team with the assistant principal",
    "role_excludes": "Lunch and bus duty\nSubstitute teaching\nFundraising",
    "meeting_cadence": "Every other Tuesday, 30 minutes",
    "space": "A room of their own near the front office",
    "staff_time": "Two hours a week of the family liaison",
    "leadership_seat": True,
    "meeting_schedule": "First Tuesday of each month: the leadership team\n"
    "January: the mid-year review together",
}
DRAFT_AT, UNSIGNED_AT = 1, 2  # the schools (by position) whose agreement this year is not signed


def agreements_build(org, schools: list[School], *, today) -> None:
    year = org.school_year_of(today)
    for index, school in enumerate(schools):
        first, last = PRINCIPALS[index % len(PRINCIPALS)]
        email = f"{first.lower()}.{last.lower()}@schools.example.org".replace("á", "a")
        for start_year in (year.start_year - 1, year.start_year):
            principal_contact_save(
                school=school,
                school_year=start_year,
                name=f"{first} {last}",
                email=email,
                expected_version=None,
            )
        before = _signed(school, year.start_year - 1, email, first, last, index)
        agreement_review_save(
            agreement=before,
            expected_version=before.version,
            mid_year_note="The attendance team meets weekly; partners mapped to goals.",
            results={
                goal.pk: (("met", "partly", "not_met")[(index + n) % 3], "Reviewed in June.")
                for n, goal in enumerate(before.goals.all())
            },
        )
        if index == DRAFT_AT:
            _create(school, year.start_year, email, first, last, index)
        elif index == UNSIGNED_AT:
            agreement = _create(school, year.start_year, email, first, last, index)
            agreement_share(agreement=agreement, actor=agreement.director)
        else:
            _signed(school, year.start_year, email, first, last, index)


def _create(school, start_year, email, first, last, index):
    coordinator = coordinator_at(school)
    actor = coordinator.team.director if coordinator and coordinator.team else None
    return agreement_create(
        school=school,
        school_year=start_year,
        actor=actor,
        fields={**TERMS, "principal_name": f"{first} {last}", "principal_email": email},
        goals=GOALS[: 2 + index % 2],
    )


def _signed(school, start_year, email, first, last, index):
    agreement = _create(school, start_year, email, first, last, index)
    agreement_share(agreement=agreement, actor=agreement.director)
    names = {
        "principal": (f"{first} {last}", email),
        "coordinator": (
            agreement.coordinator.user.display_name if agreement.coordinator else "",
            agreement.coordinator.user.email if agreement.coordinator else "",
        ),
        "director": (
            agreement.director.display_name if agreement.director else "",
            agreement.director.email if agreement.director else "",
        ),
    }
    for role in required_signatories(agreement):
        name, address = names[role]
        agreement_sign(agreement=agreement, role=role, name=name, email=address)
    agreement.refresh_from_db()
    return agreement
