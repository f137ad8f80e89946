"""The read model follows every write: after any sequence of service calls, the maintained
rows equal a rebuild from scratch; and the dashboards read it (rebuild command, events)."""

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from assessments.events import ReviewSettingsChanged
from assessments.models import Assessment, AssessmentCycle, CategoryScore, Rating, ReviewSettings
from assessments.services import (
    PrincipalRatingInput,
    RatingInput,
    WorkflowError,
    assessment_acknowledge,
    assessment_finalize,
    assessment_recall,
    assessment_return,
    assessment_save_review,
    assessment_save_self,
    assessment_start,
    assessment_submit,
    feedback_answer_save,
    feedback_request_revoke,
    feedback_request_send,
    site_indicator_ids,
)
from coordinators import events
from coordinators.models import CoordinatorProfile, Team, User
from coordinators.services import organization_school_year_set, person_update
from dashboards import flags, overview_counts, read_model
from dashboards.events import FlagThresholdsChanged
from dashboards.models import (
    CoordinatorCycleRow,
    CycleOverviewCounts,
    CycleSummary,
    FlagThresholds,
)
from growth.check_in_services import cadence_set, check_in_create
from growth.mentoring_services import match_create, match_end
from growth.models import CareerStage, MentoringMatch, Support, SupportCatalogEntry
from growth.services import (
    GrowthError,
    career_position_set,
    catalogue_entry_delete,
    goal_create,
    support_create,
    support_delete,
    support_update,
)
from schoolsites.models import PartnershipAgreement
from schoolsites.services import (
    AgreementError,
    GoalInput,
    agreement_create,
    agreement_share,
    agreement_sign,
    agreement_update,
    required_signatories,
)
from tests.assessments.workflow_helpers import indicators_of
from tests.dashboards.dashboard_data import assess, open_cycle, past_cycles
from tests.factories import (
    OrganizationFactory,
    ProfileFactory,
    TeamFactory,
    UserFactory,
    details_of,
)

FIELDS = [
    field.attname
    for field in CoordinatorCycleRow._meta.concrete_fields
    if field.attname not in ("id", "written_at")  # when, not what
]


def hashable(values) -> tuple:
    """A row's values with its JSON (the flags' words) as sorted text, to go in a set."""
    return tuple(json.dumps(v, sort_keys=True) if isinstance(v, dict) else v for v in values)


def stored(organization_id: int) -> set[tuple]:
    return {
        hashable(values)
        for values in CoordinatorCycleRow.objects.filter(
            organization_id=organization_id
        ).values_list(*FIELDS)
    }


def rebuilt(organization_id: int) -> set[tuple]:
    """What a rebuild would store, computed without storing it."""
    profiles = CoordinatorProfile.objects.filter(organization_id=organization_id)
    return {
        hashable(getattr(row, name) for name in FIELDS)
        for row in read_model._rows_for(organization_id, profiles)
    }


LEVELS = st.integers(min_value=1, max_value=3)
WHO = st.integers(min_value=0, max_value=2)
TEXTS = st.sampled_from(["Evidence", ""])


