from django import template

from dashboards.selectors.attention import mentor_attention
from dashboards.selectors.growth_panel import growth_panel as growth_panel_data

register = template.Library()


@register.inclusion_tag("dashboards/includes/growth_panel.html", takes_context=True)
def growth_panel(context, profile, flags=None, page=None, finalized=None, reads=None):
    """Goals, supports, career stage and suggested supports for one coordinator's page.

    ``{% growth_panel profile %}`` loads everything itself (at most nine queries). A page that
    has already read some of it passes it in instead: ``flags`` (the coordinator's current
    flags), ``page`` (a dashboards.selectors.common.PageFacts: career stages, thresholds and rubric
    names) and ``finalized`` (the coordinator's assessments with category scores, oldest
    first), as the coordinator page does:
    ``{% growth_panel profile flags=row.flags page=page_context finalized=history.finalized %}``.
    ``reads`` (a PanelReads: stages, thresholds, goals and supports) leaves only the
    catalogue to read, as on the coordinator's own growth page.
    """
    request = context.get("request")
    if profile is None or request is None:
        return {"panel": None}
    panel = growth_panel_data(
        profile=profile,
        viewer=request.user,
        flags=flags,
        stages=page.stages if page is not None else None,
        thresholds=page.thresholds if page is not None else None,
        names_by_version=page.names_by_version if page is not None else None,
        finalized=finalized,
        reads=reads,
    )
    return {"panel": panel, "request": request, "here": request.get_full_path()}


@register.simple_tag
def mentee_cards(mentees):
    """``{% mentee_cards mentees as cards %}``: each mentee of growth.selectors.mentees_of with
    their current flags, open goals in their rubric's words and the last contact on record,
    those needing attention first (a fixed number of queries)."""
    return mentor_attention(mentees=list(mentees))
