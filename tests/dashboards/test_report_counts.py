"""The reports count in the database and do their arithmetic on the counts: on random
organizations (levels, supports, mentoring, leavings, promotions, reviews; Hypothesis), what the
reports' selectors show, and the people behind each number, are what reading every person's
facts and counting them one by one gives (the way the reports counted before they counted in
SQL), with the per-person definitions of ``report_rules``. That the aggregate functions give
the per-person functions' numbers when fed the same counts is tested without a database in
test_report_rules.py."""

from __future__ import annotations

import calendar
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from assessments.models import Assessment, CategoryScore
from coordinators.models import CoordinatorProfile, LeavingReason, SchoolLevel, SchoolSetting
from dashboards import read_model
from dashboards import report_rules as rules
from dashboards.report_filters import ReportScope
from dashboards.selectors import impact, retention
from dashboards.selectors.calibration import calibration_report
from dashboards.selectors.impact import impact_report, organization_cycles_in_order
from dashboards.selectors.retention import SCHOOL_YEARS_SHOWN, retention_report
from growth.models import (
    CareerPosition,
    CareerStage,
    MentoringMatch,
    Promotion,
    Support,
    SupportCatalogEntry,
    SupportKind,
)
from rubrics.vocabulary import CATEGORY_KEYS
from tests.dashboards.dashboard_data import assess
from tests.factories import (
    CycleFactory,
    OrganizationFactory,
    ProfileFactory,
    SchoolFactory,
    TeamFactory,
    UserFactory,
)

# With a database: the selectors against counting person by person -------------------------


@dataclass
class Span:
    starts: date
    ends: date

    def overlaps(self, first: date, last: date) -> bool:
        return self.starts <= last and self.ends >= first


def impact_person_by_person(org, scope, cycles):
    """The impact report's rows and before-and-after, from every person's finalized levels and
    supports (as the report counted before it counted in SQL)."""
    chosen = {c.pk for c in scope.cycles_between(cycles)}
    ids = scope.profiles(CoordinatorProfile.objects.filter(organization=org)).values("pk")
    levels = defaultdict(lambda: defaultdict(dict))
    for person, cycle, key, level in (
        CategoryScore.objects.filter(
            assessment__coordinator__in=ids,
            assessment__cycle__in=[c.pk for c in cycles],
            assessment__state=Assessment.State.FINALIZED,
        )
        .annotate(counted=Coalesce("supervisor_level", "self_level"))
        .exclude(counted=None)
        .values_list(
            "assessment__coordinator_id", "assessment__cycle_id", "category_key", "counted"
        )
    ):
        levels[person][cycle][key] = level
    entries = dict(
        SupportCatalogEntry.objects.filter(organization=org).values_list("pk", "category_key")
    )
    spans = defaultdict(list)
    for person, kind, entry, starts_on, created_at in (
        Support.objects.filter(coordinator__in=ids)
        .exclude(kind=SupportKind.MENTORING)
        .values_list("coordinator_id", "kind", "catalog_entry_id", "starts_on", "created_at")
    ):
        day = starts_on or created_at.date()
        spans[person].append((f"kind:{kind}", Span(day, day)))
        if entry in entries:
            spans[person].append((f"entry:{entry}", Span(day, day)))
    for person, starts_on, ends_on in MentoringMatch.objects.filter(mentee__in=ids).values_list(
        "mentee_id", "starts_on", "ends_on"
    ):
        spans[person].append(("kind:mentoring", Span(starts_on, ends_on or date.max)))
    order = {c.pk: i for i, c in enumerate(cycles)}
    by_pk = {c.pk: c for c in cycles}
    steps = []
    for person, by_cycle in levels.items():
        finalized = sorted(by_cycle, key=order.__getitem__)
        for first, second in zip(finalized, finalized[1:], strict=False):
            if first not in chosen:
                continue
            start, end = by_pk[first].opens_on, by_pk[second].opens_on - timedelta(days=1)
            had = frozenset(g for g, span in spans.get(person, ()) if span.overlaps(start, end))
            for key in CATEGORY_KEYS:
                before, after = by_cycle[first].get(key), by_cycle[second].get(key)
                if before is not None and after is not None:
                    steps.append(rules.LevelStep(person, first, key, before, after, had))
    groups = {f"kind:{kind}": None for kind in SupportKind.values}
    groups |= {f"entry:{pk}": category for pk, category in entries.items()}
    pre_post = None
    if scope.pre_post:
        started = {
            person: min(s.starts for g, s in had if g == scope.pre_post)
            for person, had in spans.items()
            if any(g == scope.pre_post for g, _s in had)
        }
        opened = {c.pk: c.opens_on for c in cycles}
        finalized = {
            person: [(opened[pk], cycle_levels) for pk, cycle_levels in by_cycle.items()]
            for person, by_cycle in levels.items()
        }
        pre_post = rules.pre_post(started, finalized)
    return rules.impact_rows(steps, groups), pre_post


