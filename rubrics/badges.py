"""A rubric level as a badge, for markup written in Python rather than through the template
language (the overview's tables, the matrix's rows): the HTML of components/level_badge.html
without a suffix."""

from html import escape


def level_badge(value, name) -> str:
    """A level in words (its number when the rubric gave it no name), "Not rated" without one;
    ``name`` is escaped unless it is already safe HTML."""
    if not value:
        return '<span class="gm-badge level level-none">Not rated</span>'
    words = name.__html__() if hasattr(name, "__html__") else escape(str(name or value))
    return f'<span class="gm-badge level level-{escape(str(value))}">{words}</span>'
