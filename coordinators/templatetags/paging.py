"""The pagination component's links (templates/components/pagination.html)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, param: str, number: int) -> str:
    """The page's query string with ``param`` set to ``number``, its other parameters (its
    filters, the other lists' pages) kept: ``{% querystring page=number %}`` for a list whose
    page parameter has another name, as when one page shows several paged lists."""
    query = context.request.GET.copy()
    query[param] = number
    return f"?{query.urlencode()}"