def retention_person_by_person(org, scope):
    """The retention report's rows, from every person's tenure and the split's value for
    them in each school year."""
    profiles = scope.profiles(CoordinatorProfile.objects.filter(organization=org))
    today = timezone.localdate()
    years = [org.school_year_of(today)]
    for _ in range(SCHOOL_YEARS_SHOWN - 1):
        years.insert(0, years[0].previous())
    schools = defaultdict(lambda: (set(), set()))
    for person, level, setting in CoordinatorProfile.schools.through.objects.filter(
        coordinatorprofile__in=profiles.values("pk")
    ).values_list("coordinatorprofile_id", "school__level", "school__setting"):
        schools[person][0].add(SchoolLevel(level).label)
        schools[person][1].add(SchoolSetting(setting).label)
    matches = defaultdict(list)
    for person, starts_on, ends_on in MentoringMatch.objects.values_list(
        "mentee_id", "starts_on", "ends_on"
    ):
        matches[person].append(Span(starts_on, ends_on or date.max))
    moves = defaultdict(list)
    for person, on, frm, to in Promotion.objects.order_by("effective_on", "pk").values_list(
        "profile_id", "effective_on", "from_stage__title", "to_stage__title"
    ):
        moves[person].append((on, frm or "No stage", to))

    def stage_on(day, current, person_moves):
        before = [to for on, _f, to in person_moves if on <= day]
        if before:
            return before[-1]
        after = [frm for on, frm, _t in person_moves if on > day]
        return after[0] if after else current

    by_year = defaultdict(list)
    for pk, started, left_on, reason, active, stage in profiles.values_list(
        "pk",
        "role_start_date",
        "left_on",
        "leaving_reason",
        "active",
        "career_position__stage__title",
    ):
        unknown = left_on is None and (bool(reason) or not active)
        for year in years:
            split = {
                "mentored": "Mentored"
                if any(s.overlaps(year.starts, year.ends) for s in matches[pk])
                else "Not mentored",
                "school_level": ", ".join(sorted(schools[pk][0])) or "No school site",
                "setting": ", ".join(sorted(schools[pk][1])) or "No school site",
                "stage": stage_on(year.starts, stage or "No stage", moves[pk]),
            }.get(scope.split, "")
            by_year[year.starts].append(rules.Tenure(pk, started, left_on, unknown, split))
    promotions = [
        rules.Promotion(
            person, to, org.school_year_of(started).label, rules.years_between(started, on)
        )
        for person, started, on, to in Promotion.objects.filter(
            profile__in=profiles.values("pk")
        ).values_list("profile_id", "profile__role_start_date", "effective_on", "to_stage__title")
        if on >= started
    ]
    stages = list(
        CareerStage.objects.filter(organization=org)
        .order_by("order")
        .values_list("title", flat=True)
    )
    return (
        rules.retention_rows([y.starts for y in years], by_year, today),
        rules.promotion_rows(promotions, stages),
    )


