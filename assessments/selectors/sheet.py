"""The sheet of one assessment, its rubric words with its ratings, in a fixed number of
queries, and the rows the coordinator's and the director's pages show of it."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Subquery

from assessments.models import RATINGS_READ, Assessment, CategoryScore, Rating
from coordinators.form_helpers import int_or_none
from coordinators.prepared import Call, Prepared, together
from rubrics.models import Category, Indicator, Level
from rubrics.text import pinned_rubric_text, rubric_text


@dataclass
class SheetIndicator:
    indicator: Indicator
    descriptors: dict[int, str]  # level value → descriptor text
    rating: Rating | None

    @property
    def pk(self) -> int:
        return self.indicator.pk


@dataclass
class SheetCategory:
    category: Category
    indicators: list[SheetIndicator]
    score: CategoryScore | None


@dataclass
class AssessmentSheet:
    """The sheet a coordinator fills in and a director reviews: one assessment's rubric
    version, word for word, with its ratings and category levels."""

    rubric_name: str
    levels: list[Level]
    categories: list[SheetCategory]
    # The agreed levels of the last cycle by indicator (``previous_agreed_levels``), when read.
    references: dict | None = None
    # The answers of the page's other reads, made in the same round trip (``also``).
    also: list = field(default_factory=list)
    level_names: dict[int, str] = field(init=False)

    def __post_init__(self):
        self.level_names = {level.value: level.name for level in self.levels}

    @property
    def indicators(self) -> list[SheetIndicator]:
        return [item for category in self.categories for item in category.indicators]

    def level_name(self, value) -> str:
        return self.level_names.get(value, str(value))


_RATINGS = Prepared(
    lambda _shape, assessment: Rating.objects.filter(assessment_id=assessment).order_by(),
    "assessment",
)
_SCORES = Prepared(
    lambda _shape, assessment: CategoryScore.objects.filter(assessment_id=assessment),
    "assessment",
)


def assessment_sheet(
    *,
    assessment: Assessment,
    scores: bool = True,
    references: bool = False,
    also: Sequence[Call] = (),
) -> AssessmentSheet:
    """The pinned version's words with this assessment's ratings and stored category levels,
    in one round trip on PostgreSQL (seven more when the version's words are not cached). A
    background save, which shows nothing, leaves the category levels out (``scores=False``);
    the coordinator's form adds last cycle's agreed levels (``references``); ``also`` are
    other reads of the page, whose answers are the sheet's ``also``."""
    text = rubric_text(assessment.rubric_version)
    calls = [_RATINGS.call(assessment=assessment.pk)]
    if scores:
        calls.append(_SCORES.call(assessment=assessment.pk))
    if references:
        calls.append(_AGREED.call(assessment=assessment.pk))
    answers = iter(together(*calls, *also))
    read = next(answers)
    stored = next(answers) if scores else ()
    agreed = next(answers) if references else None
    setattr(assessment, RATINGS_READ, (assessment.version, read))
    ratings = {rating.indicator_id: rating for rating in read}
    score_of = {score.category_key: score for score in stored}
    return AssessmentSheet(
        rubric_name=text.name,
        levels=text.levels,
        categories=[
            SheetCategory(
                category=category,
                indicators=[
                    SheetIndicator(
                        indicator=indicator,
                        descriptors=descriptors,
                        rating=ratings.get(indicator.pk),
                    )
                    for indicator, descriptors in indicators
                ],
                score=score_of.get(category.key),
            )
            for category, indicators in text.categories
        ],
        references=_agreed(assessment, agreed) if references else None,
        also=list(answers),
    )


# Last cycle's agreed levels ------------------------------------------------------------------


@dataclass(frozen=True)
class AgreedReference:
    """The level a coordinator and their director agreed on for one indicator in an earlier,
    finalized assessment: shown beside the indicator as a reference, never preselected."""

    cycle_name: str
    level: int
    level_name: str


def _previous_finalized(assessment: int):
    """The coordinator's finalized assessments of cycles before the one of ``assessment`` (an
    id), latest first."""
    this = Assessment.objects.filter(pk=assessment)
    return (
        Assessment.objects.filter(
            coordinator_id=Subquery(this.values("coordinator_id")),
            state=Assessment.State.FINALIZED,
            cycle__opens_on__lt=Subquery(this.values("cycle__opens_on")),
        )
        .exclude(pk=assessment)
        .order_by("-cycle__opens_on", "-pk")
    )


# The latest one's agreed levels, its cycle's name and its version.
_AGREED = Prepared(
    lambda _shape, assessment: (
        Rating.objects.filter(
            assessment=Subquery(_previous_finalized(assessment).values("pk")[:1]),
            supervisor_level__isnull=False,
        )
        .order_by()
        .values_list(
            "indicator__key",
            "supervisor_level",
            "assessment__cycle__name",
            "assessment__rubric_version_id",
        )
    ),
    "assessment",
)


def previous_agreed_levels(*, assessment: Assessment) -> dict[int, AgreedReference]:
    """Per indicator of ``assessment`` (by pk), the supervisor's level in the coordinator's
    latest finalized assessment of an earlier cycle, where that indicator is the same one: the
    indicators are matched by the key a rubric version's copies carry over, so an indicator
    added since, or of another rubric, has no reference. One query (none more when read with
    the sheet: ``assessment_sheet(references=True)``), plus the earlier version's words when
    they are not cached."""
    return _agreed(assessment, _AGREED.all(assessment=assessment.pk))


def _agreed(assessment: Assessment, rows: list) -> dict[int, AgreedReference]:
    if not rows:
        return {}
    agreed = {key: level for key, level, _, _ in rows}
    _, _, cycle_name, previous_version_id = rows[0]
    old_names = {
        level.value: level.name for level in pinned_rubric_text(previous_version_id).levels
    }
    current = rubric_text(assessment.rubric_version)
    return {
        indicator.pk: AgreedReference(
            cycle_name=cycle_name,
            level=agreed[indicator.key],
            level_name=old_names.get(agreed[indicator.key], str(agreed[indicator.key])),
        )
        for _category, indicators in current.categories
        for indicator, _descriptors in indicators
        if indicator.key in agreed
    }


# The rows of the sheet's pages ---------------------------------------------------------------


class SheetRows(list):
    """The categories of sheet_rows, with the page's progress: how many indicators have a
    level in the form (``rated``) of how many (``total``)."""

    @property
    def rated(self) -> int:
        return sum(category["rated"] for category in self)

    @property
    def total(self) -> int:
        return sum(len(category["rows"]) for category in self)


def _differs(sheet: AssessmentSheet, rating) -> str:
    """The words that mark a row where self and supervisor disagree (never colour alone)."""
    if rating is None or rating.self_level is None or rating.supervisor_level is None:
        return ""
    if rating.self_level == rating.supervisor_level:
        return ""
    return (
        f"Differs: self {sheet.level_name(rating.self_level)}, "
        f"supervisor {sheet.level_name(rating.supervisor_level)}"
    )


def _options(sheet: AssessmentSheet, item: SheetIndicator, level_field) -> list[dict]:
    """The radio buttons of one indicator, checked from the form's value."""
    chosen = level_field.value()
    return [
        {
            "value": level.value,
            "name": level.name,
            "text": item.descriptors.get(level.value, ""),
            "id": f"{level_field.auto_id}_{level.value}",
            "checked": chosen is not None and str(chosen) == str(level.value),
            "is_self": getattr(item.rating, "self_level", None) == level.value,
        }
        for level in sheet.levels
    ]


def _inputs(level_field, text_field, *, missing: bool) -> dict:
    """The names, ids, value and errors of one row's level radios and text box."""
    level_errors, text_errors = list(level_field.errors), list(text_field.errors)
    value = text_field.value()
    return {
        "level_input": level_field.html_name,
        "level_errors": level_errors,
        "invalid": missing or bool(level_errors),
        "text_input": text_field.html_name,
        "text_id": text_field.auto_id,
        "text_value": "" if value is None else value,
        "text_max": text_field.field.max_length,
        "text_errors": text_errors,
    }


def sheet_rows(
    sheet: AssessmentSheet, form=None, *, missing=(), conflicts=None, references=None
) -> SheetRows:
    """The sheet as the templates walk it: categories, then one row per indicator with its
    radio options (when ``form``, a sheet form, is given), errors, conflicts, the differs
    marker and last cycle's agreed level (``references``, from previous_agreed_levels); each
    category says how many of its indicators have a level in the form."""
    missing_ids = {indicator.pk for indicator in missing}
    conflicts = conflicts or {}
    references = references or {}
    categories = SheetRows()
    for category in sheet.categories:
        rows = []
        for item in category.indicators:
            self_level = getattr(item.rating, "self_level", None)
            row = {
                "item": item,
                # What the row templates write again and again, looked up once here: a
                # template's lookup of an attribute or a form field's property costs several
                # times a dictionary's, and a matrix page makes some two thousand.
                "pk": item.pk,
                "name": item.indicator.name,
                "rating": item.rating,
                "self_level_name": sheet.level_name(self_level),
                "supervisor_level_name": sheet.level_name(
                    getattr(item.rating, "supervisor_level", None)
                ),
                "self_descriptor": item.descriptors.get(self_level),
                "differs": _differs(sheet, item.rating),
                "missing": item.pk in missing_ids,
                "conflict": conflicts.get(item.pk),
                "reference": references.get(item.pk),
            }
            if form is not None:
                level_field = form[form.level_name(item.pk)]
                text_field = form[form.text_name(item.pk)]
                row.update(_inputs(level_field, text_field, missing=row["missing"]))
                row["options"] = _options(sheet, item, level_field)
                for option in row["options"]:
                    option["is_reference"] = (
                        row["reference"] is not None and row["reference"].level == option["value"]
                    )
                row["rated"] = any(option["checked"] for option in row["options"])
            rows.append(row)
        score = category.score
        rated = sum(1 for row in rows if row.get("rated"))
        categories.append(
            {
                "category": category.category,
                "rated": rated,
                "complete": bool(rows) and rated == len(rows),
                "score": score,
                "self_name": sheet.level_name(getattr(score, "self_level", None)),
                "supervisor_name": sheet.level_name(getattr(score, "supervisor_level", None)),
                "rows": rows,
            }
        )
    return categories


def sheet_conflicts(sheet: AssessmentSheet, form, *, level_field: str, text_field: str) -> dict:
    """Per indicator, what is stored now where it differs from what the person typed in
    ``form`` (a validated sheet form)."""
    conflicts = {}
    for item in sheet.indicators:
        stored_level = getattr(item.rating, level_field, None)
        stored_text = getattr(item.rating, text_field, "") or ""
        typed_level = form.cleaned_data.get(form.level_name(item.pk))
        typed_text = (form.cleaned_data.get(form.text_name(item.pk)) or "").strip()
        if stored_level != typed_level or stored_text != typed_text:
            conflicts[item.pk] = {
                "level_name": sheet.level_name(stored_level) if stored_level else "no level",
                "text": stored_text,
            }
    return conflicts


def unsaved_rows(sheet: AssessmentSheet, form, *, level_field: str, text_field: str) -> list[dict]:
    """What a person typed in ``form`` (a bound sheet form, valid or not) that differs from
    what is stored, per indicator in page order: shown back when the save was refused for good
    (the assessment moved on), so they can copy it."""
    rows = []
    for item in sheet.indicators:
        raw_level = form.data.get(form.level_name(item.pk), "")
        typed_level = int_or_none(str(raw_level))
        typed_text = str(form.data.get(form.text_name(item.pk), "")).strip()
        stored_level = getattr(item.rating, level_field, None)
        stored_text = getattr(item.rating, text_field, "") or ""
        if (typed_text and typed_text != stored_text) or (
            typed_level is not None and typed_level != stored_level
        ):
            rows.append(
                {
                    "pk": item.pk,
                    "name": item.indicator.name,
                    "level_name": sheet.level_name(typed_level) if typed_level is not None else "",
                    "text": typed_text,
                }
            )
    return rows
