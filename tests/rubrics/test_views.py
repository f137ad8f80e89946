"""Rubric editor pages: each works for the org admin, hides from another organization (404)
and refuses other roles (403)."""

import re

import pytest
from django.urls import reverse

from coordinators.models import RoleFamily
from rubrics.models import Descriptor, Indicator, RubricVersion
from rubrics.selectors import rubric_version_matrix
from tests.factories import AssessmentFactory, ProfileFactory, published_version


def category_post(version, key, **changes):
    """The category editor's form as the browser would send it back, with ``changes``."""
    matrix = rubric_version_matrix(version=version)
    category = matrix.category(key)
    version.refresh_from_db()
    data = {
        "lock_version": version.lock_version,
        "category-name": category.name,
        "category-description": category.category.description,
        "new-name": "",
        "action": "",
    }
    for level in matrix.levels:
        data[f"new-d{level.value}"] = ""
    for row in category.indicators:
        data[f"ind-{row.indicator.pk}-name"] = row.name
        for cell in row.cells:
            data[f"ind-{row.indicator.pk}-d{cell.level.value}"] = cell.text
    data.update(changes)
    return data


def page_urls(family, draft):
    current = published_version(family)
    return [
        reverse("rubrics:role-family-list"),
        reverse("rubrics:role-family-create"),
        reverse("rubrics:role-family-update", args=[family.pk]),
        reverse("rubrics:role-family-people"),
        reverse("rubrics:rubric-detail", args=[family.pk]),
        reverse("rubrics:rubric-version-detail", args=[current.pk]),
        reverse("rubrics:rubric-draft", args=[draft.pk]),
        reverse("rubrics:rubric-category-edit", args=[draft.pk, "site"]),
        reverse("rubrics:rubric-compare", args=[draft.pk]),
        reverse("rubrics:rubric-history", args=[draft.pk]),
    ]


def test_every_page_works_for_the_admin(client_for, admin_user, family, draft):
    client = client_for(admin_user)
    for url in page_urls(family, draft):
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("who", ["director", "coordinator"])
def test_every_page_refuses_other_roles(request, client_for, family, draft, who):
    client = client_for(request.getfixturevalue(who))
    for url in page_urls(family, draft):
        assert client.get(url).status_code == 403, url
    posts = [
        reverse("rubrics:rubric-draft-create", args=[family.pk]),
        reverse("rubrics:rubric-publish", args=[draft.pk]),
        reverse("rubrics:rubric-discard", args=[draft.pk]),
        reverse("rubrics:role-family-assign"),
    ]
    for url in posts:
        assert client.post(url).status_code == 403, url


def test_another_organization_sees_nothing(client_for, other_admin, family, draft):
    family.name = "Bay coordinators"
    family.save(update_fields=["name"])
    client = client_for(other_admin)
    for url in page_urls(family, draft)[2:]:
        if url.endswith(("/rubrics/people/", "/families/new/")):
            continue
        assert client.get(url).status_code == 404, url
    for url in [
        reverse("rubrics:rubric-draft-create", args=[family.pk]),
        reverse("rubrics:rubric-publish", args=[draft.pk]),
        reverse("rubrics:rubric-discard", args=[draft.pk]),
    ]:
        assert client.post(url).status_code == 404, url
    draft.refresh_from_db()
    assert draft.state == "draft"
    # Their own list does not show our family.
    assert family.name not in client.get(reverse("rubrics:role-family-list")).content.decode()


