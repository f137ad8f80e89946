"""The one rule that turns indicator levels into a category level.

A category's level is the median of its rated indicator levels, rounded down
(so 1, 2 → 1 and 1, 2, 2, 3 → 2). Unrated indicators do not count; a category with
no rated indicator has no level. Rounding down keeps a category from claiming a
level that half of its indicators have not reached.
"""

from collections.abc import Iterable
from math import floor
from statistics import median


def category_level(levels: Iterable[int | None]) -> int | None:
    rated = [level for level in levels if level is not None]
    if not rated:
        return None
    return floor(median(rated))
