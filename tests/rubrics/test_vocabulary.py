"""The words for categories and levels: the rubric's own, else the product's defaults."""

import pytest

from rubrics.vocabulary import (
    CATEGORY_KEYS,
    DEFAULT_CATEGORY_NAMES,
    DEFAULT_LEVEL_NAMES,
    DEFAULT_NAMES,
    MAX_LEVEL,
    MIN_LEVEL,
    Names,
)

RENAMED = Names(
    categories={"coordinator": "Coach", "site": ""},
    levels={1: "Emerging", 2: "", 3: "Leading"},
)


def test_the_default_words():
    assert [DEFAULT_NAMES.category(key) for key in CATEGORY_KEYS] == [
        "Coordinator",
        "School site",
        "Organizational supports",
        "Development",
    ]
    assert [DEFAULT_NAMES.level(value) for value in range(MIN_LEVEL, MAX_LEVEL + 1)] == [
        "Novice",
        "Proficient",
        "Expert",
    ]


def test_a_rubric_names_its_own_categories_and_levels():
    assert RENAMED.category("coordinator") == "Coach"
    assert RENAMED.level(1) == "Emerging"
    assert RENAMED.level(3) == "Leading"


def test_a_word_the_rubric_leaves_blank_or_out_is_the_default():
    assert RENAMED.category("site") == "School site"  # blank
    assert RENAMED.category("development") == "Development"  # left out
    assert RENAMED.level(2) == "Proficient"  # blank
    assert Names(levels={}).level(1) == "Novice"  # left out


def test_words_for_what_has_no_name():
    assert DEFAULT_NAMES.level(None) == "Not rated"
    assert DEFAULT_NAMES.level(7) == "7"
    assert DEFAULT_NAMES.category("attendance") == "attendance"


def test_each_names_has_its_own_words():
    """Two rubrics' names never share one dictionary, so one cannot change the other's."""
    first, second = Names(), Names()
    assert first.categories == DEFAULT_CATEGORY_NAMES and first.levels == DEFAULT_LEVEL_NAMES
    assert first.categories is not second.categories
    assert first.levels is not second.levels


def test_role_family_names_take_their_english_plural():
    from rubrics.vocabulary import plural_noun

    assert plural_noun("community school coordinator") == "community school coordinators"
    assert plural_noun("instructional coach") == "instructional coaches"
    assert plural_noun("Partnership staff") == "Partnership staff"
    assert plural_noun("family ally") == "family allies"
    assert plural_noun("data analyst") == "data analysts"
    assert plural_noun("school bus") == "school buses"
    assert plural_noun("relay") == "relays"
    assert plural_noun("") == ""


@pytest.mark.parametrize(
    ("name", "plural"),
    [
        ("liaison for tax", "liaison for taxes"),
        ("blitz", "blitzes"),
        ("outreach push", "outreach pushes"),
        ("monkey", "monkeys"),
        ("envoy", "envoys"),
        ("guy", "guys"),
        ("Kiy", "Kiys"),  # a vowel before the y: only an s
        ("y", "ys"),  # nothing before the y: only an s
    ],
)
def test_every_ending_of_an_english_plural(name, plural):
    from rubrics.vocabulary import plural_noun

    assert plural_noun(name) == plural
