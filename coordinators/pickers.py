"""Pickers: choices among things whose number grows with the organization (people, schools,
teams), chosen by searching instead of from a list of all of them.

A picker field renders only what is chosen, plus a text box; ``static/js/picker.js`` turns the
box into a combobox that asks the picker endpoint (``coordinators:picker-options``) for one page
of matches at a time. Without JavaScript the box takes a name (or a person's email) typed in
full; the form finds it among the rows the person may choose, or says which ones come close.
Either way the choice is checked on the server against the same scoped rows, so a form renders
and validates in constant time whatever the size of the organization.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from coordinators import access
from coordinators.form_helpers import int_or_none
from coordinators.models import Role, School, Team, User

PAGE_SIZE = 20
# A search reads at most this many characters and words: enough for a full name or email.
MAX_SEARCH_LENGTH = 100
MAX_SEARCH_WORDS = 5
# The most rows one multiple picker takes (a person's school sites are a handful).
MAX_CHOSEN = 100
# The most names one multiple picker looks up in a save (each is a search).
MAX_TYPED = 5
# How many close matches a refused name suggests.
SUGGESTIONS = 5
DEACTIVATED = " (deactivated)"


def search_text(value) -> str:
    """What a person typed, as a search: one line, no NUL bytes (PostgreSQL refuses them),
    at most MAX_SEARCH_LENGTH characters."""
    text = str(value or "").replace("\x00", "")
    return " ".join(text.split())[:MAX_SEARCH_LENGTH]


def _words(text: str) -> list[str]:
    return text.split()[:MAX_SEARCH_WORDS]


# The kinds of things a picker chooses ------------------------------------------------------


@dataclass(frozen=True)
class PickerSource:
    """One kind of picker: who may search it (``scope``), how rows match a search, how a row
    reads, and the texts that name a row exactly when typed in full."""

    name: str
    model: type
    noun: str  # "school", "team", "person"
    scope: Callable[[User], QuerySet]
    match: Callable[[str], Q]  # the condition for one word of a search
    order: tuple[str, ...]
    label: Callable[[object], str]
    exact_names: Callable[[object], tuple[str, ...]]
    roles: tuple[str, ...] = tuple(Role.values)  # who may search it at all (else 403)
    detail: Callable[[object], str] = lambda row: ""

    def search(self, rows: QuerySet, text: str) -> QuerySet:
        for word in _words(search_text(text)):
            rows = rows.filter(self.match(word))
        return rows.order_by(*self.order, "pk")


def _school_label(school: School) -> str:
    return school.name if school.active else f"{school.name}{DEACTIVATED}"


def _person_label(person: User) -> str:
    return f"{person.display_name} ({person.email})" if person.get_full_name() else person.email


def _person_match(word: str) -> Q:
    return (
        Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
    )


def _person_names(person: User) -> tuple[str, ...]:
    return (_person_label(person), person.email, person.get_full_name(), person.display_name)


def _person_source(name: str, scope, roles=tuple(Role.values)) -> PickerSource:
    return PickerSource(
        name=name,
        roles=roles,
        model=User,
        noun="person",
        scope=scope,
        match=_person_match,
        order=("last_name", "first_name", "email"),
        label=_person_label,
        exact_names=_person_names,
    )


SOURCES = {
    source.name: source
    for source in (
        PickerSource(
            name="schools",
            model=School,
            noun="school",
            scope=access.schools_choosable_by,
            roles=(Role.ADMIN,),
            match=lambda word: Q(name__icontains=word),
            order=("name",),
            label=_school_label,
            exact_names=lambda school: (school.name, _school_label(school)),
            detail=lambda school: school.get_level_display(),
        ),
        PickerSource(
            name="teams",
            model=Team,
            noun="team",
            scope=access.teams_choosable_by,
            roles=(Role.ADMIN, Role.DIRECTOR),
            match=lambda word: Q(name__icontains=word),
            order=("name",),
            label=lambda team: team.name,
            exact_names=lambda team: (team.name,),
        ),
        _person_source("directors", access.directors_choosable_by, (Role.ADMIN,)),
        _person_source("people", access.people_choosable_by),
    )
}


@dataclass(frozen=True)
class PickerPage:
    """One page of the rows matching a search, as the endpoint sends them."""

    results: list[dict]
    page: int
    count: int
    has_next: bool

    def as_json(self) -> dict:
        return {
            "results": self.results,
            "page": self.page,
            "count": self.count,
            "has_next": self.has_next,
        }


def picker_page(source: PickerSource, user, *, text: str, page: int, exclude=None) -> PickerPage:
    """Page ``page`` (from 1) of what ``user`` may choose in ``source`` matching ``text``,
    in two queries whatever the size of the organization."""
    rows = source.search(source.scope(user), text)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    count = rows.count()
    last = max(1, -(-count // PAGE_SIZE))
    page = min(max(page, 1), last)
    start = (page - 1) * PAGE_SIZE
    found = list(rows[start : start + PAGE_SIZE])
    return PickerPage(
        results=[
            {"id": row.pk, "label": source.label(row), "detail": source.detail(row)}
            for row in found
        ],
        page=page,
        count=count,
        has_next=page < last,
    )


# Reading what a person typed ---------------------------------------------------------------


class Unresolved(Exception):
    """A typed choice that names no row of the scope (or several); ``message`` says which come
    close."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _quoted(text: str) -> str:
    return f"“{text[:60]}{'…' if len(text) > 60 else ''}”"


