import pytest

from rubrics import vocabulary
from rubrics.defaults import CATEGORY_KEYS, DEFAULT_RUBRICS, LEVELS
from rubrics.models import CategoryKey, Descriptor, Indicator, RubricVersion


@pytest.mark.parametrize("rubric", DEFAULT_RUBRICS, ids=lambda r: r["family"])
def test_default_rubric_data_is_complete(rubric):
    assert [c["key"] for c in rubric["categories"]] == CATEGORY_KEYS
    for category in rubric["categories"]:
        assert category["name"] and category["description"]
        assert len(category["indicators"]) >= 4
        for indicator in category["indicators"]:
            assert indicator["name"].strip()
            assert len(indicator["descriptors"]) == len(LEVELS)
            assert all(len(text.strip()) > 40 for text in indicator["descriptors"])


def test_new_organization_has_the_default_rubric_published_in_full(org):
    version = RubricVersion.objects.get(rubric__organization=org)
    assert version.state == "published" and version.number == 1
    assert [c.name for c in version.categories.order_by("order")] == [
        "Coordinator",
        "School site",
        "Organizational supports",
        "Development",
    ]
    assert [lv.name for lv in version.levels.order_by("value")] == [
        "Novice",
        "Proficient",
        "Expert",
    ]
    indicators = Indicator.objects.filter(category__version=version)
    names = set(indicators.values_list("name", flat=True))
    assert {"Relationship building and trust", "Principal support", "Staff buy-in"} <= names
    assert Descriptor.objects.filter(indicator__in=indicators).count() == 3 * indicators.count()


def test_category_keys_match_the_models():
    assert list(vocabulary.CATEGORY_KEYS) == CategoryKey.values
