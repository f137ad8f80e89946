"""Form helpers every app shares: reading an id typed by a person or a browser, a filter of
one id, and a many-ids field, each treating an impossible id as a wrong value instead of a
server error; and the version an edit form carries (with the view mixin that shows a save
refused as stale)."""

from datetime import date

import django_filters
from django import forms
from django.core import signing
from django.db import transaction
from django.http import Http404
from django.utils.html import format_html

from coordinators.tenure import day_words
from coordinators.versioning import MAX_VERSION, StaleEdit, versioned_save

# The largest id a 64-bit integer column holds has 19 digits.
MAX_ID_DIGITS = 18


def int_or_none(value) -> int | None:
    """The id a query string or form value names, else None. ``"²".isdigit()`` is true but
    ``int("²")`` fails, ``int()`` refuses thousands of digits, and SQLite refuses numbers
    beyond 64 bits: each of those is simply no id."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    if len(value) > MAX_ID_DIGITS:
        return None
    return int(value)


class IdField(forms.Field):
    """One id from a query string or form: digits only, at least 1, at most MAX_ID_DIGITS
    digits (``int_or_none``), so every database answers it the same way."""

    default_error_messages = {"invalid": "That is not a valid link: no such record."}

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        pk = int_or_none(str(value).strip())
        if pk is None or pk < 1:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return pk


class IdFilter(django_filters.Filter):
    """A filter on one id: a value no row can have is a filter error, never a query."""

    field_class = IdField


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, except that an id too large for the database is a wrong choice (SQLite
    raises OverflowError on it in the ``pk__in`` lookup that checks the choices)."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk).strip()
            if text.isascii() and text.isdigit() and len(text) > MAX_ID_DIGITS:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text[:20] + "…"},
                )
        return super()._check_values(value)


# The version an edit form was read at ------------------------------------------------------

OUT_OF_DATE = (
    "This page is out of date (it was opened before a change to Growth Matrix): reload it "
    "and make your change again."
)
STALE_EDIT = (
    "Someone else saved this after you opened it, so your changes were not saved yet. They "
    "are still below. Each field the other person changed says “Saved meanwhile” with their "
    "value: a field you had not touched now shows it, one you changed too keeps yours. Check "
    "them, then save again."
)
VERSION, READ_VALUES = "version", "read_values"
READ_VALUES_SALT = "growthmatrix.edit-form.read-values"


class VersionField(forms.IntegerField):
    """The hidden version of an edit form. A missing or impossible value cleans to None, and
    the form says so above its fields (an error of a hidden field would show nowhere)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_VERSION, **kwargs)

    def clean(self, value):
        try:
            return super().clean(value)
        except forms.ValidationError:
            return None


class VersionedFormMixin:
    """For the form of a versioned row (coordinators/versioning.py): an existing row's form
    carries the version it was read at (hidden ``version``) and, signed, the values it showed
    then (hidden ``read_values``), which after a stale save tell the fields the person changed
    from those someone else changed. A model form saves through ``versioned_save``; a form
    saved by a service hands ``expected_version`` to it."""

    def versioned_row(self):
        """The row the form edits; None or an unsaved row for a form that adds one."""
        return getattr(self, "instance", None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        row = self.versioned_row()
        if row is not None and row.pk is not None:
            self.fields[VERSION] = VersionField(initial=row.version)
            # Read when the page is drawn, after every subclass has set its initial values.
            self.fields[READ_VALUES] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=self.read_values_signed
            )
            helper = getattr(self, "helper", None)
            if helper is not None:  # a crispy layout leaves out fields it does not name
                helper.render_hidden_fields = True

    @property
    def edits_saved_row(self) -> bool:
        return VERSION in self.fields

    @property
    def expected_version(self) -> int:
        return self.cleaned_data[VERSION]

    def clean(self):
        cleaned = super().clean()
        if self.edits_saved_row and cleaned.get(VERSION) is None:
            raise forms.ValidationError(OUT_OF_DATE)
        return cleaned

    def save(self, commit=True):
        """A model form's save of an existing row: the form's fields, if the row is still at
        the version the form was read at (else ``StaleEdit``, and nothing is written)."""
        if not self.edits_saved_row:
            return super().save(commit=commit)
        if not commit:
            raise TypeError("A versioned edit is saved in one step, with its version check.")
        if self.errors:
            raise ValueError("The form does not validate; there is nothing to save.")
        columns = {f.name for f in self.instance._meta.concrete_fields}
        with transaction.atomic():
            versioned_save(
                self.instance,
                fields=[name for name in self.fields if name in columns],
                expected=self.expected_version,
            )
            self._save_m2m()
        return self.instance

    def edited_fields(self):
        return [name for name in self.fields if name not in (VERSION, READ_VALUES)]

    def read_values_signed(self) -> str:
        values = {name: as_data(self[name].value()) for name in self.edited_fields()}
        return signing.dumps(values, salt=READ_VALUES_SALT, compress=True)

    def read_values(self) -> dict | None:
        """The values the form showed when it was read; None when they are not known."""
        try:
            values = signing.loads(self[READ_VALUES].data or "", salt=READ_VALUES_SALT)
        except signing.BadSignature:
            return None
        return values if isinstance(values, dict) else None

    def saved_meanwhile(self, fresh) -> None:
        """After a save refused as stale (``fresh`` is the same form built for the row as
        saved now): under each field someone else changed, say what they saved; a field the
        person had not touched takes that value, one they changed too keeps theirs. The form
        then carries the version saved now, so that saving again is a choice."""
        read = self.read_values()
        data = self.data.copy()
        data[VERSION] = str(fresh.versioned_row().version)
        data[READ_VALUES] = fresh.read_values_signed()
        for name in self.edited_fields():
            if name not in fresh.fields:
                continue
            saved, typed = fresh[name], self[name]
            theirs, mine = as_data(saved.value()), as_data(typed.data)
            if hasattr(typed.field, "as_ids"):  # a picker: a name typed in full is its row's id
                mine = as_data(typed.field.as_ids(typed.data))
            before = as_data(read[name]) if read is not None and name in read else None
            if same(theirs, before) or same(theirs, mine):
                continue  # nobody else changed it, or both typed the same
            if same(mine, before):
                if isinstance(theirs, list):
                    data.setlist(typed.html_name, theirs)
                else:
                    data[typed.html_name] = theirs
            # The bound field keeps its own copy of the help text.
            typed.help_text = typed.field.help_text = format_html(
                '{}<span class="saved-meanwhile">Saved meanwhile: {}</span>',
                typed.field.help_text,
                shown_value(saved),
            )
        self.data = data
        self.add_error(None, STALE_EDIT)


