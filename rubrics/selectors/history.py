"""The history of a rubric version's edits: who changed which word, and from what to what."""

from dataclasses import dataclass

from rubrics.models import COPIED_REASON, Category, Descriptor, Indicator, Level, RubricVersion


@dataclass
class RubricHistoryEntry:
    when: object
    who: object
    what: str
    before: str = ""
    after: str = ""


def rubric_version_history(*, version: RubricVersion) -> list[RubricHistoryEntry]:
    """Every recorded edit of a version, newest first: who changed which level, category,
    indicator or descriptor, with the text before and after. Seven queries.

    The rows a new draft copies from the current version carry COPIED_REASON: they are the
    baseline the first edits are compared with, not edits themselves.
    """

    def rows(model, **where):
        return list(
            model.history.filter(**where)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )

    level_rows = rows(Level, version_id=version.pk)
    level_names = dict(version.levels.values_list("pk", "name"))
    for row in level_rows:
        level_names.setdefault(row.id, row.name or f"level {row.value}")
    category_rows = rows(Category, version_id=version.pk)
    category_ids = {row.id for row in category_rows} | set(
        version.categories.values_list("pk", flat=True)
    )
    indicator_rows = rows(Indicator, category_id__in=category_ids)
    indicator_names = dict(
        Indicator.objects.filter(category__version=version).values_list("pk", "name")
    )
    for row in indicator_rows:
        indicator_names.setdefault(row.id, row.name)
    descriptor_rows = rows(Descriptor, indicator_id__in=set(indicator_names))
    version_rows = rows(RubricVersion, id=version.pk)

    entries: list[RubricHistoryEntry] = []

    def walk(history, describe, fields):
        previous = {}
        for row in history:
            before = previous.get(row.id)
            previous[row.id] = row
            if row.history_change_reason == COPIED_REASON:
                continue
            if row.history_type == "+":
                what, old, new = describe(row, "added"), "", _text(row, fields)
            elif row.history_type == "-":
                what, old, new = describe(row, "removed"), _text(row, fields), ""
            else:
                changes = [
                    f for f in fields if before is None or getattr(before, f) != getattr(row, f)
                ]
                if not changes:
                    continue
                what = describe(row, _changed(changes))
                old, new = (_text(before, changes) if before else ""), _text(row, changes)
            entries.append(RubricHistoryEntry(row.history_date, row.history_user, what, old, new))

    previous_state = None
    for row in version_rows:
        if row.history_type == "+":
            entries.append(
                RubricHistoryEntry(
                    row.history_date, row.history_user, f"Draft v{row.number} created"
                )
            )
        elif row.state != previous_state:
            entries.append(
                RubricHistoryEntry(
                    row.history_date,
                    row.history_user,
                    f"Version {row.number} {row.get_state_display().lower()}",
                )
            )
        previous_state = row.state
    walk(level_rows, lambda row, action: f"Level {row.value}: {action}", ["name"])
    walk(
        category_rows,
        lambda row, action: f"Category {row.name or row.key}: {action}",
        ["name", "description"],
    )
    walk(
        indicator_rows,
        lambda row, action: f"Indicator “{row.name}”: {action}",
        ["name", "order"],
    )
    walk(
        descriptor_rows,
        lambda row, action: (
            f"Descriptor of “{indicator_names.get(row.indicator_id, 'an indicator')}” at "
            f"{level_names.get(row.level_id, 'a level')}: {action}"
        ),
        ["text"],
    )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


# How each recorded field reads in a sentence: "changed its name", "moved it".
_FIELD_CHANGES = {
    "name": "renamed",
    "description": "description changed",
    "order": "moved",
    "text": "changed text",
}
_FIELD_LABELS = {"name": "Name", "description": "Description"}


def _changed(fields) -> str:
    return " and ".join(_FIELD_CHANGES.get(f, f"{f} changed") for f in fields)


def _text(row, fields) -> str:
    """The recorded values in words, one a line: "Name: Family leadership", "Position: 6 in
    its category"; a descriptor's text stands alone."""
    lines = []
    for f in fields:
        value = getattr(row, f)
        if f == "order":
            lines.append(f"Position {value} in its category")
        elif len(fields) > 1 and _FIELD_LABELS.get(f):
            lines.append(f"{_FIELD_LABELS[f]}: {value}")
        else:
            lines.append(str(value))
    return "\n".join(lines)