class ServiceCalls(RuleBasedStateMachine):
    """Three coordinators with a finalized past cycle and an open one; each step is one
    service call a person can make. Refusals (a move the state does not allow) are fine."""

    def __init__(self):
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.org = OrganizationFactory()
        self.team = TeamFactory(organization=self.org)
        self.other_team = TeamFactory(organization=self.org)
        self.director = self.team.director
        self.profiles = [ProfileFactory(team=self.team) for _ in range(3)]
        (past,) = past_cycles(self.org, 1)
        for profile, levels in zip(self.profiles, [(3, 1, 2, 1), (2, 2, 2, 2)], strict=False):
            assess(profile, past, levels)
        self.cycle = open_cycle(self.org, due_in_days=-5)
        # Supports and mentoring during the step from the past cycle to this one (or not):
        # the impact report reads the groups the rows keep. A second director, so teams
        # change hands: calibration reads the director the rows keep.
        self.entry = SupportCatalogEntry.objects.create(
            organization=self.org, category_key="development", level=1, kind="pd", title="Course"
        )
        self.mentor = UserFactory(organization=self.org, roles=["coordinator"])
        self.deputy = UserFactory(organization=self.org, roles=["director"])
        self.stages = list(CareerStage.objects.filter(organization=self.org).order_by("order"))
        read_model.rebuild(organization_id=self.org.pk)  # after the factories' direct writes

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    def assessment(self, who: int) -> Assessment | None:
        return Assessment.objects.filter(cycle=self.cycle, coordinator=self.profiles[who]).first()

    def attempt(self, call, **kwargs):
        try:
            with transaction.atomic():
                call(**kwargs)
        except (WorkflowError, GrowthError, PermissionError, ValueError, AgreementError):
            pass
        except Exception as error:  # refusals of the access rules
            if type(error).__name__ not in {
                "PermissionDenied",
                "StaleAssessmentError",
                "StaleEdit",
            }:
                raise

    def ratings(self, assessment, level, text="Evidence"):
        return {i.pk: RatingInput(level, text) for i in indicators_of(assessment)}

    @rule(who=WHO)
    def start(self, who):
        profile = self.profiles[who]
        self.attempt(assessment_start, cycle=self.cycle, profile=profile, actor=profile.user)

    @rule(who=WHO, level=LEVELS, text=TEXTS)
    def save_and_submit(self, who, level, text):
        assessment = self.assessment(who)
        if assessment is None:
            return
        user = self.profiles[who].user
        self.attempt(
            assessment_save_self,
            assessment=assessment,
            actor=user,
            expected_version=assessment.version,
            ratings=self.ratings(assessment, level, text),
        )
        assessment.refresh_from_db()
        self.attempt(
            assessment_submit,
            assessment=assessment,
            actor=user,
            expected_version=assessment.version,
        )

    @rule(who=WHO)
    def recall(self, who):
        assessment = self.assessment(who)
        if assessment is not None:
            self.attempt(
                assessment_recall,
                assessment=assessment,
                actor=self.profiles[who].user,
                expected_version=assessment.version,
            )

    @rule(who=WHO)
    def give_back(self, who):
        assessment = self.assessment(who)
        if assessment is not None:
            self.attempt(
                assessment_return,
                assessment=assessment,
                actor=self.director,
                expected_version=assessment.version,
                note="Add evidence",
            )

    @rule(who=WHO, level=LEVELS, text=TEXTS)
    def save_draft(self, who, level, text):
        """A save alone (the matrix's background save, "Save draft"), which changes no row."""
        assessment = self.assessment(who)
        if assessment is not None:
            self.attempt(
                assessment_save_self,
                assessment=assessment,
                actor=self.profiles[who].user,
                expected_version=assessment.version,
                ratings=self.ratings(assessment, level, text),
            )

    @rule(who=WHO, level=LEVELS, text=TEXTS)
    def review_without_finalizing(self, who, level, text):
        """The director's save of a review alone, which changes no row either."""
        assessment = self.assessment(who)
        if assessment is not None and assessment.state == Assessment.State.SUBMITTED:
            self.save_review(
                assessment, who, level, text, "Talked it through.", "Visit a school site together."
            )

    def save_review(self, assessment, who, level, text, coaching_notes, next_steps):
        self.attempt(
            assessment_save_review,
            assessment=assessment,
            actor=self.reviewer(who),
            expected_version=assessment.version,
            ratings=self.ratings(assessment, level, text),
            coaching_notes=coaching_notes,
            next_steps=next_steps,
        )

    def reviewer(self, who: int):
        """The director of the coordinator's team now (the first director when it has none)."""
        team = CoordinatorProfile.objects.get(pk=self.profiles[who].pk).team
        return team.director if team is not None and team.director else self.director

    @rule(who=WHO, level=LEVELS, text=TEXTS)
    def finalize(self, who, level, text):
        # Without evidence or a note some of the time: calibration counts those ratings.
        assessment = self.assessment(who)
        if assessment is None or assessment.state != Assessment.State.SUBMITTED:
            return
        self.save_review(assessment, who, level, text, "", "")
        assessment.refresh_from_db()
        self.attempt(
            assessment_finalize,
            assessment=assessment,
            actor=self.reviewer(who),
            expected_version=assessment.version,
        )

    @rule(who=WHO, stage=st.integers(min_value=-1, max_value=3), years=st.integers(0, 12))
    def place(self, who, stage, years):
        chosen = self.stages[stage] if 0 <= stage < len(self.stages) else None
        self.attempt(
            career_position_set,
            profile=self.profiles[who],
            stage=chosen,
            since=timezone.localdate() - timedelta(days=365 * years),
            actor=self.director,
        )

    @rule(who=WHO, years=st.integers(0, 15))
    def move_start_in_role(self, who, years):
        profile = CoordinatorProfile.objects.select_related("user").get(pk=self.profiles[who].pk)
        user = profile.user
        self.attempt(
            person_update,
            person=user,
            actor=self.director,
            details=details_of(
                profile, role_start_date=timezone.localdate() - timedelta(days=365 * years + 3)
            ),
            expected_version=user.version,
        )

    @rule(
        who=WHO,
        last=st.sampled_from(["Ávila", "avila", "Zhu", "de la Cruz"]),
        first=st.sampled_from(["Ann", "émile", ""]),
    )
    def rename(self, who, last, first):
        """A new name moves the coordinator in the name order the rows keep."""
        profile = CoordinatorProfile.objects.select_related("user").get(pk=self.profiles[who].pk)
        user = profile.user
        self.attempt(
            person_update,
            person=user,
            actor=self.director,
            details=details_of(profile, last_name=last, first_name=first),
            expected_version=user.version,
        )

    @rule(who=WHO, days_ago=st.integers(0, 90))
    def check_in(self, who, days_ago):
        self.attempt(
            check_in_create,
            profile=self.profiles[who],
            actor=self.director,
            held_on=timezone.localdate() - timedelta(days=days_ago),
        )

    @rule(every=st.one_of(st.none(), st.integers(7, 60)))
    def cadence(self, every):
        self.attempt(cadence_set, team=self.team, every_days=every)

    @rule(who=WHO)
    def move_to_another_team(self, who):
        """A coordinator moves between a team with a cadence and one without."""
        profile = CoordinatorProfile.objects.select_related("user").get(pk=self.profiles[who].pk)
        user = profile.user
        team = self.other_team if profile.team_id == self.team.pk else self.team
        self.attempt(
            person_update,
            person=user,
            actor=self.director,
            details=details_of(profile, team=team),
            expected_version=user.version,
        )

    @rule(who=WHO, level=LEVELS, revoke=st.booleans())
    def principal_answers(self, who, level, revoke):
        """The principal of the coordinator's school is asked, answers with ``level`` on
        every School site indicator, and the request is perhaps revoked afterwards."""
        assessment = self.assessment(who)
        if assessment is None:
            return
        school = assessment.schools.first()
        self.attempt(
            feedback_request_send,
            assessment=assessment,
            school=school,
            actor=self.director,
            principal_name="Principal",
            principal_email="principal@school.example.org",
            email=False,
        )
        request = assessment.feedback_requests.first()
        if request is None:
            return
        self.attempt(
            feedback_answer_save,
            request=request,
            ratings={pk: PrincipalRatingInput(level) for pk in site_indicator_ids(assessment)},
            overall_comment="",
        )
        if revoke:
            self.attempt(feedback_request_revoke, request=request, actor=self.director)

    # Partnership agreements and the school year (the no-signed-agreement flag).

    def agreement_of(self, who: int, years_back: int):
        school = self.profiles[who].schools.first()
        year = self.org.school_year_of(timezone.localdate()).start_year - years_back
        return (
            school,
            year,
            PartnershipAgreement.objects.filter(school=school, school_year=year).first(),
        )

    @rule(who=WHO, years_back=st.integers(0, 1))
    def draft_agreement(self, who, years_back):
        school, year, _agreement = self.agreement_of(who, years_back)
        self.attempt(
            agreement_create,
            school=school,
            school_year=year,
            actor=self.director,
            fields={"principal_name": "P", "principal_email": "p@example.org"},
            goals=[GoalInput("Attendance up")],
        )

    @rule(who=WHO, years_back=st.integers(0, 1))
    def share_and_sign(self, who, years_back):
        _school, _year, agreement = self.agreement_of(who, years_back)
        if agreement is None:
            return
        self.attempt(agreement_share, agreement=agreement, actor=self.director)
        for role in required_signatories(agreement):
            self.attempt(
                agreement_sign, agreement=agreement, role=role, name="N", email="n@example.org"
            )

    @rule(who=WHO, years_back=st.integers(0, 1), words=st.sampled_from(["A", "B"]))
    def edit_terms(self, who, years_back, words):
        _school, _year, agreement = self.agreement_of(who, years_back)
        if agreement is None:
            return
        agreement.refresh_from_db()
        self.attempt(
            agreement_update,
            agreement=agreement,
            expected_version=agreement.version,
            fields={"role_covers": words},
            goals=[GoalInput("Attendance up")],
        )

    @rule(month=st.integers(1, 12), day=st.sampled_from([1, 15, 31]))
    def move_school_year_start(self, month, day):
        self.org.refresh_from_db()
        self.attempt(
            organization_school_year_set,
            organization=self.org,
            month=month,
            day=day,
            expected_version=self.org.version,
        )

    @rule(days=st.integers(0, 400))
    def change_agreement_grace(self, days):
        thresholds, _ = FlagThresholds.objects.get_or_create(organization=self.org)
        thresholds.agreement_grace_days = days
        thresholds.save(update_fields=["agreement_grace_days"])
        events.publish(FlagThresholdsChanged(organization_id=self.org.pk))

    @rule(who=WHO, response=st.sampled_from(["", "Thank you."]))
    def acknowledge(self, who, response):
        assessment = self.assessment(who)
        if assessment is None:
            return
        self.attempt(
            assessment_acknowledge,
            assessment=assessment,
            actor=self.profiles[who].user,
            expected_version=assessment.version,
            response=response,
        )

    @rule(on=st.booleans(), days=st.integers(1, 60))
    def change_acknowledgement(self, on, days):
        settings_row, _ = ReviewSettings.objects.get_or_create(organization=self.org)
        settings_row.acknowledgement_on = on
        settings_row.acknowledgement_overdue_days = days
        settings_row.save(update_fields=["acknowledgement_on", "acknowledgement_overdue_days"])
        events.publish(ReviewSettingsChanged(organization_id=self.org.pk))

    @rule(
        who=WHO,
        days_ago=st.one_of(st.none(), st.integers(0, 400)),
        kind=st.sampled_from(["pd", "network"]),
        from_catalogue=st.booleans(),
    )
    def give_support(self, who, days_ago, kind, from_catalogue):
        """A support that starts during the step, before it, after it, or on no given day
        (it counts from the day it is recorded)."""
        self.attempt(
            support_create,
            profile=self.profiles[who],
            actor=self.director,
            kind=kind,
            title="A support",
            network_scope="local" if kind == "network" else "",
            starts_on=None if days_ago is None else timezone.localdate() - timedelta(days=days_ago),
            catalog_entry=self.entry if from_catalogue else None,
        )

    @rule(who=WHO, days_ago=st.integers(0, 400), remove=st.booleans())
    def move_or_remove_support(self, who, days_ago, remove):
        support = Support.objects.filter(coordinator=self.profiles[who]).order_by("pk").first()
        if support is None:
            return
        if remove:
            self.attempt(support_delete, support=support)
        else:
            self.attempt(
                support_update,
                support=support,
                expected_version=support.version,
                starts_on=timezone.localdate() - timedelta(days=days_ago),
            )

    @rule(
        who=WHO,
        days_ago=st.integers(0, 400),
        lasts=st.one_of(st.none(), st.integers(0, 400)),
    )
    def mentor_or_end(self, who, days_ago, lasts):
        """A mentoring match made (open-ended or not), or the coordinator's first one ended."""
        match = MentoringMatch.objects.filter(mentee=self.profiles[who]).order_by("pk").first()
        starts_on = timezone.localdate() - timedelta(days=days_ago)
        if match is not None and lasts is not None:
            ends_on = match.starts_on + timedelta(days=lasts)
            self.attempt(match_end, match=match, ends_on=ends_on, actor=self.director)
            return
        self.attempt(
            match_create,
            mentee=self.profiles[who],
            mentor=self.mentor,
            actor=self.director,
            starts_on=starts_on,
            ends_on=None if lasts is None else starts_on + timedelta(days=lasts),
        )

    @rule(other=st.booleans(), director=st.sampled_from(["first", "deputy", None]))
    def change_director(self, other, director):
        """A team is given another director, or none, as the admin's team form does."""
        team = Team.objects.get(pk=(self.other_team if other else self.team).pk)
        team.director = {"first": self.director, "deputy": self.deputy, None: None}[director]
        with transaction.atomic():
            team.save(update_fields=["director"])
            events.publish(events.OrganizationStructureChanged(organization_id=self.org.pk))

    @invariant()
    def maintained_rows_equal_a_rebuild(self):
        assert stored(self.org.pk) == rebuilt(self.org.pk)

    @invariant()
    def rows_read_back_equal_rows_computed_from_the_assessments(self):
        assert_pages_read_back_as_computed(self.org)

    @invariant()
    def trend_counts_equal_counts_of_the_assessments(self):
        assert trend_counts_kept(self.org) == trend_counts_of_assessments(self.org)

    @invariant()
    def kept_overview_counts_equal_a_count_of_the_rows(self):
        assert_overview_counts_kept_as_counted(self.org)


