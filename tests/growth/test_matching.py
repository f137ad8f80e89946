"""The mentor suggestions: the documented score, its reasons in words, and who is never
suggested."""

from hypothesis import given
from hypothesis import strategies as st

from growth.matching import MenteeFacts, MentorCandidate, score_mentor, suggest_mentors
from rubrics.vocabulary import Names

NOVICE_SITE = {"coordinator": 2, "site": 1, "organization": 2, "development": 1}


def mentor(user_id=10, name="Ana Ruiz", **kwargs) -> MentorCandidate:
    return MentorCandidate(user_id=user_id, name=name, **kwargs)


def test_expert_where_the_mentee_is_novice_scores_three_per_category_and_names_them():
    mentee = MenteeFacts(user_id=1, levels=NOVICE_SITE)
    strong = mentor(levels={"coordinator": 3, "site": 3, "organization": 3, "development": 3})
    score, reasons = score_mentor(mentee, strong)
    assert score == 6
    assert reasons[0] == "Expert where the mentee is Novice: School site and Development"


def test_same_school_level_setting_and_family_count_two_each():
    mentee = MenteeFacts(
        user_id=1,
        school_levels=frozenset({"middle"}),
        settings=frozenset({"rural"}),
        role_family_id=4,
    )
    alike = mentor(
        school_levels=frozenset({"middle", "high"}),
        settings=frozenset({"rural"}),
        role_family_id=4,
    )
    score, reasons = score_mentor(mentee, alike)
    assert score == 6
    assert "Works at middle schools too" in reasons
    assert "Also at rural schools" in reasons
    assert "Same role family" in reasons
    assert reasons[-1] == "Not their director; can take 2 more mentees"


def test_nothing_in_common_scores_zero_but_still_says_why_it_is_listed():
    score, reasons = score_mentor(MenteeFacts(user_id=1), mentor(capacity=2, mentees=1))
    assert score == 0
    assert reasons == ("Not their director; can take 1 more mentee",)


def test_the_director_the_mentee_a_current_mentor_and_the_full_are_never_suggested():
    mentee = MenteeFacts(user_id=1, director_id=2, current_mentor_ids=frozenset({3}))
    candidates = [
        mentor(1, "Self"),
        mentor(2, "Director"),
        mentor(3, "Current"),
        mentor(4, "Full", mentees=2, capacity=2),
        mentor(5, "Free"),
    ]
    assert [s.name for s in suggest_mentors(mentee, candidates)] == ["Free"]


def test_best_score_first_then_names():
    mentee = MenteeFacts(user_id=1, role_family_id=7)
    found = suggest_mentors(
        mentee, [mentor(5, "Zoe"), mentor(6, "Bea"), mentor(7, "Yan", role_family_id=7)]
    )
    assert [(s.name, s.score) for s in found] == [("Yan", 2), ("Bea", 0), ("Zoe", 0)]


LEVEL = st.one_of(st.none(), st.integers(1, 3))
LEVELS = st.fixed_dictionaries(
    {key: LEVEL for key in ("coordinator", "site", "organization", "development")}
)
KINDS = st.frozensets(st.sampled_from(["elementary", "middle", "high"]))
SETTINGS = st.frozensets(st.sampled_from(["urban", "suburban", "rural"]))
CANDIDATES = st.lists(
    st.builds(
        MentorCandidate,
        user_id=st.integers(1, 30),
        name=st.sampled_from(["Ana", "Bo", "ana", "Cy"]),
        levels=LEVELS,
        school_levels=KINDS,
        settings=SETTINGS,
        role_family_id=st.one_of(st.none(), st.integers(1, 2)),
        mentees=st.integers(0, 4),
        capacity=st.integers(1, 3),
    ),
    max_size=12,
    unique_by=lambda candidate: candidate.user_id,
)
MENTEES = st.builds(
    MenteeFacts,
    user_id=st.integers(1, 30),
    levels=LEVELS,
    school_levels=KINDS,
    settings=SETTINGS,
    role_family_id=st.one_of(st.none(), st.integers(1, 2)),
    director_id=st.one_of(st.none(), st.integers(1, 30)),
    current_mentor_ids=st.frozensets(st.integers(1, 30), max_size=3),
)


@given(MENTEES, CANDIDATES)
def test_never_over_capacity_never_the_director_never_themself(mentee, candidates):
    for suggestion in suggest_mentors(mentee, candidates):
        assert suggestion.user_id not in (mentee.user_id, mentee.director_id)
        assert suggestion.user_id not in mentee.current_mentor_ids
        assert suggestion.places_left > 0


@given(MENTEES, CANDIDATES)
def test_order_is_by_score_then_name_and_does_not_depend_on_the_input_order(mentee, candidates):
    found = suggest_mentors(mentee, candidates)
    keys = [(-s.score, s.name.casefold(), s.user_id) for s in found]
    assert keys == sorted(keys)
    assert suggest_mentors(mentee, candidates[::-1]) == found


@given(MENTEES, CANDIDATES)
def test_the_score_is_the_sum_of_its_documented_parts(mentee, candidates):
    for candidate in candidates:
        score, reasons = score_mentor(mentee, candidate)
        assert score % 2 == 0 or any(r.startswith("Expert") for r in reasons)
        assert score >= 0
        assert reasons[-1].startswith("Not their director")


def test_every_reason_in_full_in_the_rubric_s_own_words():
    names = Names(
        categories={"coordinator": "Lead", "site": "Campus", "development": "Growth"},
        levels={1: "Starting", 3: "Leading"},
    )
    mentee = MenteeFacts(
        user_id=1,
        levels={"coordinator": 1, "site": 1, "organization": 2, "development": 1},
        school_levels=frozenset({"middle", "high", "elementary"}),
        settings=frozenset({"rural"}),
        role_family_id=4,
    )
    alike = mentor(
        levels={"coordinator": 3, "site": 3, "organization": 3, "development": 3},
        school_levels=frozenset({"middle", "high", "elementary"}),
        settings=frozenset({"rural", "urban"}),
        role_family_id=4,
        capacity=3,
        mentees=1,
    )
    (suggestion,) = suggest_mentors(mentee, [alike], names)
    assert suggestion.score == 3 * 3 + 2 + 2 + 2
    assert suggestion.reasons == (
        "Leading where the mentee is Starting: Lead, Campus and Growth",
        "Works at elementary, high and middle schools too",
        "Also at rural schools",
        "Same role family",
        "Not their director; can take 2 more mentees",
    )
    assert suggestion.places_left == 2
