"""The matrix's indicator rows, written by tags: ``{% matrix_form_rows rows evidence %}`` (the
coordinator's editable matrix), ``{% review_form_rows rows evidence coordinator_name %}`` (the
director's review) and ``{% matrix_readonly_rows rows evidence ... %}`` (a submitted or
finalized matrix).

Nineteen indicators, each with three radio cards, a text box and its evidence block, were some
eleven hundred lookups of the template language on every matrix page, about 40% of the page's
time, on the pages a coordinator opens most. Written here from format strings, as the
dashboard's heatmap rows are (dashboards/templatetags/heatmap.py), they are byte for byte the
HTML of the templates they replaced (kept as the reference in tests/evidence/), with every text
escaped as the templates' autoescape does. A row's files and links, when it has any, are still
drawn by evidence/includes/attachment_list.html, as the evidence views draw them after each
change. They live in ``evidence`` because each row carries its evidence block, and evidence
sits above assessments in the apps' layers.
"""

from html import escape

from django import template
from django.template.defaultfilters import linebreaksbr
from django.template.loader import get_template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from evidence.templatetags.evidence import evidence_add_fields
from rubrics.badges import level_badge

register = template.Library()

FORM_ROW = """
<fieldset class="matrix-indicator{invalid_class}" id="indicator-{pk}">
  <legend class="matrix-indicator-name">{name}</legend>
  {errors}
  {reference}
  {conflict}
  {options}
  <div class="mt-3">
    <label class="form-label" for="{text_id}">Evidence<span class="visually-hidden"> for {name}</span>: what shows this?</label>
    {textarea}
    {text_errors}
  </div>
  {evidence}
</fieldset>
"""  # noqa: E501
REVIEW_ROW = """
<fieldset class="matrix-indicator{differs_class}{invalid_class}" id="indicator-{pk}"{self_level_data}>
  <legend class="matrix-indicator-name">{name}</legend>
  <div class="review-self">
    <p class="side-label">{coordinator_name}'s self-assessment</p>
    {self_badge}
    <p class="mb-0 mt-2"><span class="fw-semibold">Evidence:</span> {self_evidence}</p>
    {evidence}
  </div>
  {differs}
  <p class="side-label mt-3">Your level</p>
  {errors}
  {conflict}
  {options}
  <div class="mt-3">
    <label class="form-label" for="{text_id}">Your note<span class="visually-hidden"> on {name}</span></label>
    {textarea}
    {text_errors}
  </div>
</fieldset>
"""  # noqa: E501
READONLY_ROW = """
<div class="matrix-indicator{differs_class}" id="indicator-{pk}">
  <h3 class="matrix-indicator-name">{name}</h3>
  <div class="row g-3">
    {self_side}
    {supervisor_side}
  </div>
  {differs}
</div>
"""
READONLY_SELF = """
    <div class="col-md">
      <p class="side-label">{label}</p>
      {badge}
      {descriptor}
      <p class="mb-0"><span class="fw-semibold">Evidence:</span> {self_evidence}</p>
      {evidence}
    </div>
    """
READONLY_SUPERVISOR = """
    <div class="col-md">
      <p class="side-label">{label}</p>
      {badge}
      <p class="mb-0 mt-2"><span class="fw-semibold">Note:</span> {note}</p>
    </div>
    """
ERRORS = """<div id="indicator-{pk}-error">
  {missing}
  {errors}
  </div>"""
ERROR = '<p class="matrix-error">{}</p>'
REFERENCE = (
    '<p class="matrix-reference" id="indicator-{pk}-reference">For reference: in {cycle} you and'
    " your director agreed on <strong>{level}</strong>. Choose what fits your work today.</p>"
)
CONFLICT = """
<div class="matrix-conflict" id="indicator-{pk}-conflict">
  <p class="mb-1"><strong>Saved elsewhere meanwhile:</strong> {level}</p>
  {text}
  <p class="mb-0 small text-body-secondary">Your own choice and text are in the form below; save again to keep them.</p>
</div>
"""  # noqa: E501
CONFLICT_TEXT = '<p class="mb-0 small">“{}”</p>'
OPTIONS = """
<div class="matrix-choices">
  {}
</div>
"""
OPTION = """
  <div class="matrix-choice">
    <input type="radio" name="{name}" id="{id}" value="{value}"{checked}{invalid}>
    <label for="{id}"><span class="level-name">{level}</span>{self_tag}{reference_tag}<span class="descriptor">{text}</span></label>
  </div>
  """  # noqa: E501