def assert_overview_counts_kept_as_counted(org):
    """Each cycle's overview counts, where kept, are a count of its rows on every day they
    are read for (from the day they were counted to the day before the next flag starts);
    and the overview shows, today and on the days tenure flags come, what a count shows."""
    today = timezone.localdate()
    for cycle in AssessmentCycle.objects.filter(organization=org):
        kept = CycleOverviewCounts.objects.filter(cycle=cycle).first()
        if kept is not None:
            days = [kept.counted_on]
            if kept.changes_on is not None:
                assert kept.changes_on > kept.counted_on
                days.append(kept.changes_on - timedelta(days=1))
            for day in days:
                counted = overview_counts.count_cycle(
                    cycle_id=cycle.pk, as_of=day, schools=overview_counts.SCHOOLS_KEPT
                )
                assert counted.as_kept() == kept.counts
                assert counted.changes_on == kept.changes_on
        for days_later in (4000, 400, 0):  # today's last: what the next step's write meets
            as_of = overview_counts.counted_as_of(cycle, today + timedelta(days=days_later))
            read = overview_counts.kept_counts(cycle, as_of)
            counted = overview_counts.count_cycle(
                cycle_id=cycle.pk, as_of=as_of, schools=overview_counts.SCHOOLS_KEPT
            )
            assert read.as_kept() == counted.as_kept()