def calibration_person_by_person(org, scope, cycles):
    """Per rater (director or team): the people reviewed, the reviews, those in the window."""
    chosen = [c.pk for c in scope.cycles_between(cycles)]
    profiles = scope.profiles(CoordinatorProfile.objects.filter(organization=org))
    key_field = "team_id" if scope.group == "team" else "team__director_id"
    figures = defaultdict(lambda: [set(), 0, 0])
    for key, person, submitted, finalized, window in Assessment.objects.filter(
        coordinator__in=profiles.values("pk"), cycle__in=chosen, state="finalized"
    ).values_list(
        key_field, "coordinator_id", "submitted_at", "finalized_at", "cycle__review_window_days"
    ):
        in_window = bool(
            submitted and finalized and finalized - submitted <= timedelta(days=window)
        )
        for target in (figures[key], figures["organization"]):
            target[0].add(person)
            target[1] += 1
            target[2] += in_window
    levels = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    differences = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for key, category, supervisor, own in CategoryScore.objects.filter(
        assessment__coordinator__in=profiles.values("pk"),
        assessment__cycle__in=chosen,
        assessment__state="finalized",
    ).values_list(f"assessment__{key_field}", "category_key", "supervisor_level", "self_level"):
        if supervisor is None:
            continue
        for target in (key, "organization"):
            levels[target][category][supervisor] += 1
            if own is not None:
                differences[target][category][0] += supervisor - own
                differences[target][category][1] += 1
    return {
        key: (
            len(people),
            n,
            ok,
            {category: dict(counts) for category, counts in levels[key].items()},
            {category: tuple(pair) for category, pair in differences[key].items()},
        )
        for key, (people, n, ok) in figures.items()
    }


def random_organization(rng: random.Random):
    """An organization with four or five cycles a year apart (one planned), a dozen people at
    two schools and two teams, random finalized levels (some left empty), supports of every
    kind with and without catalogue entries, mentoring matches, leavings and promotions."""
    today = timezone.localdate()
    org = OrganizationFactory()
    teams = [TeamFactory(organization=org) for _ in range(2)]
    schools = [
        SchoolFactory(organization=org, level=level, setting=setting)
        for level, setting in (("elementary", "urban"), ("middle", "rural"))
    ]
    count = rng.randint(4, 5)
    cycles = [
        CycleFactory(
            organization=org,
            opens_on=today - timedelta(days=365 * years + rng.randint(0, 40)),
            due_on=today - timedelta(days=365 * years - 30),
            closes_on=today - timedelta(days=365 * years - 60),
            state="closed",
            review_window_days=rng.choice([3, 14]),
        )
        for years in range(count, 0, -1)
    ]
    CycleFactory(organization=org, opens_on=today + timedelta(days=200), state="planned")
    entries = [
        SupportCatalogEntry.objects.create(
            organization=org, category_key=key, level=1, kind=kind, title=f"{kind} in {key}"
        )
        for key, kind in (("development", "pd"), ("site", "network"))
    ]
    stages = list(CareerStage.objects.filter(organization=org).order_by("order"))
    mentor = UserFactory(organization=org, roles=["coordinator"])
    for index in range(rng.randint(9, 15)):
        started = today - timedelta(days=rng.randint(200, 365 * 7))
        profile = ProfileFactory(
            team=rng.choice(teams),
            schools=rng.sample(schools, rng.randint(0, 2)),
            role_start_date=started,
        )
        for cycle in cycles:
            if rng.random() < 0.8:
                levels = tuple(rng.randint(1, 3) for _ in CATEGORY_KEYS)
                assessment = assess(
                    profile, cycle, levels, state=rng.choice(["finalized"] * 4 + ["submitted"])
                )
                assessment.submitted_at = timezone.make_aware(
                    datetime.combine(cycle.opens_on, datetime.min.time())
                )
                assessment.finalized_at = assessment.submitted_at + timedelta(
                    days=rng.choice([2, 3, 14, 20])
                )
                Assessment.objects.filter(pk=assessment.pk).update(
                    submitted_at=assessment.submitted_at, finalized_at=assessment.finalized_at
                )
                if rng.random() < 0.3:
                    CategoryScore.objects.filter(
                        assessment=assessment, category_key=rng.choice(CATEGORY_KEYS)
                    ).update(supervisor_level=None, self_level=rng.choice([None, 2]))
        for _ in range(rng.randint(0, 3)):
            kind = rng.choice(["pd", "event", "network"])
            support = Support.objects.create(
                coordinator=profile,
                kind=kind,
                title="A support",
                starts_on=rng.choice(
                    [None, cycles[0].opens_on + timedelta(days=rng.randint(0, 365 * count))]
                ),
                catalog_entry=rng.choice([None, *entries]),
            )
            Support.objects.filter(pk=support.pk).update(
                created_at=timezone.now() - timedelta(days=rng.randint(0, 365 * count))
            )
        for _ in range(rng.randint(0, 2)):
            starts_on = cycles[0].opens_on + timedelta(days=rng.randint(0, 365 * count))
            MentoringMatch.objects.create(
                mentor=mentor,
                mentee=profile,
                starts_on=starts_on,
                ends_on=rng.choice([None, starts_on + timedelta(days=rng.randint(0, 500))]),
            )
        if index % 3 == 0:
            left = rng.choice([None, today - timedelta(days=rng.randint(0, 365 * 3))])
            if left is None or left > started:
                profile.active = False
                profile.left_on = left
                # A day comes with a reason; without a day, the reason may be unrecorded.
                reasons = [LeavingReason.RESIGNED] if left else ["", LeavingReason.RESIGNED]
                profile.leaving_reason = rng.choice(reasons)
                profile.save(update_fields=["active", "left_on", "leaving_reason"])
        if stages and rng.random() < 0.7:
            CareerPosition.objects.create(profile=profile, stage=rng.choice(stages))
            for _ in range(rng.randint(0, 3)):
                Promotion.objects.create(
                    profile=profile,
                    from_stage=rng.choice([None, *stages]),
                    to_stage=rng.choice(stages),
                    effective_on=started + timedelta(days=rng.randint(-100, 365 * 5)),
                )
    read_model.rebuild(organization_id=org.pk)
    return org, cycles, entries


