"""Writes of the rubric editor: creating a family's rubric from data, drafts, edits,
publishing, and moving people between role families."""

from dataclasses import dataclass
from functools import partial

from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from coordinators import events
from coordinators.models import Organization, RoleFamily, User
from coordinators.versioning import versions_bump
from rubrics.defaults import LEVELS
from rubrics.events import RubricPublished
from rubrics.models import (
    COPIED_REASON,
    Category,
    Descriptor,
    Indicator,
    Level,
    Rubric,
    RubricVersion,
)
from rubrics.selectors.grid import rubric_version_problems


@transaction.atomic
def rubric_version_create_from_data(
    *, rubric: Rubric, data: dict, levels: list[tuple[int, str]], number: int, actor=None
) -> RubricVersion:
    """Build a draft version of ``rubric`` from plain data (see rubrics.defaults)."""
    version = RubricVersion.objects.create(
        rubric=rubric, number=number, state=RubricVersion.State.DRAFT, created_by=actor
    )
    level_rows = Level.objects.bulk_create(
        [Level(version=version, value=value, name=name) for value, name in levels]
    )
    descriptors = []
    for order, category_data in enumerate(data["categories"], start=1):
        category = Category.objects.create(
            version=version,
            key=category_data["key"],
            name=category_data["name"],
            description=category_data.get("description", ""),
            order=order,
        )
        indicators = Indicator.objects.bulk_create(
            [
                Indicator(category=category, name=item["name"], order=position)
                for position, item in enumerate(category_data["indicators"], start=1)
            ]
        )
        for indicator, item in zip(indicators, category_data["indicators"], strict=True):
            descriptors.extend(
                Descriptor(indicator=indicator, level=level, text=text)
                for level, text in zip(level_rows, item["descriptors"], strict=True)
            )
    Descriptor.objects.bulk_create(descriptors)
    return version


@transaction.atomic
def role_family_create_with_rubric(
    *, organization: Organization, name: str, data: dict, actor=None, publish: bool = True
) -> RoleFamily:
    """A role family with its rubric, whose first version is built from ``data``."""
    family = RoleFamily.objects.create(organization=organization, name=name)
    rubric = Rubric.objects.create(organization=organization, role_family=family)
    version = rubric_version_create_from_data(
        rubric=rubric, data=data, levels=LEVELS, number=1, actor=actor
    )
    if publish:
        version.state = RubricVersion.State.PUBLISHED
        version.published_at = timezone.now()
        version.published_by = actor
        version.save(update_fields=["state", "published_at", "published_by"])
    return family


# Rubric editing (org admin) -------------------------------------------------------------
#
# Only drafts change. Every edit names the draft's ``lock_version`` it was read at and bumps
# it in one conditional UPDATE, so of two admins saving the same draft the later one is told,
# never silently overwritten. Rows are saved one by one (not with update()) so that
# simple_history records who changed which cell and when.


class RubricEditConflict(Exception):
    """The draft changed since the editor read it; nothing was saved."""

    def __init__(self, version: RubricVersion):
        super().__init__("The draft changed since you opened it.")
        self.version = version


class RubricNotEditable(Exception):
    """The version is no longer a draft (published, retired or discarded meanwhile)."""