def trend_counts_kept(org) -> dict:
    """Each cycle's trend counts as the read model keeps them (``CycleSummary``)."""
    kept = {}
    for cycle_id, counts in CycleSummary.objects.filter(organization=org).values_list(
        "cycle_id", "counts"
    ):
        kept[cycle_id] = (
            {(state, version): n for state, version, n in counts["states"]},
            {
                key: {int(level): n for level, n in levels.items()}
                for key, levels in counts["levels"].items()
            },
        )
    return kept


def trend_counts_of_assessments(org) -> dict:
    """The same counted over the assessments and their category scores themselves."""
    counted = {cycle.pk: ({}, {}) for cycle in AssessmentCycle.objects.filter(organization=org)}
    for assessment in Assessment.objects.filter(cycle__organization=org):
        states, levels = counted[assessment.cycle_id]
        key = (assessment.state, assessment.rubric_version_id)
        states[key] = states.get(key, 0) + 1
        if assessment.state != Assessment.State.FINALIZED:
            continue
        for score in CategoryScore.objects.filter(assessment=assessment):
            level = score.supervisor_level or score.self_level
            if level is not None:
                per_level = levels.setdefault(score.category_key, {})
                per_level[level] = per_level.get(level, 0) + 1
    return counted


def assert_pages_read_back_as_computed(org, days=(0, 400, 4000)):
    """What a dashboard shows from the stored rows (levels, their words, every flag with its
    explanation) is what the rows computed from the assessments say, for every cycle and on
    days when the tenure flags come and the overdue counts grow."""
    from dashboards.selectors.common import organization_cycles, page_facts
    from dashboards.selectors.team import (
        ROWS,
        STORED_JOINS,
        dashboard_rows,
        stored_rows,
        stored_select,
    )

    cycles = organization_cycles(org)
    profiles = CoordinatorProfile.objects.filter(organization=org)
    for cycle in cycles:
        for days_later in days:
            as_of = timezone.localdate() + timedelta(days=days_later)
            select, params = stored_select(as_of)  # which flags are raised, judged in SQL
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {select} FROM {ROWS} r {STORED_JOINS} WHERE r.cycle_id = %s "
                    "ORDER BY r.coordinator_id",
                    [*params, cycle.pk],
                )
                values = cursor.fetchall()
            context = page_facts(org, cycle, as_of)
            context = replace(context, as_of=as_of)
            computed = sorted(
                dashboard_rows(profiles=profiles, context=context), key=lambda row: row.person.pk
            )
            read = stored_rows(values, context=context, cycle_names={c.pk: c.name for c in cycles})
            assert read == computed


