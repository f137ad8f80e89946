"""The evidence of an assessment or a check-in on the pages of the assessments and growth apps,
which cannot import this app: their templates load these tags, as they reverse a higher app's
URL by name."""

from django import template

from evidence import selectors
from rubrics.models import Indicator

register = template.Library()


@register.simple_tag(takes_context=True)
def evidence_on_page(context, assessment):
    """``{% evidence_on_page assessment as evidence %}``: what the person sees and may add."""
    return selectors.evidence_on_page(assessment=assessment, user=context["request"].user)


@register.filter
def for_indicator(evidence, indicator_pk):
    """The attachments of one indicator's rating: ``evidence|for_indicator:row.item.pk``."""
    return evidence.by_indicator.get(indicator_pk, [])


@register.simple_tag(takes_context=True)
def evidence_history(context, assessment):
    """``{% evidence_history assessment as changes %}``: files and links added and removed."""
    names = dict(
        Indicator.objects.filter(category__version_id=assessment.rubric_version_id).values_list(
            "pk", "name"
        )
    )
    return selectors.evidence_history(
        assessment=assessment, user=context["request"].user, indicator_names=names
    )


@register.simple_tag(takes_context=True)
def check_in_evidence(context, check_in):
    """``{% check_in_evidence check_in as evidence %}``: what the person sees and may add."""
    return selectors.check_in_evidence_on_page(check_in=check_in, user=context["request"].user)


@register.simple_tag(takes_context=True)
def check_in_evidence_history(context, check_in):
    """``{% check_in_evidence_history check_in as changes %}``: files and links added and
    removed."""
    return selectors.check_in_evidence_history(check_in=check_in, user=context["request"].user)
