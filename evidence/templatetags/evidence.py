"""The evidence of an assessment or a check-in on the pages of the assessments and growth apps,
which cannot import this app: their templates load these tags, as they reverse a higher app's
URL by name."""

from html import escape

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

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


ADD_FIELDS = """
  <details class="evidence-add">
    <summary>Attach a file or a link<span class="visually-hidden"> to {what}</span></summary>
    <div class="evidence-add-body">
      <div class="row g-2 align-items-end">
        <div class="col-md-5">
          <label class="form-label" for="evidence-file-{list_id}">File</label>
          <input type="file" class="form-control form-control-sm" name="file" id="evidence-file-{list_id}" form="evidence-add-{list_id}" aria-describedby="evidence-help-{list_id}">
        </div>
        <div class="col-md-4">
          <label class="form-label" for="evidence-url-{list_id}">or a link</label>
          <input type="url" class="form-control form-control-sm" name="url" id="evidence-url-{list_id}" form="evidence-add-{list_id}" placeholder="https://" inputmode="url">
        </div>
        <div class="col-md-3">
          <label class="form-label" for="evidence-title-{list_id}">Title (optional)</label>
          <input type="text" class="form-control form-control-sm" name="title" id="evidence-title-{list_id}" form="evidence-add-{list_id}">
        </div>
      </div>
      <p class="form-text mb-2" id="evidence-help-{list_id}">{accepted}; up to {file_max_mb} MB a file and {assessment_max_mb} MB for the whole {whole}.</p>
      <button type="submit" class="btn btn-sm btn-outline-primary" form="evidence-add-{list_id}">Attach<span class="visually-hidden"> to {what}</span></button>
    </div>
  </details>
  """  # noqa: E501


@register.simple_tag
def evidence_add_fields(list_id, what, evidence) -> str:
    """The fields of an evidence block that attach a file or a link (attachment_block.html,
    and the matrix's rows written by matrix_rows.py): they belong to the form
    "evidence-add-<list_id>" drawn outside the page's own form. ``evidence``: what the page
    accepts (``accepted``, ``file_max_mb``, ``assessment_max_mb`` and, for a check-in,
    ``whole``)."""
    return mark_safe(
        ADD_FIELDS.format(
            list_id=escape(str(list_id)),
            what=conditional_escape(what),
            accepted=conditional_escape(getattr(evidence, "accepted", "") or "Links only"),
            file_max_mb=getattr(evidence, "file_max_mb", ""),
            assessment_max_mb=getattr(evidence, "assessment_max_mb", ""),
            whole=conditional_escape(getattr(evidence, "whole", "") or "assessment"),
        )
    )