@pytest.mark.django_db
def test_maintained_rows_always_equal_a_rebuild():
    run_state_machine_as_test(
        ServiceCalls,
        settings=settings(
            max_examples=8,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )


@pytest.mark.django_db
def test_supports_mentoring_and_directors_reach_the_kept_rows_of_a_step():
    """A step from the past cycle to this one: the support groups had during it and the
    director of its review follow each write, as a rebuild would compute them."""
    machine = ServiceCalls()
    try:
        machine.start(0)
        machine.save_and_submit(0, 2, "Evidence")
        machine.finalize(0, 3, "")
        past = CoordinatorCycleRow.objects.exclude(cycle=machine.cycle).filter(
            coordinator=machine.profiles[0]
        )

        def kept():
            machine.maintained_rows_equal_a_rebuild()
            return past.values_list("support_groups", "review_director_id").get()

        assert kept() == ("", machine.director.pk)
        machine.give_support(0, 100, "pd", True)
        machine.give_support(0, 5, "network", False)  # after the step: not counted
        assert kept() == (f",entry:{machine.entry.pk},kind:pd,", machine.director.pk)
        machine.mentor_or_end(0, 400, None)  # began before the step, still going
        assert kept()[0] == f",entry:{machine.entry.pk},kind:mentoring,kind:pd,"
        machine.mentor_or_end(0, 0, 10)  # ended before the step began
        assert kept()[0] == f",entry:{machine.entry.pk},kind:pd,"
        machine.move_or_remove_support(0, 0, False)  # moved to today: after the step
        assert kept()[0] == ""
        machine.give_support(0, 50, "pd", True)
        assert kept()[0] == f",entry:{machine.entry.pk},kind:pd,"
        catalogue_entry_delete(entry=machine.entry)  # the support stays, under its kind only
        assert kept()[0] == ",kind:pd,"
        for _support in range(3):
            machine.move_or_remove_support(0, 0, True)
        assert kept()[0] == ""
        machine.change_director(False, "deputy")
        assert kept() == ("", machine.deputy.pk)
        machine.change_director(False, None)
        assert kept() == ("", None)
    finally:
        machine.teardown()


@pytest.mark.django_db
def test_rebuild_command_writes_one_row_per_coordinator_and_cycle(org, team):
    past = past_cycles(org, 2)
    current = open_cycle(org)
    profiles = [ProfileFactory(team=team) for _ in range(3)]
    assess(profiles[0], past[0], (3, 1, 2, 2))
    CoordinatorCycleRow.objects.all().delete()
    call_command("rebuild_read_model", stdout=open("/dev/null", "w"))
    assert CoordinatorCycleRow.objects.filter(organization=org).count() == 3 * 3
    row = CoordinatorCycleRow.objects.get(coordinator=profiles[0], cycle=current)
    assert (row.level_coordinator, row.level_site, row.levels_reviewed) == (3, 1, True)
    assert row.site_gap_from == flags.ALWAYS
    assert row.levels_cycle_id == past[0].pk


def refresh_queries(org, person, cycle) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        read_model.coordinators_refresh(
            organization_id=org.pk, coordinator_ids=[person.pk], cycle_ids=[cycle.pk]
        )
    return [q["sql"] for q in queries]


@pytest.mark.django_db
def test_a_moves_refresh_reads_the_same_queries_whatever_the_organizations_size(org, team):
    """One coordinator's row in one cycle, as a submit refreshes it: the organization comes
    with its flag thresholds and review settings, and the count does not grow with people."""
    past = past_cycles(org, 2)
    current = open_cycle(org)
    ReviewSettings.objects.create(organization=org, acknowledgement_overdue_days=9)
    person = ProfileFactory(team=team)
    assess(person, past[0], (3, 1, 2, 2))
    refresh_queries(org, person, current)  # its row now stored: each refresh below reads only
    few = refresh_queries(org, person, current)
    for _ in range(12):
        assess(ProfileFactory(team=team), past[0], (2, 2, 2, 2))
    many = refresh_queries(org, person, current)
    assert len(few) == len(many) <= 20
    settings_read = [sql for sql in many if 'FROM "dashboards_flagthresholds"' in sql]
    settings_read += [sql for sql in many if 'FROM "assessments_reviewsettings"' in sql]
    assert settings_read == []
    assert any('"assessments_reviewsettings"' in sql for sql in many)


@pytest.mark.django_db
def test_threshold_and_goal_changes_reach_the_read_model_and_the_version(
    client, org, team, admin_user
):
    (past,) = past_cycles(org, 1)
    open_cycle(org)
    profile = ProfileFactory(team=team)
    assess(profile, past, (2, 1, 2, 2))  # one level apart: a site gap at the default threshold
    read_model.rebuild(organization_id=org.pk)
    row = CoordinatorCycleRow.objects.get(coordinator=profile, cycle=past)
    assert row.site_gap_from == flags.ALWAYS
    before = read_model.version_of(org.pk)
    thresholds, _ = FlagThresholds.objects.get_or_create(organization=org)
    client.force_login(admin_user)
    data = {name: getattr(thresholds, name) for name in flags.Thresholds.__dataclass_fields__} | {
        "site_gap_levels": 2,
        "version": thresholds.version,
    }
    response = client.post(reverse("dashboards:flag-thresholds"), data)
    assert response.status_code == 302, response.content[:2000]
    row = CoordinatorCycleRow.objects.get(coordinator=profile, cycle=past)
    assert row.site_gap_from is None
    assert stored(org.pk) == rebuilt(org.pk)
    assert read_model.version_of(org.pk) > before
    before = read_model.version_of(org.pk)
    goal_create(
        profile=profile,
        actor=admin_user,
        category_key="site",
        target_level=2,
        target_date=timezone.localdate() + timedelta(days=30),
    )
    assert read_model.version_of(org.pk) > before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "flag,status",
    [("", ""), (flags.SITE_GAP, ""), (flags.OVERDUE, ""), (flags.STALLED, ""), ("", "submitted")],
)
@pytest.mark.parametrize("organization_wide", [False, True])
def test_sql_filters_and_sorts_as_the_rows_in_memory(
    org, team, other_team, flag, status, organization_wide
):
    """Every sort, ascending and descending, with and without a flag or status filter: the
    read model's order in SQL is the order the rows computed in memory take, through the ORM
    and as the SQL written for an org admin's page that no filter narrows to some people
    (with its counts)."""
    from dashboards.selectors.common import page_facts
    from dashboards.selectors.team import (
        SORT_KEYS,
        ReadModelRows,
        dashboard_rows,
        rows_filtered_and_sorted,
    )
    from tests.dashboards.dashboard_data import build_team

    cycles = past_cycles(org, 2)
    current = open_cycle(org, due_in_days=-3)
    build_team(team, 6, cycles, current)
    build_team(other_team, 5, cycles, current)
    # Names whose order turns on case and on letters beyond ASCII, and a shared last name.
    names = [("émile", "Ávila"), ("Ann", "avila"), ("Bo", "Zhu"), ("al", "zhu"), ("", "Zhu")]
    people = CoordinatorProfile.objects.filter(organization=org).order_by("pk")
    for profile, (first, last) in zip(people, names, strict=False):
        User.objects.filter(pk=profile.user_id).update(first_name=first, last_name=last)
    read_model.rebuild(organization_id=org.pk)
    profiles = CoordinatorProfile.objects.filter(organization=org, active=True)
    context = page_facts(org, current)
    in_memory = dashboard_rows(profiles=profiles, context=context)
    # A coordinator who left keeps their rows, and is on no page.
    gone = CoordinatorProfile.objects.filter(organization=org, team=team).first()
    gone.active = False
    gone.save(update_fields=["active"])
    profiles = CoordinatorProfile.objects.filter(organization=org, active=True)
    in_memory = [row for row in in_memory if row.person.pk != gone.pk]
    for column in SORT_KEYS:
        for sort in (column, f"-{column}"):
            expected = rows_filtered_and_sorted(in_memory, flag=flag, status=status, sort=sort)
            stored = ReadModelRows(
                profiles=profiles,
                context=context,
                flag=flag,
                status=status,
                sort=sort,
                cycles=[*cycles, current],
                everyone_of=org.pk if organization_wide else None,
            )
            # The same rows in the same order, each as computed (levels, words, flags).
            assert list(stored) == expected, sort
            assert [row.person.pk for row in stored[3:7]] == [
                row.person.pk for row in expected[3:7]
            ]
            counts = stored.counts()
            assert (counts.total, counts.shown) == (len(in_memory), len(expected))
            assert counts.any_reviewed == any(
                cell.value and not cell.submitted_only for row in in_memory for cell in row.cells
            )
    assert_pages_read_back_as_computed(org)