INVALID_OPTION = ' aria-invalid="true" aria-describedby="indicator-{}-error"'
SELF_TAG = '<span class="self-tag">Coordinator\'s choice</span>'
REFERENCE_TAG = '<span class="self-tag reference-tag">Agreed last cycle</span>'
TEXTAREA = (
    '<textarea name="{name}" id="{id}" rows="2" data-max-length="{max}" class="form-control'
    '{invalid_class}"{invalid}>{value}</textarea>'
)
INVALID_TEXT = ' aria-invalid="true" aria-describedby="{}-error"'
TEXT_ERRORS = '<div class="invalid-feedback" id="{id}-error">{errors}</div>'
NONE_GIVEN = '<span class="text-body-secondary">none given</span>'
NONE = '<span class="text-body-secondary">none</span>'
DIFFERS = '<p class="differs-note">{}</p>'

# evidence/includes/attachment_block.html and attachment_list.html, without files or links
# (the fields that add one are the tag that block draws them with).
BLOCK = """
<div class="evidence-block" data-evidence-owner="{list_id}">
  {heading}
  {items}
  {add}
  <p class="evidence-status mb-0" id="evidence-status-{list_id}" role="status" aria-live="polite"></p>
</div>
"""  # noqa: E501
HEADING = (
    '<p class="evidence-heading mb-1">Files and links<span class="visually-hidden"> for {what}'
    "</span></p>"
)
EMPTY_LIST = """
<ul class="evidence-list list-unstyled mb-0" id="evidence-list-{list_id}">
{none}

</ul>
"""
NO_ITEMS = '<li class="evidence-none">No files or links yet.</li>'


def _text(value) -> str:
    """``{{ value }}``: escaped unless already safe."""
    return conditional_escape(value)


def _block(row, evidence, *, can_add: bool, request) -> str:
    """An indicator's evidence block (attachment_block.html with ``list_id`` the indicator's
    id, ``what`` its name and no ``remove``: whoever may add may remove)."""
    pk, what = row["pk"], escape(row["name"])
    items = evidence.by_indicator.get(pk, [])
    if items:
        listed = get_template("evidence/includes/attachment_list.html").render(
            {"items": items, "list_id": pk, "can_remove": can_add}, request
        )
    else:
        listed = EMPTY_LIST.format(list_id=pk, none=NO_ITEMS if can_add else "")
    add = evidence_add_fields(pk, row["name"], evidence) if can_add else ""
    return BLOCK.format(
        list_id=pk,
        heading=HEADING.format(what=what) if items or can_add else "",
        items=listed,
        add=add,
    )


def _errors(row, missing_words: str) -> str:
    if not row["invalid"]:
        return ""
    return ERRORS.format(
        pk=row["pk"],
        missing=ERROR.format(missing_words) if row["missing"] else "",
        errors="".join(ERROR.format(_text(error)) for error in row["level_errors"]),
    )


def _conflict(row) -> str:
    conflict = row["conflict"]
    if not conflict:
        return ""
    text = conflict.get("text")
    return CONFLICT.format(
        pk=row["pk"],
        level=_text(conflict.get("level_name", "")),
        text=CONFLICT_TEXT.format(linebreaksbr(text, autoescape=True)) if text else "",
    )


def _options(row, *, self_tag: bool) -> str:
    invalid = INVALID_OPTION.format(row["pk"]) if row["invalid"] else ""
    name = escape(row["level_input"])
    return OPTIONS.format(
        "".join(
            OPTION.format(
                name=name,
                id=escape(option["id"]),
                value=option["value"],
                checked=" checked" if option["checked"] else "",
                invalid=invalid,
                level=_text(option["name"]),
                self_tag=SELF_TAG if self_tag and option["is_self"] else "",
                reference_tag=REFERENCE_TAG if option["is_reference"] else "",
                text=_text(option["text"] or "(no descriptor)"),
            )
            for option in row["options"]
        )
    )


def _textarea(row) -> tuple[str, str]:
    """The text box and its errors."""
    text_id = escape(row["text_id"])
    errors = row["text_errors"]
    box = TEXTAREA.format(
        name=escape(row["text_input"]),
        id=text_id,
        max=row["text_max"],
        invalid_class=" is-invalid" if errors else "",
        invalid=INVALID_TEXT.format(text_id) if errors else "",
        value=_text(row["text_value"]),
    )
    if not errors:
        return box, ""
    joined = " ".join(_text(error) for error in errors)
    return box, TEXT_ERRORS.format(id=text_id, errors=joined)


