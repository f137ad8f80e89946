"""Who changed what, and when, in words: the history django-simple-history keeps of one
object, read for a page.

Every page that shows an object's history (a goal, a support, a person, a career position)
reads it through ``change_history`` and shows it with ``components/change_history.html``.
Choices read by their label and foreign keys by the name of what they point to, never an id;
a field the reader may not see is left out entirely, so a record that changed only such a
field does not appear at all. One query for the records, then one per kind of thing the
foreign keys point to, whatever the length of the history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import models
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.timezone import localtime

# Bookkeeping every row has; nobody reads a change of these as a change of the thing.
BOOKKEEPING = frozenset({"id", "version", "created_at", "updated_at", "created_by", "organization"})
EMPTY = "(empty)"
TEXT_SHOWN = 80  # characters of a long text shown before and after
LATEST_CHANGES = 10  # the changes a page shows before "Show all"


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class ChangeEntry:
    """One save: who made it, when, and what it changed (nothing listed for a creation)."""

    when: datetime
    who: str
    action: str  # "created", "changed", "deleted", or "recorded" (the first record known)
    changes: list[FieldChange] = field(default_factory=list)
    noun: str = ""  # what was created or deleted, when a history mixes several things

    @property
    def when_display(self) -> str:
        return date_format(localtime(self.when), "DATETIME_FORMAT")


@dataclass(frozen=True)
class ChangeHistory:
    """The newest ``entries`` (all of them unless the page asked for fewer) and how many
    there are in all."""

    noun: str  # what changed, as the page names it: "goal", "profile"
    entries: list[ChangeEntry]
    total: int

    @property
    def is_cut(self) -> bool:
        return len(self.entries) < self.total


def change_history(
    records,
    *,
    noun: str,
    hidden: Iterable[str] = (),
    words: Mapping[str, Mapping] | None = None,
    labels: Mapping[str, str] | None = None,
    latest: int | None = None,
) -> ChangeHistory:
    """The history ``records`` (a queryset of one object's historical records, as
    ``Goal.history.filter(id=goal.pk)``) as entries, newest first.

    ``hidden`` names fields the reader may not see; ``words`` gives words for the values of a
    field that has no choices (``{"target_level": {1: "Novice", ...}}``), ``labels`` the
    name a field goes by on the page where it is edited (else its verbose name); ``latest`` keeps
    only that many newest entries (``total`` still counts them all)."""
    model = records.model
    kept = {f.attname for f in model._meta.concrete_fields}  # less what the history excludes
    tracked = [f for f in _tracked_fields(model.instance_type, set(hidden)) if f.attname in kept]
    rows = list(records.select_related("history_user").order_by("history_date", "history_id"))
    saves, previous = [], None  # (row, action, [(field, before, after)]) oldest first
    for row in rows:
        if row.history_type == "+":
            saves.append((row, "created", []))
        elif row.history_type == "-":
            saves.append((row, "deleted", []))
        elif previous is None:  # written before its history was kept: what changed is unknown
            saves.append((row, "recorded", []))
        else:
            changed = [
                (f, getattr(previous, f.attname), getattr(row, f.attname))
                for f in tracked
                if getattr(previous, f.attname) != getattr(row, f.attname)
            ]
            if changed:
                saves.append((row, "changed", changed))
        previous = row
    names = _related_names(change for _, _, changes in saves for change in changes)
    words, labels = words or {}, labels or {}
    entries = [
        ChangeEntry(
            row.history_date,
            row.history_user.display_name if row.history_user else "Growth Matrix",
            action,
            [
                FieldChange(
                    labels.get(f.name) or _label(f),
                    _shown(f, a, names, words),
                    _shown(f, b, names, words),
                )
                for f, a, b in changes
            ],
            noun,
        )
        for row, action, changes in reversed(saves)
    ]
    return ChangeHistory(
        noun=noun, entries=entries[:latest] if latest else entries, total=len(entries)
    )


def _tracked_fields(model, hidden: set[str]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in BOOKKEEPING and f.name not in hidden and f.attname not in hidden
    ]


def _label(f: models.Field) -> str:
    return str(f.verbose_name)[:1].upper() + str(f.verbose_name)[1:]


def _related_names(changes) -> dict[tuple, str]:
    """The name of everything the changed foreign keys pointed to: one query per model."""
    wanted: dict[type, set] = defaultdict(set)
    for f, before, after in changes:
        if f.is_relation:
            wanted[f.related_model].update(v for v in (before, after) if v is not None)
    names = {}
    for related, ids in wanted.items():
        for obj in related._base_manager.filter(pk__in=ids):
            names[(related, obj.pk)] = str(obj)
    return names


def changes_shown(request) -> int | None:
    """How many of the newest changes a page shows: all when it was asked with
    ``?history=all``, else the newest LATEST_CHANGES."""
    return None if request.GET.get("history") == "all" else LATEST_CHANGES


def _shown(f: models.Field, value, names: dict, words: Mapping) -> str:
    if value is None or value == "":
        return EMPTY
    if f.name in words:
        return str(words[f.name].get(value, value))
    if f.is_relation:
        noun = f.related_model._meta.verbose_name
        return names.get((f.related_model, value), f"a removed {noun}")
    if f.flatchoices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return date_format(localtime(value), "j M Y H:i")
    if isinstance(value, date):
        return date_format(value, "j M Y")
    return Truncator(" ".join(str(value).split())).chars(TEXT_SHOWN)


# What apps above this one record of a person outside its own history (signin: a second
# factor reset by an admin), registered by those apps when they load: ``source(person)`` is a
# list of entries, in a fixed number of queries.
PERSON_ENTRY_SOURCES: list[Callable[[object], list[ChangeEntry]]] = []


def person_entries_register(source: Callable[[object], list[ChangeEntry]]) -> None:
    if source not in PERSON_ENTRY_SOURCES:
        PERSON_ENTRY_SOURCES.append(source)


def person_changes(*, person, latest: int | None) -> ChangeHistory:
    """Everything an admin changed on the person page, newest first: their login and name,
    whether they may log in, their roles, and their coordinator profile when they have one.
    Logins and passwords are not recorded."""
    account = change_history(
        type(person).history.filter(id=person.pk),
        noun="person",
        hidden=("is_staff", "is_superuser", "date_joined"),
        labels={"is_active": "Active (may log in)"},
    )
    profile = profile_changes(person=person, latest=None)
    recorded_elsewhere = [entry for source in PERSON_ENTRY_SOURCES for entry in source(person)]
    entries = sorted(
        account.entries + _role_changes(person) + profile.entries + recorded_elsewhere,
        key=lambda entry: entry.when,
        reverse=True,
    )
    return ChangeHistory(
        noun="person", entries=entries[:latest] if latest else entries, total=len(entries)
    )


def _role_changes(person) -> list[ChangeEntry]:
    """Each role given or taken away, as the roles before and after, newest first. Read back
    from the roles held now, so roles given before their history was kept read right too."""
    from coordinators.models import Membership, Role

    def named(roles: set[str]) -> str:
        return ", ".join(label for value, label in Role.choices if value in roles) or EMPTY

    rows = Membership.history.filter(user_id=person.pk).select_related("history_user")
    after = set(person.memberships.values_list("role", flat=True))
    entries = []
    for row in rows.order_by("-history_date", "-history_id"):
        if row.history_type == "+":
            before = after - {row.role}
        elif row.history_type == "-":
            before = after | {row.role}
        else:
            continue
        who = row.history_user.display_name if row.history_user else "Growth Matrix"
        change = FieldChange("Roles", named(before), named(after))
        entries.append(ChangeEntry(row.history_date, who, "changed", [change]))
        after = before
    return entries


def profile_changes(*, person, latest: int | None) -> ChangeHistory:
    """The changes of the person's coordinator profile: role family, team, job title, start
    date and whether it is active (their login and roles are not part of it)."""
    from coordinators.models import CoordinatorProfile

    return change_history(
        CoordinatorProfile.history.filter(user_id=person.pk),
        noun="profile",
        hidden=("user",),
        labels={"role_start_date": "First day in the role"},
        latest=latest,
    )