def test_a_published_version_cannot_be_opened_in_the_editor(client_for, admin_user, family):
    current = published_version(family)
    client = client_for(admin_user)
    assert client.get(reverse("rubrics:rubric-draft", args=[current.pk])).status_code == 404
    url = reverse("rubrics:rubric-category-edit", args=[current.pk, "site"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("rubrics:rubric-category-edit", args=[1, "nope"])).status_code == 404


def test_rubric_page_shows_the_matrix_and_versions_with_usage(
    client_for, admin_user, family, profile
):
    AssessmentFactory(coordinator=profile)
    response = client_for(admin_user).get(reverse("rubrics:rubric-detail", args=[family.pk]))
    body = response.content.decode()
    first = Indicator.objects.filter(category__version=published_version(family)).first()
    assert first.name in body
    assert "New draft from current" in body
    versions = response.context["versions"]
    assert [v.assessment_count for v in versions] == [1]


def test_new_draft_then_edit_a_descriptor(client_for, admin_user, family):
    client = client_for(admin_user)
    response = client.post(reverse("rubrics:rubric-draft-create", args=[family.pk]))
    draft = RubricVersion.objects.get(rubric=family.rubric, state="draft")
    assert response.url == reverse("rubrics:rubric-draft", args=[draft.pk])
    indicator = Indicator.objects.filter(category__version=draft, category__key="site").first()
    url = reverse("rubrics:rubric-category-edit", args=[draft.pk, "site"])
    response = client.post(
        url, category_post(draft, "site", **{f"ind-{indicator.pk}-d2": "New words"})
    )
    assert response.status_code == 302
    assert Descriptor.objects.get(indicator=indicator, level__value=2).text == "New words"


def test_category_editor_shows_every_cell_of_the_category(client_for, admin_user, draft):
    response = client_for(admin_user).get(
        reverse("rubrics:rubric-category-edit", args=[draft.pk, "coordinator"])
    )
    body = response.content.decode()
    for indicator in Indicator.objects.filter(category__version=draft, category__key="coordinator"):
        for value in (1, 2, 3):
            assert f'name="ind-{indicator.pk}-d{value}"' in body
    assert 'data-confirm="Remove' in body


def test_add_move_and_remove_indicators_through_the_editor(client_for, admin_user, draft):
    client = client_for(admin_user)
    url = reverse("rubrics:rubric-category-edit", args=[draft.pk, "site"])
    client.post(
        url,
        category_post(
            draft,
            "site",
            **{"new-name": "Family voice", "new-d1": "x", "new-d2": "y", "new-d3": "z"},
        ),
    )
    rows = rubric_version_matrix(version=draft).category("site").indicators
    added = rows[-1].indicator
    assert added.name == "Family voice"
    client.post(url, category_post(draft, "site", action=f"up:{added.pk}"))
    rows = rubric_version_matrix(version=draft).category("site").indicators
    assert rows[-2].indicator.pk == added.pk
    client.post(url, category_post(draft, "site", action=f"remove:{added.pk}"))
    assert not Indicator.objects.filter(pk=added.pk).exists()


def test_new_descriptors_without_a_name_are_refused(client_for, admin_user, draft):
    url = reverse("rubrics:rubric-category-edit", args=[draft.pk, "site"])
    response = client_for(admin_user).post(url, category_post(draft, "site", **{"new-d1": "text"}))
    assert response.status_code == 400
    assert "Give the new indicator a name." in response.content.decode()


def test_conflicting_save_keeps_the_typed_text_and_shows_the_other(client_for, admin_user, draft):
    client = client_for(admin_user)
    url = reverse("rubrics:rubric-category-edit", args=[draft.pk, "site"])
    indicator = Indicator.objects.filter(category__version=draft, category__key="site").first()
    stale = category_post(draft, "site")
    client.post(
        url, category_post(draft, "site", **{f"ind-{indicator.pk}-d1": "Saved by the first admin"})
    )
    stale[f"ind-{indicator.pk}-d1"] = "Typed by the second admin"
    response = client.post(url, stale)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Typed by the second admin" in body
    assert "Saved by the first admin" in body
    assert "your changes were not saved" in body
    assert (
        Descriptor.objects.get(indicator=indicator, level__value=1).text
        == "Saved by the first admin"
    )
    # Saving the re-armed form is a deliberate overwrite and succeeds.
    data = {k: v for k, v in response.context["form"].data.items()}
    assert client.post(url, data).status_code == 302
    assert (
        Descriptor.objects.get(indicator=indicator, level__value=1).text
        == "Typed by the second admin"
    )


def test_publish_with_problems_lists_each_with_a_link(client_for, admin_user, draft):
    client = client_for(admin_user)
    indicator = Indicator.objects.filter(category__version=draft, category__key="site").first()
    url = reverse("rubrics:rubric-category-edit", args=[draft.pk, "site"])
    client.post(url, category_post(draft, "site", **{f"ind-{indicator.pk}-d3": ""}))
    response = client.post(reverse("rubrics:rubric-publish", args=[draft.pk]), follow=True)
    body = response.content.decode()
    assert "Not published: 1 problem must be fixed first" in body
    assert f"{url}#id_ind-{indicator.pk}-d3" in body
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_publish_from_the_page(client_for, admin_user, family, draft):
    previous = published_version(family)
    response = client_for(admin_user).post(
        reverse("rubrics:rubric-publish", args=[draft.pk]), {"lock_version": draft.lock_version}
    )
    assert response.url == reverse("rubrics:rubric-detail", args=[family.pk])
    draft.refresh_from_db()
    previous.refresh_from_db()
    assert (draft.state, previous.state) == ("published", "retired")


def test_publish_with_a_stale_page_is_refused(client_for, admin_user, draft):
    client = client_for(admin_user)
    stale_lock = draft.lock_version
    client.post(
        reverse("rubrics:rubric-category-edit", args=[draft.pk, "site"]),
        category_post(draft, "site", **{"category-description": "changed"}),
    )
    response = client.post(
        reverse("rubrics:rubric-publish", args=[draft.pk]), {"lock_version": stale_lock}
    )
    assert response.url == reverse("rubrics:rubric-compare", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_compare_shows_added_removed_and_changed(client_for, admin_user, draft):
    client = client_for(admin_user)
    rows = rubric_version_matrix(version=draft).category("site").indicators
    changed, removed = rows[0].indicator, rows[1].indicator
    url = reverse("rubrics:rubric-category-edit", args=[draft.pk, "site"])
    client.post(
        url, category_post(draft, "site", **{f"ind-{changed.pk}-d1": "Brand new novice words"})
    )
    client.post(url, category_post(draft, "site", action=f"remove:{removed.pk}"))
    client.post(
        url,
        category_post(
            draft,
            "site",
            **{"new-name": "Family voice", "new-d1": "a", "new-d2": "b", "new-d3": "c"},
        ),
    )
    response = client.get(reverse("rubrics:rubric-compare", args=[draft.pk]))
    comparison = response.context["comparison"]
    assert comparison.counts == {"added": 1, "removed": 1, "changed": 1}
    site = next(c for c in comparison.categories if c.key == "site")
    statuses = {i.new_name or i.old_name: i.status for i in site.indicators}
    assert statuses[changed.name] == "changed"
    assert statuses[removed.name] == "removed"
    assert statuses["Family voice"] == "added"
    body = response.content.decode()
    assert "<ins>" in body and "<del>" in body


def test_rename_levels_on_the_draft_page(client_for, admin_user, draft):
    response = client_for(admin_user).post(
        reverse("rubrics:rubric-draft", args=[draft.pk]),
        {
            "lock_version": draft.lock_version,
            "level_1": "Emerging",
            "level_2": "Proficient",
            "level_3": "Expert",
        },
    )
    assert response.status_code == 302
    assert draft.levels.get(value=1).name == "Emerging"


def test_history_lists_who_changed_a_descriptor(client_for, admin_user, draft):
    client = client_for(admin_user)
    indicator = Indicator.objects.filter(category__version=draft, category__key="site").first()
    client.post(
        reverse("rubrics:rubric-category-edit", args=[draft.pk, "site"]),
        category_post(draft, "site", **{f"ind-{indicator.pk}-d2": "Rewritten by the admin"}),
    )
    response = client.get(reverse("rubrics:rubric-history", args=[draft.pk]))
    entries = list(response.context["page_obj"])
    # The copy made for the draft is one entry, not one per cell; the edit shows before/after.
    assert [e.what for e in entries] == [
        f"Descriptor of “{indicator.name}” at Proficient: changed text",
        f"Draft v{draft.number} created",
    ]
    edit = entries[0]
    assert edit.who == admin_user
    assert edit.after == "Rewritten by the admin"
    assert (
        edit.before
        == Descriptor.objects.get(
            indicator__category__version=published_version(draft.rubric.role_family),
            indicator__name=indicator.name,
            level__value=2,
        ).text
    )


def test_discard_a_draft(client_for, admin_user, family, draft):
    response = client_for(admin_user).post(reverse("rubrics:rubric-discard", args=[draft.pk]))
    assert response.url == reverse("rubrics:rubric-detail", args=[family.pk])
    assert not RubricVersion.objects.filter(pk=draft.pk).exists()


def test_create_and_rename_a_role_family(client_for, admin_user, org, family):
    client = client_for(admin_user)
    response = client.post(
        reverse("rubrics:role-family-create"),
        {"name": "Partnership staff", "source": f"family:{family.pk}"},
    )
    created = RoleFamily.objects.get(organization=org, name="Partnership staff")
    assert response.url == reverse("rubrics:rubric-detail", args=[created.pk])
    assert published_version(created).number == 1
    duplicate = client.post(
        reverse("rubrics:role-family-create"),
        {"name": "partnership staff", "source": "default:0"},
    )
    assert "already has a role family" in duplicate.content.decode()
    client.post(
        reverse("rubrics:role-family-update", args=[created.pk]),
        {"name": "Partners", "version": created.version},
    )
    created.refresh_from_db()
    assert created.name == "Partners"


def test_cannot_copy_another_organizations_family(client_for, admin_user, other_org):
    foreign = other_org.role_families.get()
    response = client_for(admin_user).post(
        reverse("rubrics:role-family-create"),
        {"name": "Stolen", "source": f"family:{foreign.pk}"},
    )
    assert response.status_code == 200
    assert not RoleFamily.objects.filter(name="Stolen").exists()


def test_move_people_between_families(client_for, admin_user, org, profile, other_org):
    from rubrics.defaults import INSTRUCTIONAL_COACH
    from rubrics.services import role_family_create_from

    coaches = role_family_create_from(
        organization=org, name="Coaches", default_data=INSTRUCTIONAL_COACH
    )
    foreign = ProfileFactory(team__organization=other_org)
    client = client_for(admin_user)
    client.post(
        reverse("rubrics:role-family-assign"),
        {"profiles": [profile.pk], "role_family": coaches.pk},
    )
    profile.refresh_from_db()
    assert profile.role_family == coaches
    before = foreign.role_family_id
    client.post(
        reverse("rubrics:role-family-assign"),
        {"profiles": [foreign.pk], "role_family": coaches.pk},
    )
    foreign.refresh_from_db()
    assert foreign.role_family_id == before


def test_people_page_query_count_does_not_grow(
    client_for, admin_user, team, django_assert_max_num_queries
):
    for _ in range(30):
        ProfileFactory(team=team, schools=[])
    client = client_for(admin_user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("rubrics:role-family-people"))
    assert len(response.context["page_obj"]) == 30


def test_people_pages_keep_the_family_filter(client_for, admin_user, team, family):
    for _ in range(51):
        ProfileFactory(team=team, schools=[])
    url = reverse("rubrics:role-family-people")
    html = client_for(admin_user).get(url, {"family": family.pk}).content.decode()
    assert "Page 1 of 2" in html
    assert f'href="?family={family.pk}&amp;page=2">Next</a>' in html
    second = client_for(admin_user).get(url, {"family": family.pk, "page": 2}).content.decode()
    assert "Page 2 of 2" in second
    assert f'href="?family={family.pk}&amp;page=1">Previous</a>' in second


def test_history_says_in_words_where_an_indicator_was_added_and_moved(
    client_for, admin_user, draft
):
    client = client_for(admin_user)
    url = reverse("rubrics:rubric-category-edit", args=[draft.pk, "organization"])
    client.post(url, category_post(draft, "organization", **{"new-name": "Family leadership"}))
    added = Indicator.objects.get(category__version=draft, name="Family leadership")
    client.post(url, category_post(draft, "organization", action=f"up:{added.pk}"))
    added.refresh_from_db()

    response = client.get(reverse("rubrics:rubric-history", args=[draft.pk]))

    entries = list(response.context["page_obj"])
    moved = next(e for e in entries if e.what == "Indicator “Family leadership”: moved")
    assert moved.before == f"Position {added.order + 1} in its category"
    assert moved.after == f"Position {added.order} in its category"
    created = next(e for e in entries if e.what == "Indicator “Family leadership”: added")
    assert created.after == f"Name: Family leadership\nPosition {added.order + 1} in its category"
    page = response.content.decode()
    assert "Family leadership; " not in page
    assert "Position " in page


@pytest.mark.parametrize("page", ["rubrics:rubric-draft", "rubrics:rubric-compare"])
def test_publish_is_asked_only_when_the_draft_can_be_published(client_for, admin_user, draft, page):
    client = client_for(admin_user)
    publish_url = reverse("rubrics:rubric-publish", args=[draft.pk])

    complete = client.get(reverse(page, args=[draft.pk])).content.decode()
    assert publish_url in complete
    assert "Not ready to publish" not in complete

    indicator = Indicator.objects.filter(category__version=draft, category__key="site").first()
    client.post(
        reverse("rubrics:rubric-category-edit", args=[draft.pk, "site"]),
        category_post(draft, "site", **{f"ind-{indicator.pk}-d2": ""}),
    )
    incomplete = client.get(reverse(page, args=[draft.pk])).content.decode()
    # No "Publish?" question that the server would then refuse: the gaps are named instead.
    assert publish_url not in incomplete
    assert "Not ready to publish:</strong> 1 thing to fix first" in incomplete


def test_saving_on_the_way_to_another_tab_lands_on_that_category(client_for, admin_user, draft):
    indicator = Indicator.objects.filter(category__version=draft, category__key="site").first()
    response = client_for(admin_user).post(
        reverse("rubrics:rubric-category-edit", args=[draft.pk, "site"]),
        category_post(draft, "site", then="development", **{f"ind-{indicator.pk}-d1": "Kept"}),
    )
    assert response.url == reverse("rubrics:rubric-category-edit", args=[draft.pk, "development"])
    assert Descriptor.objects.get(indicator=indicator, level__value=1).text == "Kept"


def test_compare_pairs_an_indicator_by_its_key_even_when_every_word_changed(
    client_for, admin_user, draft
):
    client = client_for(admin_user)
    rows = rubric_version_matrix(version=draft).category("site").indicators
    target = rows[0].indicator
    old_name = target.name
    client.post(
        reverse("rubrics:rubric-category-edit", args=[draft.pk, "site"]),
        category_post(
            draft,
            "site",
            **{
                f"ind-{target.pk}-name": "Shared leadership",
                f"ind-{target.pk}-d1": "One",
                f"ind-{target.pk}-d2": "Two",
                f"ind-{target.pk}-d3": "Three",
            },
        ),
    )
    response = client.get(reverse("rubrics:rubric-compare", args=[draft.pk]))
    comparison = response.context["comparison"]
    # Reworded from top to bottom, it is still the same indicator: renamed, not added+removed.
    assert comparison.counts == {"added": 0, "removed": 0, "changed": 1}
    site = next(c for c in comparison.categories if c.key == "site")
    (renamed,) = [i for i in site.indicators if i.status != "same"]
    assert (renamed.status, renamed.old_name, renamed.new_name) == (
        "renamed",
        old_name,
        "Shared leadership",
    )
    assert [c.new for c in renamed.cells] == ["One", "Two", "Three"]


def test_descriptor_fields_show_their_limit_without_cutting_a_paste(client_for, admin_user, draft):
    body = (
        client_for(admin_user)
        .get(reverse("rubrics:rubric-category-edit", args=[draft.pk, "site"]))
        .content.decode()
    )
    assert 'data-max-length="5000"' in body
    assert "maxlength" not in "".join(re.findall(r"<textarea[^>]*>", body))


def test_the_new_family_form_names_the_default_rubrics_in_proper_plurals(client_for, admin_user):
    html = client_for(admin_user).get(reverse("rubrics:role-family-create")).content.decode()
    assert "The default rubric for instructional coaches" in html
    assert "The default rubric for community school coordinators" in html
    assert "coachs" not in html
