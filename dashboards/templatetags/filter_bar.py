"""The dashboard filter bar's fields, written by one tag: ``{% filter_field field %}`` writes
what components/filter_field.html does (the label, the widget, and what was wrong with the
value), byte for byte, without an include per field: through the template language the
filter bar's fields cost about as much as a third of the heatmap's rows."""

from functools import lru_cache

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from coordinators.models import Team
from dashboards.filters import DashboardFilterSet
from dashboards.read_model import Ref

register = template.Library()


@register.simple_tag
def filter_field(field) -> str:
    """``field`` is a bound field of a form whose widgets render themselves (see
    ``dashboards.filters.WRITTEN_WIDGETS``)."""
    for_id = conditional_escape(field.id_for_label)
    errors = ""
    if field.errors:
        words = " ".join(conditional_escape(error) for error in field.errors)
        errors = (
            f'<div class="invalid-feedback d-block" id="{for_id}-error">{words}'
            " This filter was left out.</div>"
        )
    return mark_safe(
        f'\n<label class="form-label" for="{for_id}">{conditional_escape(field.label)}</label>\n'
        f"{conditional_escape(field)}{errors}\n"
    )


# The dashboard's filter bar: its fields in the bar, and its hidden fields (as their widget).
BAR_FIELDS = ("cycle", "team", "school_level", "setting", "flag", "status", "q")
HIDDEN_FIELDS = ("sort", "school")


def _written_fields(form) -> dict[str, str]:
    fields = {name: filter_field(form[name]) for name in BAR_FIELDS}
    fields.update({name: conditional_escape(form[name]) for name in HIDDEN_FIELDS})
    return fields


@lru_cache(maxsize=256)
def _unfiltered_fields(cycle_choices: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """The fields of a request with no filter in it: nothing there but the cycles' choices
    differs between organizations or people (the team picker shows no team)."""
    cycles = [Ref(pk, name) for pk, name in cycle_choices]
    empty = DashboardFilterSet(None, queryset=None, cycles=cycles, teams=Team.objects.none())
    return _written_fields(empty.form)


@register.simple_tag
def dashboard_filter_fields(filterset) -> dict[str, str]:
    """The fields of the dashboard's filter set by name, each as ``filter_field`` writes it
    (``{% dashboard_filter_fields filterset as fields %}``). Without a filter in the request
    they are written once per set of cycles: building the form and writing its widgets cost
    as much as a login page, on every page that no filter narrows."""
    if filterset.is_bound:
        return _written_fields(filterset.form)
    return _unfiltered_fields(tuple(filterset.filters["cycle"].extra["choices"]))