@pytest.mark.django_db
def test_a_finalized_row_keeps_its_reviews_levels_and_its_ratings_without_evidence_or_note(
    org, team
):
    """What calibration sums: the supervisor and self levels of the row's own review, its
    ratings, all and those with neither evidence nor a note, and how long the review took;
    nothing before it is finalized."""
    past, current = past_cycles(org, 2)
    profile = ProfileFactory(team=team)
    reviewed = assess(profile, past, (3, 1, 2, 1), self_levels=(2, 2, 2, 3))
    assess(profile, current, state="submitted")
    ratings = Rating.objects.filter(assessment=reviewed)
    ratings.update(self_evidence="", supervisor_note="")
    ratings.filter(pk__in=list(ratings.values_list("pk", flat=True)[:2])).update(
        supervisor_note="Seen at the site visit"
    )
    read_model.rebuild(organization_id=org.pk)
    row = CoordinatorCycleRow.objects.get(coordinator=profile, cycle=past)
    levels = {
        key: (row_self, row_supervisor)
        for key, row_self, row_supervisor in CategoryScore.objects.filter(
            assessment=reviewed
        ).values_list("category_key", "self_level", "supervisor_level")
    }
    assert levels["coordinator"] == (2, 3) and levels["development"] == (3, 1)
    for key, (own, supervisor) in levels.items():
        assert getattr(row, f"self_level_{key}") == own
        assert getattr(row, f"supervisor_level_{key}") == supervisor
    assert (row.ratings, row.ratings_bare) == (ratings.count(), ratings.count() - 2)
    # Submitted three days before it was finalized, to the microsecond.
    assert row.review_microseconds == 3 * 24 * 3600 * 1_000_000
    submitted = CoordinatorCycleRow.objects.get(coordinator=profile, cycle=current)
    assert (submitted.ratings, submitted.ratings_bare, submitted.supervisor_level_site) == (
        0,
        0,
        None,
    )
    assert submitted.review_microseconds is None


