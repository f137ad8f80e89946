"""The category score rule: the median of the rated indicator levels, rounded down."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.scoring import category_level


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ([], None),
        ([None, None], None),
        ([2], 2),
        ([1, 2], 1),  # median 1.5 rounds down
        ([2, 3], 2),
        ([1, 3], 2),
        ([1, 2, 3], 2),
        ([1, 1, 3, 3], 2),
        ([3, 3, 3, 1], 3),
        ([3, None, 1, None], 2),  # unrated indicators do not count
    ],
)
def test_category_level_is_the_median_rounded_down(levels, expected):
    assert category_level(levels) == expected


@given(st.lists(st.integers(min_value=1, max_value=3), min_size=1, max_size=12))
def test_category_level_lies_between_lowest_and_highest(levels):
    assert min(levels) <= category_level(levels) <= max(levels)