def assert_impact_equal(org, scope, cycles):
    report = impact_report(organization=org, scope=scope, cycles=cycles)
    expected, pre_post = impact_person_by_person(org, scope, cycles)
    assert [r.key for r in sorted(report.rows, key=lambda r: r.key)] == sorted(
        r.key for r in expected
    )
    by_key = {r.key: r for r in report.rows}
    event(f"impact: {sum(not r.without.hidden for r in expected) > 0} a comparison shown")
    for old in expected:
        new = by_key[old.key]
        for side, mine, theirs in (
            ("with", new.with_support, old.with_support),
            ("without", new.without, old.without),
        ):
            assert (mine.steps, mine.headcount) == (theirs.steps, theirs.headcount), (old.key, side)
            for move in rules.MOVES:
                found = report.people_of(f"{old.key}|{side}|{move}")
                assert (found and found[1]) == (None if theirs.hidden else theirs.moves[move])
    if pre_post is not None:
        event(f"before and after: {pre_post.hidden}, {len(pre_post.people)} people hidden")
        assert report.pre_post.headcount == len(pre_post.people)
        assert (report.pre_post.before, report.pre_post.after) == (pre_post.before, pre_post.after)
        found = report.people_of("pre_post|people")
        assert (found and found[1]) == (None if pre_post.hidden else pre_post.people)


def assert_retention_equal(org, scope):
    report = retention_report(organization=org, scope=scope)
    rows, promotions = retention_person_by_person(org, scope)
    assert [r.key for r in report.rows] == [r.key for r in rows]
    event(f"retention: {sum(not r.cells[0].hidden for r in rows)} lines shown")
    for new, old in zip(report.rows, rows, strict=True):
        assert new.start == len(old.start)
        assert [c.still for c in new.cells] == [
            None if c.still is None else len(c.still) for c in old.cells
        ]
        found = report.people_of(f"{old.key}|start")
        assert (found and found[1]) == (None if old.cells[0].hidden else old.start)
        for years, cell in enumerate(old.cells, start=1):
            found = report.people_of(f"{old.key}|{years}")
            expected = None if old.cells[0].hidden or cell.still is None else cell.still
            assert (found and found[1]) == expected
    assert [(r.key, r.people, r.median) for r in report.promotions] == [
        (r.key, len(r.people), r.median) for r in promotions
    ]
    for old in promotions:
        found = report.people_of(f"{old.key}|promoted")
        assert (found and found[1]) == (None if old.hidden else old.people)


def assert_calibration_equal(org, scope, cycles):
    report = calibration_report(organization=org, scope=scope, cycles=cycles)

    def figures_of(figures):
        return (
            figures.people,
            figures.reviews,
            figures.reviews_in_window,
            figures.levels,
            {
                category: (figures.difference_sum[category], count)
                for category, count in figures.difference_count.items()
            },
        )

    found = {figures.key: figures_of(figures) for figures, _g, _c in report.ranked}
    found["organization"] = figures_of(report.organization)
    expected = calibration_person_by_person(org, scope, cycles)
    expected.pop(None, None)
    assert found == expected
    for figures, _g, _c in report.ranked:
        people = report.people_of(f"{figures.key}|people")
        assert (people is None) == figures.hidden