class RubricIncomplete(Exception):
    """Publishing refused; ``problems`` lists every gap."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} problem(s) stop this draft from being published.")
        self.problems = problems


@transaction.atomic
def rubric_version_copy(
    *, source: RubricVersion, rubric: Rubric, number: int, actor=None
) -> RubricVersion:
    """A draft copy of ``source`` (levels, categories, indicators, descriptors) in ``rubric``.

    Bulk inserts, each row with a history record marked COPIED_REASON: the baseline that the
    draft's history compares its first edits against, not shown as edits themselves. Each
    indicator keeps its ``key``, its identity across versions.
    """
    version = RubricVersion.objects.create(
        rubric=rubric, number=number, state=RubricVersion.State.DRAFT, created_by=actor
    )
    copied = partial(
        bulk_create_with_history, default_user=actor, default_change_reason=COPIED_REASON
    )
    old_levels = list(source.levels.order_by("value"))
    new_levels = copied(
        [Level(version=version, value=level.value, name=level.name) for level in old_levels],
        Level,
    )
    level_map = {old.pk: new for old, new in zip(old_levels, new_levels, strict=True)}
    old_categories = list(source.categories.order_by("order"))
    new_categories = copied(
        [
            Category(
                version=version,
                key=c.key,
                name=c.name,
                description=c.description,
                order=c.order,
            )
            for c in old_categories
        ],
        Category,
    )
    category_map = {old.pk: new for old, new in zip(old_categories, new_categories, strict=True)}
    old_indicators = list(Indicator.objects.filter(category__version=source).order_by("pk"))
    new_indicators = copied(
        [
            Indicator(
                category=category_map[i.category_id], key=i.key, name=i.name, order=i.order
            )
            for i in old_indicators
        ],
        Indicator,
    )
    indicator_map = {old.pk: new for old, new in zip(old_indicators, new_indicators, strict=True)}
    copied(
        [
            Descriptor(
                indicator=indicator_map[d.indicator_id], level=level_map[d.level_id], text=d.text
            )
            for d in Descriptor.objects.filter(indicator__category__version=source)
        ],
        Descriptor,
    )
    return version


@transaction.atomic
def rubric_version_new_draft(*, rubric: Rubric, actor) -> tuple[RubricVersion, bool]:
    """The rubric's draft: the one already open, else a new copy of the published version.

    Returns ``(draft, created)``. One draft per rubric at a time, so two admins who both press
    "New draft" end up editing the same one (the Rubric row is locked while deciding).
    """
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    existing = rubric.versions.filter(state=RubricVersion.State.DRAFT).first()
    if existing is not None:
        return existing, False
    source = rubric.versions.filter(state=RubricVersion.State.PUBLISHED).first()
    if source is None:
        source = rubric.versions.order_by("-number").first()
    number = (rubric.versions.aggregate(top=models.Max("number"))["top"] or 0) + 1
    return rubric_version_copy(source=source, rubric=rubric, number=number, actor=actor), True


def _rubric_draft_lock(*, version: RubricVersion, lock_version: int) -> None:
    """Claim the draft at ``lock_version`` (and bump it) or raise; call inside a transaction."""
    claimed = RubricVersion.objects.filter(
        pk=version.pk, state=RubricVersion.State.DRAFT, lock_version=lock_version
    ).update(lock_version=models.F("lock_version") + 1)
    if not claimed:
        current = RubricVersion.objects.filter(pk=version.pk).first()
        if current is None or current.state != RubricVersion.State.DRAFT:
            raise RubricNotEditable("This version is no longer a draft.")
        raise RubricEditConflict(current)
    version.lock_version = lock_version + 1


@transaction.atomic
def rubric_levels_rename(
    *, version: RubricVersion, names: dict[int, str], lock_version: int, actor=None
) -> None:
    """Rename the draft's levels; ``names`` maps level value to its new name."""
    _rubric_draft_lock(version=version, lock_version=lock_version)
    for level in version.levels.all():
        new_name = names.get(level.value, level.name).strip()
        if new_name != level.name:
            level.name = new_name
            level.save(update_fields=["name"])


@dataclass
class IndicatorInput:
    """What the category editor sends for one indicator; ``pk`` is None for a new one."""

    pk: int | None
    name: str
    descriptors: dict[int, str]  # level value → text; blank text removes the cell

    @property
    def is_blank(self) -> bool:
        return not self.name.strip() and not any(t.strip() for t in self.descriptors.values())


@transaction.atomic
def rubric_category_save(
    *,
    version: RubricVersion,
    category_key: str,
    lock_version: int,
    name: str,
    description: str,
    indicators: list[IndicatorInput],
    move: tuple[int, int] | None = None,
    remove: int | None = None,
    actor=None,
) -> Category:
    """Save one category of a draft as the editor shows it: its name and description, every
    indicator's name and descriptors, a new indicator, then one move (indicator pk, -1 up or
    +1 down) or one removal. Only rows that really changed are written."""
    _rubric_draft_lock(version=version, lock_version=lock_version)
    category = version.categories.get(key=category_key)
    changed = []
    if category.name != name.strip():
        category.name = name.strip()
        changed.append("name")
    if category.description != description.strip():
        category.description = description.strip()
        changed.append("description")
    if changed:
        category.save(update_fields=changed)

    levels = {level.value: level for level in version.levels.all()}
    existing = {
        i.pk: i for i in category.indicators.prefetch_related("descriptors__level").order_by()
    }
    ordered = sorted(existing.values(), key=lambda i: (i.order, i.pk))
    for item in indicators:
        if item.pk is None:
            if item.is_blank:
                continue
            indicator = Indicator.objects.create(
                category=category, name=item.name.strip(), order=len(ordered) + 1
            )
            ordered.append(indicator)
            cells = {}
        else:
            indicator = existing[item.pk]
            if indicator.name != item.name.strip():
                indicator.name = item.name.strip()
                indicator.save(update_fields=["name"])
            cells = {d.level.value: d for d in indicator.descriptors.all()}
        for value, text in item.descriptors.items():
            text = text.strip()
            cell = cells.get(value)
            if cell is None and text:
                Descriptor.objects.create(indicator=indicator, level=levels[value], text=text)
            elif cell is not None and not text:
                cell.delete()
            elif cell is not None and cell.text != text:
                cell.text = text
                cell.save(update_fields=["text"])

    if remove is not None and remove in existing:
        ordered = [i for i in ordered if i.pk != remove]
        existing[remove].delete()
    if move is not None:
        pk, step = move
        position = next((n for n, i in enumerate(ordered) if i.pk == pk), None)
        other = None if position is None else position + step
        if other is not None and 0 <= other < len(ordered):
            ordered[position], ordered[other] = ordered[other], ordered[position]
    for order, indicator in enumerate(ordered, start=1):
        if indicator.order != order:
            indicator.order = order
            indicator.save(update_fields=["order"])
    return category


