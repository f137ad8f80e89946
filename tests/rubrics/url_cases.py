"""How the access table and the hostile-input tests reach the rubric editor's URL names: role
families, the rubric and its versions, the draft and its categories."""

from django.urls import reverse

from rubrics.forms import CategoryEditForm
from rubrics.selectors import rubric_version_matrix
from tests.access_world import UrlCase, no_fields, pk_of

_draft_pk = pk_of("rubric_draft")


def _family_pk(world) -> dict:
    return {"pk": world.mine.family.pk}


def category_post(version, key="coordinator") -> dict:
    """The category editor's form as the page shows it, unchanged."""
    matrix = rubric_version_matrix(version=version)
    category = matrix.category(key)
    cells = {
        (row.indicator.pk, cell.level.value): cell.text
        for row in category.indicators
        for cell in row.cells
    }
    form = CategoryEditForm(
        category=category.category,
        indicators=[row.indicator for row in category.indicators],
        levels=matrix.levels,
        cells=cells,
        initial={"lock_version": version.lock_version},
    )
    return {name: form[name].value() or "" for name in form.fields}


def _assign_post(world, actor, client) -> dict:
    """The coordinator of the person's own organization, moved to its role family."""
    objects = world.org_of(actor)
    return {"profiles": [str(objects.profile.pk)], "role_family": str(objects.family.pk)}


def _level_names_post(world, actor, client) -> dict:
    return {
        "lock_version": str(world.mine.rubric_draft.lock_version),
        "level_1": "Emerging",
        "level_2": "Proficient",
        "level_3": "Expert",
    }


def _lock_of_draft(world, actor, client) -> dict:
    return {"lock_version": str(world.mine.rubric_draft.lock_version)}


CASES = [
    UrlCase("rubrics:role-family-list"),
    UrlCase(
        "rubrics:role-family-create",
        post=lambda world, actor, client: {"name": "Instructional coach", "source": "default:0"},
        texts=("name",),
        show=lambda world: reverse("rubrics:role-family-list"),
    ),
    UrlCase(
        "rubrics:role-family-update",
        kwargs=_family_pk,
        post=lambda world, actor, client: {"name": "Community school coordinator (K-8)"},
        texts=("name",),
        show=lambda world: reverse("rubrics:rubric-detail", args=[world.mine.family.pk]),
        edits=lambda world: world.mine.family,
    ),
    UrlCase(
        "rubrics:role-family-people", query=lambda world: {"family": str(world.mine.family.pk)}
    ),
    UrlCase(
        "rubrics:role-family-assign",
        post=_assign_post,
        ids=("profiles", "role_family"),
        foreign=lambda world: {
            "profiles": world.theirs.profile.pk,
            "role_family": world.theirs.family.pk,
        },
    ),
    UrlCase("rubrics:rubric-detail", kwargs=_family_pk),
    UrlCase("rubrics:rubric-draft-create", kwargs=_family_pk, post=no_fields),
    UrlCase("rubrics:rubric-version-detail", kwargs=pk_of("published")),
    UrlCase(
        "rubrics:rubric-draft",
        kwargs=_draft_pk,
        post=_level_names_post,
        texts=("level_1", "level_2", "level_3"),
        show=lambda world: reverse("rubrics:rubric-draft", args=[world.mine.rubric_draft.pk]),
    ),
    UrlCase(
        "rubrics:rubric-category-edit",
        kwargs=lambda world: {"pk": world.mine.rubric_draft.pk, "key": "coordinator"},
        post=lambda world, actor, client: category_post(world.mine.rubric_draft),
        texts=("category-name", "category-description", "ind-*", "new-*"),
        show=lambda world: reverse(
            "rubrics:rubric-category-edit", args=[world.mine.rubric_draft.pk, "coordinator"]
        ),
    ),
    UrlCase(
        # Text typed against the published version, carried to the draft open in the world.
        "rubrics:rubric-category-carry",
        kwargs=lambda world: {"pk": world.mine.published.pk, "key": "coordinator"},
        post=lambda world, actor, client: category_post(world.mine.published),
        texts=("category-name", "category-description", "ind-*", "new-*"),
        show=lambda world: reverse(
            "rubrics:rubric-category-edit", args=[world.mine.rubric_draft.pk, "coordinator"]
        ),
    ),
    UrlCase(
        "rubrics:rubric-compare",
        kwargs=_draft_pk,
        query=lambda world: {"against": str(world.mine.published.pk)},
    ),
    UrlCase("rubrics:rubric-publish", kwargs=_draft_pk, post=_lock_of_draft),
    UrlCase("rubrics:rubric-discard", kwargs=_draft_pk, post=_lock_of_draft),
    UrlCase("rubrics:rubric-history", kwargs=_draft_pk),
]