def as_data(value):
    """A form value as a browser sends it back: text, or a list of texts."""
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def same(one, other) -> bool:
    """Two values as sent by a browser mean the same (line breaks, outer spaces and the order
    of ticked boxes aside); None (not known) is never the same."""
    if one is None or other is None:
        return False

    def norm(value):
        if isinstance(value, list):
            return sorted(norm(v) for v in value)
        return value.replace("\r\n", "\n").strip()

    return norm(one) == norm(other)


def shown_value(bound) -> str:
    """A field's initial value as the person reads it: choice labels (an empty choice by its
    label, such as "No director yet"), dates in words."""
    field, value = bound.field, bound.value()
    if hasattr(field, "shown_words"):  # a picker: only the chosen rows are read
        return field.shown_words(value)
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    values = [v for v in values if v not in (None, "")]
    labels = choice_labels(field) if hasattr(field, "choices") else {}
    if not values:
        empty = str(labels.get("", ""))
        return empty if any(c.isalpha() for c in empty) else "(empty)"
    if labels:
        return ", ".join(str(labels.get(str(v), v)) for v in values)
    if isinstance(values[0], date):
        return day_words(values[0])
    if isinstance(values[0], bool):
        return "Yes" if values[0] else "No"
    return str(values[0])


def choice_labels(field) -> dict[str, str]:
    labels = {}
    for key, label in field.choices:
        if isinstance(label, (list, tuple)):  # a group of choices
            labels.update((str(k), text) for k, text in label)
        else:
            labels[str(key)] = label
    return labels


class StaleEditMixin:
    """For the edit page of a versioned row: a save refused as stale (``StaleEdit``, wherever
    the view's ``form_valid`` raised it), or a form with errors read before someone else's save,
    is shown again (409) with what was typed, what was saved meanwhile beside it, and the
    version saved now. A view whose row is not ``self.object`` says how to take the fresh one
    (``row_reload``)."""

    def get_form(self, form_class=None):
        self.posted_form = super().get_form(form_class)
        return self.posted_form

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except StaleEdit as stale:
            if stale.current is None:
                raise Http404("It was deleted meanwhile.") from stale
            return self.stale_edit(self.posted_form, stale.current)

    def form_invalid(self, form):
        """A form read before someone else's save may be wrong only because of that save (a
        choice they removed): say so first."""
        row = form.versioned_row()
        read_at = form.cleaned_data.get(VERSION) if form.edits_saved_row else None
        if read_at is not None:
            current = type(row)._base_manager.filter(pk=row.pk).first()
            if current is not None and current.version != read_at:
                return self.stale_edit(form, current)
        return super().form_invalid(form)

    def stale_edit(self, form, current):
        self.row_reload(current)
        kwargs = self.get_form_kwargs()
        kwargs.pop("data", None)
        kwargs.pop("files", None)
        form.saved_meanwhile(self.get_form_class()(**kwargs))
        return self.render_to_response(self.get_context_data(form=form), status=409)

    def row_reload(self, current) -> None:
        self.object = current


class CountedTextarea(forms.Textarea):
    """A textarea whose length limit is shown, never enforced by the browser: the limit goes
    out as ``data-max-length`` (static/js/char_counter.js shows a counter against it) instead
    of ``maxlength``, which makes browsers cut pasted text short without a word. The form's
    own max_length check refuses a text that is too long and shows it back whole."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        limit = widget_attrs.pop("maxlength", None)
        if limit is not None:
            widget_attrs["data-max-length"] = limit
        return context