SCOPES = st.builds(
    dict,
    split=st.sampled_from(["mentored", "school_level", "setting", "stage", ""]),
    group=st.sampled_from(["director", "team"]),
    pre_post=st.sampled_from(["kind:mentoring", "kind:pd", "kind:network", "entry", ""]),
    school_level=st.sampled_from(["", "", "middle"]),
    narrow=st.booleans(),
)


@pytest.mark.django_db
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # shrinking a database world takes too long
)
@given(st.randoms(use_true_random=False), SCOPES)
def test_the_reports_count_in_the_database_what_counting_person_by_person_gives(rng, chosen):
    with transaction.atomic():
        org, cycles, entries = random_organization(rng)
        cycles = organization_cycles_in_order(org.pk)
        pre_post = chosen["pre_post"]
        if pre_post == "entry":
            pre_post = f"entry:{entries[rng.randrange(2)].pk}"
        scope = ReportScope(
            cycle_from=cycles[1].pk if chosen["narrow"] else None,
            school_level=chosen["school_level"],
            split=chosen["split"],
            group=chosen["group"],
            pre_post=pre_post,
        )
        assert_impact_equal(org, scope, cycles)
        assert_retention_equal(org, scope)
        assert_calibration_equal(org, scope, cycles)
        transaction.set_rollback(True)


@pytest.mark.django_db
@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
)
@given(rng=st.randoms(use_true_random=False))
def test_impact_counts_the_same_when_each_persons_steps_take_several_numbers(monkeypatch, rng):
    """The people of each line, with each person's steps folded into the bits of several
    numbers per category (as for a range of more than twenty cycles), as counted one by one."""
    monkeypatch.setattr(impact, "CYCLES_A_NUMBER", 2)
    with transaction.atomic():
        org, _cycles, _entries = random_organization(rng)
        assert_impact_equal(org, ReportScope(), organization_cycles_in_order(org.pk))
        transaction.set_rollback(True)


# The rules the database applies, against the pure rules ------------------------------------

FIRST_DAYS = [
    date(year, month, day)
    for year in (2000, 2019, 2020, 2100)  # leap, common, leap, common though divisible by 4
    for month, day in ((1, 1), (2, 28), (2, 29), (3, 1), (7, 31), (8, 1), (9, 30), (12, 31))
    if day <= calendar.monthrange(year, month)[1]
]
DAYS_LATER = [0, 1, 18, 19, 182, 183, 365, 366, 1095, 1461, 3652, 7305]
SCHOOL_YEAR_STARTS = [(8, 1), (1, 1), (2, 28), (2, 29), (2, 31), (3, 1), (9, 31), (12, 31)]


@pytest.mark.django_db
def test_the_database_finds_the_cohort_and_years_to_promotion_the_rules_give():
    """Each promotion's cohort (the school year of the first day in the role, for school years
    starting on a month's last days and leap days too) and years from that first day, as the
    promotions report groups them in SQL, equal ``school_year_of`` and ``years_between``."""
    org = OrganizationFactory()
    team = TeamFactory(organization=org)
    stage = CareerStage.objects.filter(organization=org).first() or CareerStage.objects.create(
        organization=org, title="Lead", order=1
    )
    for first_day in FIRST_DAYS:
        profile = ProfileFactory(team=team, role_start_date=first_day)
        Promotion.objects.bulk_create(
            Promotion(profile=profile, to_stage=stage, effective_on=first_day + timedelta(days))
            for days in DAYS_LATER
        )
    for month, day in SCHOOL_YEAR_STARTS:
        org.school_year_start_month, org.school_year_start_day = month, day
        parts, started = retention.school_year_started("profile__role_start_date", org)
        found = list(
            Promotion.objects.filter(profile__team=team)
            .annotate(**parts)
            .annotate(
                cohort=started,
                tenths=retention.tenths_of_years_between(
                    "effective_on", "profile__role_start_date"
                ),
            )
            .values_list("profile__role_start_date", "effective_on", "cohort", "tenths")
        )
        assert len(found) == len(FIRST_DAYS) * len(DAYS_LATER)
        for first_day, on, cohort, tenths in found:
            assert org.school_year(cohort) == org.school_year_of(first_day), (month, day, first_day)
            assert tenths / 10 == rules.years_between(first_day, on), (first_day, on)