def _reference(row) -> str:
    reference = row["reference"]
    if not reference:
        return ""
    return REFERENCE.format(
        pk=row["pk"], cycle=_text(reference.cycle_name), level=_text(reference.level_name)
    )


@register.simple_tag(takes_context=True)
def matrix_form_rows(context, rows, evidence) -> str:
    """The coordinator's editable rows (assessments/includes/matrix_indicator_form.html)."""
    request = context.get("request")
    written = []
    for row in rows:
        textarea, text_errors = _textarea(row)
        written.append(
            FORM_ROW.format(
                invalid_class=" matrix-indicator-invalid" if row["invalid"] else "",
                pk=row["pk"],
                name=escape(row["name"]),
                errors=_errors(row, "Choose a level for this indicator."),
                reference=_reference(row),
                conflict=_conflict(row),
                options=_options(row, self_tag=False),
                text_id=escape(row["text_id"]),
                textarea=textarea,
                text_errors=text_errors,
                evidence=_block(row, evidence, can_add=evidence.can_add_self, request=request),
            )
        )
    return mark_safe("".join(written))


def _self_evidence(rating) -> str:
    text = getattr(rating, "self_evidence", "")
    return linebreaksbr(text, autoescape=True) if text else NONE_GIVEN


@register.simple_tag(takes_context=True)
def review_form_rows(context, rows, evidence, coordinator_name) -> str:
    """The director's review rows (assessments/includes/review_indicator_form.html)."""
    request = context.get("request")
    coordinator = _text(coordinator_name)
    written = []
    for row in rows:
        rating = row["rating"]
        self_level = getattr(rating, "self_level", None)
        textarea, text_errors = _textarea(row)
        written.append(
            REVIEW_ROW.format(
                differs_class=" differs" if row["differs"] else "",
                invalid_class=" matrix-indicator-invalid" if row["invalid"] else "",
                pk=row["pk"],
                self_level_data=f' data-self-level="{self_level}"' if self_level else "",
                name=escape(row["name"]),
                coordinator_name=coordinator,
                self_badge=level_badge(self_level, row["self_level_name"]),
                self_evidence=_self_evidence(rating),
                evidence=_block(row, evidence, can_add=False, request=request),
                differs=DIFFERS.format(_text(row["differs"])) if row["differs"] else "",
                errors=_errors(row, "Choose your level for this indicator."),
                conflict=_conflict(row),
                options=_options(row, self_tag=True),
                text_id=escape(row["text_id"]),
                textarea=textarea,
                text_errors=text_errors,
            )
        )
    return mark_safe("".join(written))


@register.simple_tag(takes_context=True)
def matrix_readonly_rows(
    context,
    rows,
    evidence,
    *,
    show_self=False,
    show_supervisor=False,
    self_label="",
    supervisor_label="",
) -> str:
    """Read-only rows (assessments/includes/matrix_indicator_readonly.html): the self level
    and evidence, and the supervisor's when shown."""
    request = context.get("request")
    both = show_self and show_supervisor
    self_label = _text(self_label or "Self-assessment")
    supervisor_label = _text(supervisor_label or "Supervisor")
    written = []
    for row in rows:
        rating = row["rating"]
        self_side = supervisor_side = ""
        if show_self:
            descriptor = row["self_descriptor"]
            self_side = READONLY_SELF.format(
                label=self_label,
                badge=level_badge(getattr(rating, "self_level", None), row["self_level_name"]),
                descriptor=(
                    f'<p class="small mt-2 mb-2">{_text(descriptor)}</p>' if descriptor else ""
                ),
                self_evidence=_self_evidence(rating),
                evidence=_block(row, evidence, can_add=False, request=request),
            )
        if show_supervisor:
            note = getattr(rating, "supervisor_note", "")
            supervisor_side = READONLY_SUPERVISOR.format(
                label=supervisor_label,
                badge=level_badge(
                    getattr(rating, "supervisor_level", None), row["supervisor_level_name"]
                ),
                note=linebreaksbr(note, autoescape=True) if note else NONE,
            )
        differs = both and row["differs"]
        written.append(
            READONLY_ROW.format(
                differs_class=" differs" if differs else "",
                pk=row["pk"],
                name=escape(row["name"]),
                self_side=self_side,
                supervisor_side=supervisor_side,
                differs=DIFFERS.format(_text(row["differs"])) if differs else "",
            )
        )
    return mark_safe("".join(written))
