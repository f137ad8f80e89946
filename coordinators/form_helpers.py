"""Form helpers every app shares: reading an id typed by a person or a browser, a filter of
one id, and a many-ids field, each treating an impossible id as a wrong value instead of a
server error."""

import django_filters
from django import forms

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