def _one_of(labels: list[str]) -> str:
    quoted = [f"“{label}”" for label in labels]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def resolve(source: PickerSource, rows: QuerySet, value):
    """The row of ``rows`` that ``value`` names: an id (what the combobox sends), else a name,
    a person's email or a row's label typed in full (what a person types without
    JavaScript), in any case. Raises Unresolved with a message naming close matches."""
    if hasattr(value, "pk"):
        value = value.pk
    text = search_text(value)
    pk = int_or_none(text)
    if pk is not None:
        found = rows.filter(pk=pk).first()
        if found is not None:
            return found
    email = re.search(r"\(([^()\s]+@[^()\s]+)\)$", text)  # "Ann Lee (ann@example.org)"
    wanted = {text.casefold(), *((email.group(1).casefold(),) if email else ())}
    candidates = list(source.search(rows, email.group(1) if email else text)[:SUGGESTIONS * 2])
    exact = [
        row
        for row in candidates
        if wanted & {name.casefold() for name in source.exact_names(row) if name}
    ]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise Unresolved(
            f"More than one {source.noun} is called {_quoted(text)}: choose "
            f"{_one_of([source.label(row) for row in exact[:SUGGESTIONS]])}."
        )
    if pk is not None:  # an id, and no row is called that
        raise Unresolved(
            f"That {source.noun} is not one you can choose here: search for a {source.noun} "
            "of your organization by name."
        )
    if not candidates and _words(text):
        # Nothing has every word: suggest what has the longest one.
        longest = max(_words(text), key=len)
        candidates = list(source.search(rows, longest)[:SUGGESTIONS])
    if candidates:
        return_labels = [source.label(row) for row in candidates[:SUGGESTIONS]]
        raise Unresolved(
            f"No {source.noun} is called {_quoted(text)}. Did you mean "
            f"{_one_of(return_labels)}? Type the name in full, or pick it from the list."
        )
    raise Unresolved(
        f"No {source.noun} you can choose here matches {_quoted(text)}: check the spelling, "
        "or search with part of the name."
    )


# Widgets -----------------------------------------------------------------------------------


