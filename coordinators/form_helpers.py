"""Form helpers every app shares: reading an id typed by a person or a browser, and a many-ids
field that treats impossible ids as a wrong choice instead of a server error."""

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
