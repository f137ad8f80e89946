"""The vocabulary of the growth matrix: its four category keys, its level bounds and the words
a rubric version uses for them when it names none.

Plain Python with no Django import, so the pure rule modules (the flags, the career stage
readiness) and the models alike take their words from here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

COORDINATOR, SITE, ORGANIZATION, DEVELOPMENT = "coordinator", "site", "organization", "development"
CATEGORY_KEYS = (COORDINATOR, SITE, ORGANIZATION, DEVELOPMENT)
DEFAULT_CATEGORY_NAMES = {
    COORDINATOR: "Coordinator",
    SITE: "School site",
    ORGANIZATION: "Organizational supports",
    DEVELOPMENT: "Development",
}

MIN_LEVEL, MAX_LEVEL = 1, 3
LEVEL_IN_RANGE = (MIN_LEVEL, MAX_LEVEL)
DEFAULT_LEVEL_NAMES = {1: "Novice", 2: "Proficient", 3: "Expert"}
LEVELS = list(DEFAULT_LEVEL_NAMES.items())


@dataclass(frozen=True, slots=True)
class Names:
    """The words for categories and levels, taken from one rubric version."""

    categories: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_CATEGORY_NAMES))
    levels: Mapping[int, str] = field(default_factory=lambda: dict(DEFAULT_LEVEL_NAMES))

    def category(self, key: str) -> str:
        return self.categories.get(key) or DEFAULT_CATEGORY_NAMES.get(key, key)

    def level(self, value: int | None) -> str:
        if value is None:
            return "Not rated"
        return self.levels.get(value) or DEFAULT_LEVEL_NAMES.get(value, str(value))


DEFAULT_NAMES = Names()


# Words that name a group and take no plural ending ("partnership staff", "personnel").
UNCOUNTED_ENDINGS = ("staff", "personnel", "faculty", "leadership")


def plural_noun(name: str) -> str:
    """The plural of a role family's name in English: "instructional coaches", "partnership
    staff", "community school coordinators". Only the last word changes."""
    lowered = name.lower()
    if not name or lowered.endswith(UNCOUNTED_ENDINGS):
        return name
    if lowered.endswith(("s", "x", "z", "ch", "sh")):
        return f"{name}es"
    if lowered.endswith("y") and lowered[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        return f"{name[:-1]}ies"
    return f"{name}s"