class PickerWidget(forms.TextInput):
    """The chosen row (or rows) and a text box to search for another; see the module's
    docstring. Rendered from templates/components/picker.html with the project's templates."""

    template_name = "components/picker.html"
    multiple = False

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.picker_field = None  # the field, set by it when the form renders

    def value_from_datadict(self, data, files, name):
        if self.multiple:
            getter = getattr(data, "getlist", None)
            values = getter(name) if getter else data.get(name)
            if values is None:
                return []
            return values if isinstance(values, (list, tuple)) else [values]
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False if self.multiple else super().value_omitted_from_data(data, files, name)

    def format_value(self, value):
        return value

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        field = self.picker_field
        chosen, typed = field.shown(value) if field is not None else ([], "")
        widget = context["widget"]
        base_id = widget["attrs"].get("id") or f"id_{name}"
        widget["attrs"] = dict(widget["attrs"], id=base_id)
        described = widget["attrs"].pop("aria-describedby", "")
        widget.update(
            chosen=chosen,
            typed=typed,
            multiple=self.multiple,
            base_id=base_id,
            url=field.endpoint() if field is not None else "",
            noun=field.source.noun if field is not None else "",
            empty_label=getattr(field, "empty_label", "") or "",
            chosen_label=field.chosen_label if field is not None else "",
            hint=field.hint if field is not None else "",
            describedby=f"{base_id}-picker-help {described}".strip(),
            # Bootstrap shows a field's error after an invalid sibling: the picker is that one.
            invalid="is-invalid" in str(widget["attrs"].get("class", "")).split(),
        )
        if not self.multiple:
            widget["chosen_id"] = chosen[0][0] if chosen else ""
            widget["text"] = chosen[0][1] if chosen else typed
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's template engine, which reads templates/components/.
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))


class PickerMultipleWidget(PickerWidget):
    multiple = True


# Fields ------------------------------------------------------------------------------------


class PickerFieldMixin:
    """What the single and the multiple picker share: the source, the scoped rows, and how a
    value reads on the page."""

    def __init__(
        self, *, source: str, exclude=None, chosen_label: str = "", hint: str = "", **kwargs
    ):
        self.source = SOURCES[source]
        self.exclude = exclude  # an id the endpoint leaves out (a coordinator as their own mentor)
        self.chosen_label = chosen_label
        self.hint = hint  # one more sentence of help, with or without JavaScript
        kwargs.setdefault("queryset", self.source.model.objects.none())
        super().__init__(**kwargs)

    def get_bound_field(self, form, field_name):
        self.widget.picker_field = self
        return super().get_bound_field(form, field_name)

    def endpoint(self) -> str:
        url = reverse("coordinators:picker-options", kwargs={"source": self.source.name})
        return f"{url}?exclude={self.exclude}" if self.exclude else url

    def label_from_instance(self, obj):
        return self.source.label(obj)

    def resolve_one(self, value):
        try:
            return resolve(self.source, self.queryset, value)
        except Unresolved as unresolved:
            raise forms.ValidationError(unresolved.message, code="invalid_choice") from None

    def shown(self, value) -> tuple[list[tuple], str]:
        """What the widget shows for ``value`` (ids, rows or typed text): the chosen rows as
        (id, label), and the text that names none of them, kept as typed."""
        values = value if isinstance(value, (list, tuple)) else [value]
        values = [v for v in values if v not in (None, "")][:MAX_CHOSEN]
        ids = [getattr(v, "pk", None) or int_or_none(str(v)) for v in values]
        wanted = [i for i in ids if i]
        found = {row.pk: row for row in self.queryset.filter(pk__in=wanted)} if wanted else {}
        chosen, typed, looked_up = [], "", 0
        for value_, pk in zip(values, ids, strict=True):
            if pk in found:
                if all(pk != c[0] for c in chosen):
                    chosen.append((pk, self.source.label(found[pk])))
                continue
            looked_up += 1
            if looked_up > MAX_TYPED:
                continue
            try:
                row = resolve(self.source, self.queryset, value_)
            except Unresolved:
                typed = typed or search_text(value_)
                continue
            if all(row.pk != c[0] for c in chosen):
                chosen.append((row.pk, self.source.label(row)))
        return chosen, typed

    def as_ids(self, value):
        """``value`` as the combobox would have sent it: each name that finds its row becomes
        that row's id, anything else stays as typed."""
        values = value if isinstance(value, (list, tuple)) else [value]
        ids, looked_up = [], 0
        for item in values:
            if item in (None, "") or int_or_none(str(item)) is not None or looked_up >= MAX_TYPED:
                ids.append(item)
                continue
            looked_up += 1
            try:
                ids.append(resolve(self.source, self.queryset, item).pk)
            except Unresolved:
                ids.append(item)
        return ids if isinstance(value, (list, tuple)) else ids[0]

    def shown_words(self, value) -> str:
        """The value as a person reads it (a form's "Saved meanwhile" note)."""
        chosen, typed = self.shown(value)
        if chosen:
            return ", ".join(label for _pk, label in chosen)
        return typed or getattr(self, "empty_label", None) or "(empty)"