@pytest.mark.django_db
def test_saves_of_a_draft_a_returned_assessment_and_a_review_change_no_row(org, team):
    """The read model leaves a save's event alone: each save, by the coordinator of their draft
    or returned assessment or by the director of the review, leaves the rows equal to a
    rebuild and the dashboards' version where it was; the moves still show at once."""
    profile = ProfileFactory(team=team)  # no review before: a row would show a draft's levels
    cycle = open_cycle(org)
    assessment = assessment_start(cycle=cycle, profile=profile, actor=profile.user)
    read_model.rebuild(organization_id=org.pk)

    def ratings(level, text):
        return {i.pk: RatingInput(level, text) for i in indicators_of(assessment)}

    def then(call, *, changes_rows, **kwargs):
        version = read_model.version_of(org.pk)
        assessment.refresh_from_db()
        call(assessment=assessment, expected_version=assessment.version, **kwargs)
        assert stored(org.pk) == rebuilt(org.pk)
        assert (read_model.version_of(org.pk) > version) is changes_rows

    director = team.director
    then(assessment_save_self, actor=profile.user, ratings=ratings(1, "A"), changes_rows=False)
    then(assessment_save_self, actor=profile.user, ratings=ratings(3, ""), changes_rows=False)
    then(assessment_submit, actor=profile.user, changes_rows=True)
    review = {"coaching_notes": "Talked", "next_steps": "Visit a site"}
    then(
        assessment_save_review,
        actor=director,
        ratings=ratings(2, "B"),
        changes_rows=False,
        **review,
    )
    then(assessment_return, actor=director, note="Add evidence", changes_rows=True)
    then(assessment_save_self, actor=profile.user, ratings=ratings(2, "C"), changes_rows=False)
    then(assessment_submit, actor=profile.user, changes_rows=True)
    then(
        assessment_save_review, actor=director, ratings=ratings(1, ""), changes_rows=False, **review
    )
    then(assessment_finalize, actor=director, changes_rows=True)
    row = CoordinatorCycleRow.objects.get(coordinator=profile, cycle=cycle)
    assert row.status == Assessment.State.FINALIZED and row.supervisor_level_site == 1


@pytest.mark.django_db
def test_after_migrate_an_organization_without_rows_gets_them(org, team):
    """A database made before the read model: ``migrate`` fills it (post_migrate)."""
    (past,) = past_cycles(org, 1)
    ProfileFactory(team=team)
    CoordinatorCycleRow.objects.all().delete()
    read_model.rebuild_missing()
    assert stored(org.pk) == rebuilt(org.pk) != set()


