"""One admin publishes the draft while another has one of its categories open: the second
admin's save is refused in the page's layout, says who published it and when, shows what
they typed, and offers to carry it to a new draft (or the draft already open), saved there
the normal way. Nothing typed is lost and nothing is written without the admin's click."""

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from rubrics import views as rubric_views
from rubrics.models import Descriptor, Indicator, RubricVersion
from rubrics.selectors import rubric_version_matrix
from rubrics.services import (
    IndicatorInput,
    RubricNotEditable,
    rubric_category_save,
    rubric_version_new_draft,
    rubric_version_publish,
)
from tests.factories import UserFactory
from tests.rubrics.test_views import category_post

TYPED = "Meets the principal every week and co-leads the site team (typed, not yet saved)."
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


@pytest.fixture
def publisher(org):
    return UserFactory(organization=org, roles=["admin"], first_name="Rosa", last_name="Park")


def first_site_indicator(version) -> Indicator:
    return (
        Indicator.objects.filter(category__version=version, category__key="site")
        .order_by("order", "pk")
        .first()
    )


def edit_url(version, key="site") -> str:
    return reverse("rubrics:rubric-category-edit", args=[version.pk, key])


def typed_then_published(client, draft, publisher):
    """The admin's form, read before ``publisher`` published the draft, saved after."""
    indicator = first_site_indicator(draft)
    stale = category_post(draft, "site", **{f"ind-{indicator.pk}-d2": TYPED})
    rubric_version_publish(version=draft, actor=publisher)
    return client.post(edit_url(draft), stale), indicator


def carried_fields(response) -> dict:
    """The fields of the refusal page's "carry my text" form, as the browser sends them."""
    html = response.content.decode()
    form = html[html.index('id="carry-form"') :]
    form = form[: form.index("</form>")]
    fields = {name: value for name, value in HIDDEN.findall(form)}
    return {name: unescape(value) for name, value in fields.items()}


def cell_text(indicator, level=2) -> str:
    return Descriptor.objects.get(indicator=indicator, level__value=level).text


def twin_in(version, indicator) -> Indicator:
    return Indicator.objects.get(
        category__version=version, category__key="site", order=indicator.order
    )


def test_a_save_after_publishing_is_refused_with_who_when_and_the_typed_text(
    client_for, admin_user, publisher, draft
):
    before = cell_text(first_site_indicator(draft))
    response, indicator = typed_then_published(client_for(admin_user), draft, publisher)
    assert response.status_code == 409
    html = response.content.decode()
    draft.refresh_from_db()
    published = timezone.localtime(draft.published_at)
    when = (
        f"{formats.date_format(published)} at {formats.time_format(published)}"
    )
    assert f"Version {draft.number} was published by Rosa Park on {when}" in html
    assert TYPED in html
    assert "Start draft v3 with my text" in html
    assert "<main" in html  # the product's layout, not a bare error page
    assert cell_text(indicator) == before  # a published version never changes
    assert not RubricVersion.objects.filter(rubric=draft.rubric, state="draft").exists()


def test_the_typed_text_starts_a_new_draft_from_the_published_version(
    client_for, admin_user, publisher, draft
):
    client = client_for(admin_user)
    refused, indicator = typed_then_published(client, draft, publisher)
    response = client.post(
        reverse("rubrics:rubric-category-carry", args=[draft.pk, "site"]),
        carried_fields(refused),
    )
    new_draft = RubricVersion.objects.get(rubric=draft.rubric, state="draft")
    assert new_draft.number == 3
    assert response.status_code == 302
    assert response.url == edit_url(new_draft)
    assert cell_text(twin_in(new_draft, indicator)) == TYPED
    assert cell_text(indicator) != TYPED  # the published version keeps its words
    page = client.get(response.url).content.decode()
    assert "Draft v3 created from version 2 with your text" in page


def test_a_draft_already_open_and_untouched_gets_the_text(client_for, admin_user, publisher, draft):
    client = client_for(admin_user)
    refused, indicator = typed_then_published(client, draft, publisher)
    newer, _created = rubric_version_new_draft(rubric=draft.rubric, actor=publisher)
    page = client.post(edit_url(draft), category_post(draft, "site")).content.decode()
    assert "Apply my text to draft v3" in page
    response = client.post(
        reverse("rubrics:rubric-category-carry", args=[draft.pk, "site"]),
        carried_fields(refused),
    )
    assert response.url == edit_url(newer)
    assert cell_text(twin_in(newer, indicator)) == TYPED
    assert RubricVersion.objects.filter(rubric=draft.rubric, state="draft").count() == 1


