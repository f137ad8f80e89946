"""Optimistic versions of the rows people edit through a form.

A versioned row counts its saves in ``version``. Its edit form carries the version it was
read at (coordinators/form_helpers.py, ``VersionedFormMixin``); the save claims the next
version in one conditional UPDATE, which also holds the row until the transaction ends. Of two
people who opened the same form, the second is refused (``StaleEdit``) and nothing of theirs is
written, instead of their stale form silently putting back every field the first one changed.
A write that changes what such a form shows without going through it (a state transition, a
link made from the other row's page, a role taken away) takes the next version too, so that a
form opened before it is stale as well.
"""

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

# A PositiveIntegerField holds up to this on every database.
MAX_VERSION = 2_147_483_647


class Versioned(models.Model):
    """Gives a model the version its edit forms carry."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


def _stamped(model, **values) -> dict:
    """``values``, with the time of the change for a model that keeps one (``updated_at``,
    read by the API's sync): every version taken is a change."""
    if any(field.name == "updated_at" for field in model._meta.concrete_fields):
        values["updated_at"] = timezone.now()
    return values


class StaleEdit(Exception):
    """The row was saved by someone else after the form was read; nothing was written.
    ``current`` is the row as saved now (None when it was deleted meanwhile)."""

    def __init__(self, current):
        super().__init__("Saved by someone else after this form was read.")
        self.current = current


def version_claim(row: Versioned, *, expected: int) -> None:
    """Take the row's next version if it is still at ``expected``, else raise ``StaleEdit``.
    Call inside the transaction of the save: the UPDATE holds the row until it commits."""
    rows = type(row)._base_manager
    if not rows.filter(pk=row.pk, version=expected).update(
        **_stamped(type(row), version=F("version") + 1)
    ):
        raise StaleEdit(rows.filter(pk=row.pk).first())
    row.version = expected + 1


def versions_bump(queryset) -> int:
    """The next version for every row of ``queryset``, whatever version it is at: for writes
    that are not an edit form's save but change what such a form shows."""
    return queryset.update(**_stamped(queryset.model, version=F("version") + 1))


@transaction.atomic
def versioned_save(row: Versioned, *, fields: list[str], expected: int | None = None) -> None:
    """Save ``fields`` of ``row`` and take its next version: only if it is still at
    ``expected`` (an edit form's save), or at whatever version it is when ``expected`` is None
    (a transition asked for as such, which a form opened before it must not undo)."""
    rows = type(row)._base_manager
    if expected is None:
        versions_bump(rows.filter(pk=row.pk))
        row.version = rows.values_list("version", flat=True).get(pk=row.pk)
    else:
        version_claim(row, expected=expected)
    if _stamped(type(row)):
        fields = [*fields, "updated_at"]
    row.save(update_fields=fields)