@pytest.mark.django_db
def test_signing_the_agreement_clears_the_flag_and_editing_it_brings_it_back(org, team):
    current = open_cycle(org)
    profile = ProfileFactory(team=team)
    school = profile.schools.get()
    read_model.rebuild(organization_id=org.pk)
    year = org.school_year_of(current.opens_on)
    row = CoordinatorCycleRow.objects.get(coordinator=profile, cycle=current)
    assert row.no_agreement_from is None  # an organization that makes no agreements

    agreement = agreement_create(
        school=school,
        school_year=year.start_year,
        actor=team.director,
        fields={"principal_name": "P", "principal_email": "p@example.org"},
        goals=[GoalInput("Attendance up")],
    )
    row = CoordinatorCycleRow.objects.get(coordinator=profile, cycle=current)
    assert row.no_agreement_from == year.starts + timedelta(days=45)
    agreement_share(agreement=agreement, actor=team.director)
    for role in required_signatories(agreement):
        agreement_sign(agreement=agreement, role=role, name="N", email="n@example.org")
    agreement.refresh_from_db()
    assert agreement.state == "signed"
    row = CoordinatorCycleRow.objects.get(coordinator=profile, cycle=current)
    assert row.no_agreement_from is None

    agreement_update(
        agreement=agreement,
        expected_version=agreement.version,
        fields={"role_covers": "More than before"},
        goals=[GoalInput("Attendance up")],
    )
    row = CoordinatorCycleRow.objects.get(coordinator=profile, cycle=current)
    assert row.no_agreement_from == year.starts + timedelta(days=45)
    assert stored(org.pk) == rebuilt(org.pk)


@pytest.mark.django_db
def test_a_review_left_unacknowledged_is_flagged_until_acknowledged_or_no_longer_asked(
    client, org, team, admin_user
):
    """The org admin's days after the review was finalized, the director's dashboard flags it;
    the coordinator's acknowledgement clears it, and so does turning acknowledgement off."""
    current = open_cycle(org)
    profile = ProfileFactory(team=team)
    assessment = assess(profile, current)
    finalized = timezone.now() - timedelta(days=20)
    Assessment.objects.filter(pk=assessment.pk).update(finalized_at=finalized)
    read_model.rebuild(organization_id=org.pk)
    row = CoordinatorCycleRow.objects.get(coordinator=profile, cycle=current)
    assert row.not_acknowledged_from == timezone.localdate(finalized) + timedelta(days=14)
    dashboard = reverse("dashboards:team-dashboard")
    client.force_login(team.director)
    page = client.get(dashboard, {"flag": flags.NOT_ACKNOWLEDGED}).content.decode()
    assert "Review not acknowledged" in page and profile.user.display_name in page
    assert "is not acknowledged after 20 days (expected within 14)" in page

    # The admin gives coordinators 30 days: not yet.
    client.force_login(admin_user)
    response = client.post(
        reverse("evidence:review-settings"),
        {
            "acknowledgement_on": "on",
            "acknowledgement_overdue_days": "30",
            "evidence_kinds": ["pdf"],
            "version": "1",
        },
    )
    assert response.status_code == 302
    row = CoordinatorCycleRow.objects.get(coordinator=profile, cycle=current)
    assert row.not_acknowledged_from == timezone.localdate(finalized) + timedelta(days=30)
    # Turned off: never.
    ReviewSettings.objects.filter(organization=org).update(acknowledgement_on=False)
    events.publish(ReviewSettingsChanged(organization_id=org.pk))
    assert (
        CoordinatorCycleRow.objects.get(coordinator=profile, cycle=current).not_acknowledged_from
        is None
    )
    ReviewSettings.objects.filter(organization=org).update(acknowledgement_on=True)
    events.publish(ReviewSettingsChanged(organization_id=org.pk))

    before = read_model.version_of(org.pk)
    assessment.refresh_from_db()
    assessment_acknowledge(
        assessment=assessment,
        actor=profile.user,
        expected_version=assessment.version,
        response="Thank you.",
    )
    row = CoordinatorCycleRow.objects.get(coordinator=profile, cycle=current)
    assert row.not_acknowledged_from is None
    assert flags.NOT_ACKNOWLEDGED not in row.flag_words
    assert read_model.version_of(org.pk) > before
    assert stored(org.pk) == rebuilt(org.pk)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the reads run together in one statement on PostgreSQL (.ci/run's second pass)",
)
@pytest.mark.django_db
def test_a_moves_refresh_reads_everything_in_one_round_trip(org, team):
    """Under load every round trip waits for the interpreter lock again: a move's refresh
    reads the organization and its coordinator in one statement, then only writes (the
    trend's counts are read locked, to be moved)."""
    past = past_cycles(org, 2)
    current = open_cycle(org)
    person = ProfileFactory(team=team)
    assess(person, past[0], (3, 1, 2, 2))
    queries = refresh_queries(org, person, current)
    reads = [sql for sql in queries if not sql.startswith(("INSERT", "UPDATE", "DELETE"))]
    assert len(reads) == 1 and reads[0].startswith("EXECUTE growthmatrix_reads_")
    assert 'FROM "dashboards_coordinatorcyclerow"' in reads[0]
    assert 'FROM "schoolsites_partnershipagreement"' in reads[0]