class PickerChoiceField(PickerFieldMixin, forms.ModelChoiceField):
    """One row chosen with a picker; ``source`` names its kind (SOURCES)."""

    widget = PickerWidget

    def to_python(self, value):
        if value in self.empty_values or search_text(value) == "":
            return None
        return self.resolve_one(value)

    def has_changed(self, initial, data):
        return str(getattr(initial, "pk", initial) or "") != str(data or "")


class PickerMultipleChoiceField(PickerFieldMixin, forms.ModelMultipleChoiceField):
    """Several rows chosen with a picker, shown as chips that each have a remove button."""

    widget = PickerMultipleWidget

    def clean(self, value):
        values = [v for v in (value or []) if search_text(v)]
        if self.required and not values:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(values) > MAX_CHOSEN:
            raise forms.ValidationError(f"Choose at most {MAX_CHOSEN}.", code="too_many")
        # Ids (what the combobox and the ticked boxes send) are read in one query.
        ids = {pk for pk in (int_or_none(search_text(v)) for v in values) if pk is not None}
        found = {row.pk: row for row in self.queryset.filter(pk__in=ids)} if ids else {}
        typed = [v for v in values if int_or_none(search_text(v)) not in found]
        if len(typed) > MAX_TYPED:
            raise forms.ValidationError(
                f"Type at most {MAX_TYPED} names at a time, then save.", code="too_many"
            )
        rows, errors = [], []
        for item in values:
            row = found.get(int_or_none(search_text(item)))
            if row is None:
                try:
                    row = self.resolve_one(item)
                except forms.ValidationError as error:
                    errors.append(error)
                    continue
            if all(row.pk != r.pk for r in rows):
                rows.append(row)
        if errors:
            raise forms.ValidationError(errors)
        self.run_validators(rows)
        return rows

    def has_changed(self, initial, data):
        before = {str(getattr(v, "pk", v)) for v in (initial or [])}
        return before != {str(v) for v in (data or [])}


class PickerFilterField(PickerChoiceField):
    """A picker in a GET filter: the chosen row's id, or one of ``words`` (a value such as
    "none" that the filter reads itself) typed as it is or as its label."""

    def __init__(self, *, words: dict[str, str] | None = None, **kwargs):
        self.words = words or {}
        super().__init__(**kwargs)

    def clean(self, value):
        text = search_text(value).casefold()
        for word, label in self.words.items():
            if text in (word.casefold(), label.casefold()):
                return word
        row = super().clean(value)
        return None if row is None else row.pk

    def shown(self, value):
        text = search_text(value).casefold()
        for word, label in self.words.items():
            if text in (word.casefold(), label.casefold()):
                return [], label
        return super().shown(value)


class PickerFilter(django_filters.Filter):
    """A filter set's picker (``source``, ``queryset`` and the rest go to PickerFilterField)."""

    field_class = PickerFilterField