@transaction.atomic
def rubric_version_publish(
    *, version: RubricVersion, actor, lock_version: int | None = None
) -> RubricVersion:
    """Make a complete draft the rubric's current version and retire the previous one.

    The Rubric row is locked first, so two admins publishing at once leave exactly one
    published version (the partial unique constraint ``rubric_one_published_version`` is the
    last guard). ``lock_version``, when given, refuses to publish a draft that changed since
    the admin looked at it.
    """
    Rubric.objects.select_for_update().get(pk=version.rubric_id)
    version = RubricVersion.objects.select_for_update().get(pk=version.pk)
    if version.state != RubricVersion.State.DRAFT:
        raise RubricNotEditable("This version is no longer a draft.")
    if lock_version is not None and version.lock_version != lock_version:
        raise RubricEditConflict(version)
    problems = rubric_version_problems(version=version)
    if problems:
        raise RubricIncomplete(problems)
    for current in RubricVersion.objects.filter(
        rubric_id=version.rubric_id, state=RubricVersion.State.PUBLISHED
    ):
        current.state = RubricVersion.State.RETIRED
        current.save(update_fields=["state"])
    version.state = RubricVersion.State.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = actor
    version.lock_version += 1
    version.save(update_fields=["state", "published_at", "published_by", "lock_version"])
    organization_id = Rubric.objects.values_list("organization_id", flat=True).get(
        pk=version.rubric_id
    )
    events.publish(RubricPublished(organization_id=organization_id, version_id=version.pk))
    return version


@transaction.atomic
def rubric_version_discard(*, version: RubricVersion, lock_version: int | None = None) -> None:
    """Delete a draft nobody has published; nothing ever pointed at it."""
    version = RubricVersion.objects.select_for_update().get(pk=version.pk)
    if version.state != RubricVersion.State.DRAFT:
        raise RubricNotEditable("Only a draft can be discarded.")
    if lock_version is not None and version.lock_version != lock_version:
        raise RubricEditConflict(version)
    version.delete()


@transaction.atomic
def role_family_create_from(
    *,
    organization: Organization,
    name: str,
    source_version: RubricVersion | None = None,
    default_data: dict | None = None,
    actor=None,
) -> RoleFamily:
    """A new role family whose rubric starts as a copy of ``source_version`` (another family's
    current version) or of a default rubric; its version 1 is published at once so its people
    can be assessed."""
    if source_version is None:
        return role_family_create_with_rubric(
            organization=organization, name=name, data=default_data, actor=actor
        )
    family = RoleFamily.objects.create(organization=organization, name=name)
    rubric = Rubric.objects.create(organization=organization, role_family=family)
    version = rubric_version_copy(source=source_version, rubric=rubric, number=1, actor=actor)
    version.state = RubricVersion.State.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = actor
    version.save(update_fields=["state", "published_at", "published_by"])
    return family


@transaction.atomic
def role_family_assign(*, profiles, role_family: RoleFamily) -> int:
    """Put people in a role family; their next assessment uses that family's rubric.
    Returns how many changed. Their person forms opened before are then stale (they would
    put the old family back)."""
    moved = []
    for profile in profiles:
        if profile.role_family_id != role_family.pk:
            profile.role_family = role_family
            profile.save(update_fields=["role_family"])
            moved.append(profile.user_id)
    versions_bump(User.objects.filter(pk__in=moved))
    return len(moved)