def test_a_draft_changed_meanwhile_shows_both_texts_and_writes_nothing(
    client_for, admin_user, publisher, draft
):
    client = client_for(admin_user)
    refused, indicator = typed_then_published(client, draft, publisher)
    newer, _created = rubric_version_new_draft(rubric=draft.rubric, actor=publisher)
    twin = twin_in(newer, indicator)
    rubric_category_save(
        version=newer,
        category_key="site",
        actor=publisher,
        **_service_fields(newer, {twin.pk: "Rosa's newer words"}),
    )
    response = client.post(
        reverse("rubrics:rubric-category-carry", args=[draft.pk, "site"]),
        carried_fields(refused),
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert TYPED in html and "Rosa&#x27;s newer words" in html
    assert cell_text(twin) == "Rosa's newer words"
    # Saving the form as shown is the deliberate choice, and it is the normal save.
    data = dict(response.context["form"].data.items())
    assert client.post(edit_url(newer), data).status_code == 302
    assert cell_text(twin) == TYPED


def test_a_draft_with_other_indicators_says_the_text_was_not_carried(
    client_for, admin_user, publisher, draft
):
    client = client_for(admin_user)
    refused, indicator = typed_then_published(client, draft, publisher)
    newer, _created = rubric_version_new_draft(rubric=draft.rubric, actor=publisher)
    client.post(edit_url(newer), category_post(newer, "site", **{"new-name": "A new one"}))
    before = cell_text(twin_in(newer, indicator))
    response = client.post(
        reverse("rubrics:rubric-category-carry", args=[draft.pk, "site"]),
        carried_fields(refused),
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "not applied" in html
    assert TYPED in html
    assert edit_url(newer) in html
    assert cell_text(twin_in(newer, indicator)) == before


def test_publishing_between_the_check_and_the_save_is_the_same_refusal(
    client_for, admin_user, publisher, draft, monkeypatch
):
    def published_first(*, version, **kwargs):
        rubric_version_publish(version=version, actor=publisher)
        raise RubricNotEditable("This version is no longer a draft.")

    monkeypatch.setattr(rubric_views, "rubric_category_save", published_first)
    indicator = first_site_indicator(draft)
    response = client_for(admin_user).post(
        edit_url(draft), category_post(draft, "site", **{f"ind-{indicator.pk}-d2": TYPED})
    )
    assert response.status_code == 409
    assert "was published by Rosa Park" in response.content.decode()
    assert TYPED in response.content.decode()


def test_an_incomplete_carry_writes_nothing(client_for, admin_user, publisher, draft):
    client = client_for(admin_user)
    refused, indicator = typed_then_published(client, draft, publisher)
    fields = carried_fields(refused)
    fields.pop(f"ind-{indicator.pk}-name")
    response = client.post(
        reverse("rubrics:rubric-category-carry", args=[draft.pk, "site"]), fields
    )
    assert response.status_code == 409
    assert "not applied" in response.content.decode()
    assert TYPED in response.content.decode()
    assert not RubricVersion.objects.filter(rubric=draft.rubric, state="draft").exists()


def test_a_retired_version_says_which_one_replaced_it(client_for, admin_user, publisher, draft):
    client = client_for(admin_user)
    indicator = first_site_indicator(draft)
    stale = category_post(draft, "site", **{f"ind-{indicator.pk}-d2": TYPED})
    rubric_version_publish(version=draft, actor=publisher)
    later, _created = rubric_version_new_draft(rubric=draft.rubric, actor=publisher)
    rubric_version_publish(version=later, actor=publisher)
    html = client.post(edit_url(draft), stale).content.decode()
    assert "has since been replaced by version 3" in html
    assert "Start draft v4 with my text" in html


def _service_fields(version, texts: dict[int, str]) -> dict:
    """The site category of ``version`` as stored, with ``texts`` (indicator pk → level 2
    text), in the service's terms."""
    category = rubric_version_matrix(version=version).category("site")
    version.refresh_from_db()
    return {
        "lock_version": version.lock_version,
        "name": category.name,
        "description": category.category.description,
        "indicators": [
            IndicatorInput(
                pk=row.indicator.pk,
                name=row.name,
                descriptors={
                    cell.level.value: texts.get(row.indicator.pk, cell.text)
                    if cell.level.value == 2
                    else cell.text
                    for cell in row.cells
                },
            )
            for row in category.indicators
        ],
    }
