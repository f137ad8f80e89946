"""The sheet of one assessment, its rubric words with its ratings, in a fixed number of
queries, and the rows the coordinator's and the director's pages show of it."""

from dataclasses import dataclass, field

from assessments.models import Assessment, CategoryScore, Rating
from rubrics.models import Category, Indicator, Level
from rubrics.text import rubric_text


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
    level_names: dict[int, str] = field(init=False)

    def __post_init__(self):
        self.level_names = {level.value: level.name for level in self.levels}

    @property
    def indicators(self) -> list[SheetIndicator]:
        return [item for category in self.categories for item in category.indicators]

    def level_name(self, value) -> str:
        return self.level_names.get(value, str(value))


def assessment_sheet(*, assessment: Assessment) -> AssessmentSheet:
    """The pinned version's words with this assessment's ratings and stored category levels:
    two queries when the version's words are cached, seven when they are not."""
    text = rubric_text(assessment.rubric_version)
    ratings = {
        rating.indicator_id: rating
        for rating in Rating.objects.filter(assessment=assessment).order_by()
    }
    scores = {
        score.category_key: score for score in CategoryScore.objects.filter(assessment=assessment)
    }
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
                score=scores.get(category.key),
            )
            for category, indicators in text.categories
        ],
    )


# The rows of the sheet's pages ---------------------------------------------------------------


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


def sheet_rows(sheet: AssessmentSheet, form=None, *, missing=(), conflicts=None) -> list[dict]:
    """The sheet as the templates walk it: categories, then one row per indicator with its
    radio options (when ``form``, a sheet form, is given), errors, conflicts and the differs
    marker."""
    missing_ids = {indicator.pk for indicator in missing}
    conflicts = conflicts or {}
    categories = []
    for category in sheet.categories:
        rows = []
        for item in category.indicators:
            self_level = getattr(item.rating, "self_level", None)
            row = {
                "item": item,
                "rating": item.rating,
                "self_level_name": sheet.level_name(self_level),
                "supervisor_level_name": sheet.level_name(
                    getattr(item.rating, "supervisor_level", None)
                ),
                "self_descriptor": item.descriptors.get(self_level),
                "differs": _differs(sheet, item.rating),
                "missing": item.pk in missing_ids,
                "conflict": conflicts.get(item.pk),
            }
            if form is not None:
                level_field = form[form.level_name(item.pk)]
                row["level_field"] = level_field
                row["text_field"] = form[form.text_name(item.pk)]
                row["options"] = _options(sheet, item, level_field)
            rows.append(row)
        score = category.score
        categories.append(
            {
                "category": category.category,
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
