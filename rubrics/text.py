"""The cached words of a published rubric version, which every matrix page, save and review
reads."""

import secrets
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Prefetch

from coordinators.models import RoleFamily
from rubrics.models import Category, Descriptor, Indicator, Level, RubricVersion

# Without a shared cache each server keeps its own copy, and a correction made in Django's
# admin clears only the copy of the server that saved it: the others show it within this.
RUBRIC_TEXT_SECONDS = 10 * 60


@dataclass
class RubricText:
    """A rubric version's words: levels, and each category's indicators with their
    descriptors (level value → text)."""

    name: str  # the role family's, as the page header names the rubric
    levels: list[Level]
    categories: list[tuple[Category, list[tuple[Indicator, dict[int, str]]]]]


# Raised whenever RubricText changes shape, so that a new release never unpickles what the
# one before it cached.
RUBRIC_TEXT_FORMAT = 4


def rubric_text_key(version_id: int) -> str:
    return f"rubric-text:{RUBRIC_TEXT_FORMAT}:{version_id}"


def rubric_text_stamp_key(version_id: int) -> str:
    return f"rubric-text-stamp:{RUBRIC_TEXT_FORMAT}:{version_id}"


def rubric_text_forget(version_ids) -> None:
    """Clear the cached words of these versions, on every server."""
    cache.delete_many(
        [key for pk in version_ids for key in (rubric_text_key(pk), rubric_text_stamp_key(pk))]
    )


# The words this process read last, by version: (stamp, words). Unpickling a version's words
# from the shared cache took about as long as the rest of a matrix page's queries together;
# a copy is used again while the shared cache still holds the stamp it was stored with, so a
# correction cleared on one server (rubrics.signals) is seen by every other at its next read.
# The words are only read, never changed, by the pages sharing them.
_held: dict[int, tuple[str, "RubricText"]] = {}
HELD_VERSIONS = 64


def rubric_text_load(version_id: int) -> RubricText:
    """Five queries whatever the rubric's size."""
    name = RoleFamily.objects.filter(rubric__versions=version_id).values_list("name", flat=True)
    levels = list(Level.objects.filter(version_id=version_id).order_by("value"))
    level_values = {level.pk: level.value for level in levels}
    categories = (
        Category.objects.filter(version_id=version_id)
        .order_by("order")
        .prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.order_by("order", "pk").prefetch_related(
                    Prefetch("descriptors", queryset=Descriptor.objects.order_by())
                ),
            )
        )
    )
    return RubricText(
        name=name.first() or "",
        levels=levels,
        categories=[
            (
                category,
                [
                    (
                        indicator,
                        {level_values[d.level_id]: d.text for d in indicator.descriptors.all()},
                    )
                    for indicator in category.indicators.all()
                ],
            )
            for category in categories
        ],
    )


def rubric_text(version: RubricVersion) -> RubricText:
    """The words of a version. Once published a version never changes (the editor works on
    drafts), so its words are kept in the cache and every assessment page after the first
    reads them from there; a change through Django's admin clears them (rubrics.signals).
    Drafts are always read from the database."""
    if version.is_editable:
        return rubric_text_load(version.pk)
    return pinned_rubric_text(version.pk)


def pinned_rubric_text(version_id: int) -> RubricText:
    """The words of a version an assessment is pinned to, through the cache: assessments are
    only ever created on a published version, never on a draft."""
    stamp = cache.get(rubric_text_stamp_key(version_id))
    held = _held.get(version_id)
    if stamp is not None and held is not None and held[0] == stamp:
        return held[1]
    key = rubric_text_key(version_id)
    entry = cache.get(key) if stamp is not None else None
    if entry is not None and entry[0] == stamp:
        text = entry[1]
    else:
        text = rubric_text_load(version_id)
        stamp = secrets.token_hex(8)
        cache.set_many(
            {key: (stamp, text), rubric_text_stamp_key(version_id): stamp}, RUBRIC_TEXT_SECONDS
        )
    if len(_held) >= HELD_VERSIONS:
        _held.clear()  # rare: the versions in use fit; clearing is safe beside other threads
    _held[version_id] = (stamp, text)
    return text
