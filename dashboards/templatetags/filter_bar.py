"""The dashboard filter bar's fields, written by one tag: ``{% filter_field field %}`` writes
what components/filter_field.html does (the label, the widget, and what was wrong with the
value), byte for byte, without an include per field: through the template language the
filter bar's fields cost about as much as a third of the heatmap's rows."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

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
