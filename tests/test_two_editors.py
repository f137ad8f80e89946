"""Nobody's edit is silently overwritten, on every form.

Every URL whose recipe (tests/<app>/url_cases.py) names the versioned row it edits
(``edits=``) is tried by two people in the access table's world (tests/access_world.py): both
open the edit form; the first saves the recipe's change; the second saves from their stale
form what they saw there, with one text typed into it. That second save is refused (409):
nothing is written, the form comes back with their typing and, under each field the first
changed, what was saved meanwhile. Saving again from that page, which now carries the version
saved meanwhile, keeps both the first editor's change and the second's typing.

A new edit form cannot skip this: every page whose form edits a saved row (a model form of a
saved instance, or a versioned form) and every UpdateView must have a recipe with ``edits=``,
and the form of every such recipe must carry the version.
"""

import re

import pytest
from django import forms
from django.urls import resolve
from django.views.generic.edit import BaseUpdateView

from coordinators.form_helpers import StaleEditMixin, VersionedFormMixin
from tests.access_world import (
    ACTORS,
    client_for,
    error_messages,
    form_errors,
    rolled_back,
    row_counts,
)
from tests.factories import UserFactory
from tests.test_access_table import TABLE
from tests.url_cases import CASES, url_of

TYPED = "Typed by the second editor, from a form opened before the first one saved"
EDITS = [name for name, case in CASES.items() if case.edits is not None]
# Those who may POST each form; the admin of another organization edits other rows.
EDITORS = [actor for actor in ACTORS if actor not in ("anon", "other_admin")]


def editors(world, name) -> list[tuple[str, object]]:
    """Two people allowed to save this form (actor, user); a second org admin when only one
    is, or the one person twice when only the row's author may."""
    allowed = [(a, world.users[a]) for a in EDITORS if TABLE[name]["POST"][a] == "ok"]
    if len(allowed) == 1 and TABLE[name]["POST"]["admin"] != "ok":
        # Only its author may edit it (a check-in): the same person in two tabs.
        allowed.append(allowed[0])
    if len(allowed) < 2:
        second_admin = UserFactory(
            organization=world.mine.org, roles=["admin"], email="second-admin@example.org"
        )
        allowed.append(("admin", second_admin))
    return allowed[:2]


def version_in(response) -> str:
    """The version the page's form carries, as the browser sends it back."""
    found = re.search(
        r'<input type="hidden" name="version" value="(\d+)"', response.content.decode()
    )
    assert found, "the page's form carries no version"
    return found.group(1)


def form_body(form) -> dict:
    """What a browser sends for ``form`` as the page showed it."""
    body = {}
    for bound in form:
        widget, value = bound.field.widget, bound.value()
        if isinstance(widget, forms.CheckboxInput):
            if value:
                body[bound.html_name] = "on"
        elif getattr(widget, "allow_multiple_selected", False):
            body[bound.html_name] = [str(v) for v in value or []]
        else:
            shown = widget.format_value(value)
            if isinstance(shown, list):
                shown = shown[0] if shown else ""
            body[bound.html_name] = "" if shown is None else str(shown)
    return body


def row_state(row) -> dict:
    return type(row)._base_manager.filter(pk=row.pk).values().get()


@pytest.mark.parametrize("name", EDITS)
def test_the_second_of_two_editors_is_refused_and_keeps_their_text(db, world, name):
    case = CASES[name]
    with rolled_back():
        (actor, first_user), (_, second_user) = editors(world, name)
        first, second = client_for(first_user), client_for(second_user)
        url = url_of(world, name)
        opened_first, opened_second = first.get(url), second.get(url)
        assert version_in(opened_first) == version_in(opened_second)

        seen = form_body(opened_second.context["form"])
        typed = [field for field in case.texts if field in seen][-1:]
        stale = seen | dict.fromkeys(typed, TYPED)
        saved = first.post(url, case.post(world, actor, first) | {"version": seen["version"]})
        assert saved.status_code == 302, form_errors(saved) or saved.status_code
        assert not error_messages(saved)

        row = case.edits(world)
        after_first, counts = row_state(row), row_counts()
        refused = second.post(url, stale)
        assert refused.status_code == 409, form_errors(refused) or refused.status_code
        assert row_state(row) == after_first, "the stale save wrote to the row"
        assert row_counts() == counts, "the stale save wrote something"
        html = refused.content.decode()
        assert "Someone else saved this after you opened it" in html
        assert "Saved meanwhile:" in html
        form = refused.context["form"]
        if typed:
            assert form.data.getlist(typed[0]) == [TYPED], "the typed text was not kept"
            assert TYPED in html
        assert version_in(refused) == str(after_first["version"])

        # Saving again from that page keeps both: the first editor's change and the typing.
        again = second.post(url, form_body(form))
        assert again.status_code == 302, form_errors(again) or again.status_code
        # The time of the change (updated_at, for the read API's sync) moves with every save.
        skipped = {*typed, "updated_at"}
        kept = {key: value for key, value in row_state(row).items() if key not in skipped}
        assert kept == {key: value for key, value in after_first.items() if key not in skipped} | {
            "version": after_first["version"] + 1
        }, "the first editor's change was lost"
        if typed:
            assert TYPED in second.get(url).content.decode(), "the second save did not keep it"


def pages_with_forms(world):
    """(URL name, the form its page shows, its view class) for every form of the world, read
    by someone the access table lets open it."""
    for name, case in CASES.items():
        if case.post is None or "GET" not in TABLE[name]:
            continue
        actor = next((a for a in EDITORS if TABLE[name]["GET"][a] == "ok"), None)
        if actor is None:
            continue
        url = url_of(world, name)
        with rolled_back():
            response = client_for(world.users[actor]).get(url)
        form = response.context.get("form") if response.context else None
        yield name, form, getattr(resolve(url.split("?")[0]).func, "view_class", None)


def test_every_edit_form_carries_its_version(db, world):
    problems = []
    for name, form, view in pages_with_forms(world):
        saved_instance = getattr(getattr(form, "instance", None), "pk", None) is not None
        versioned = isinstance(form, VersionedFormMixin) and form.edits_saved_row
        if saved_instance and not versioned:
            problems.append(f"{name}: its form edits a saved row without carrying its version")
        if (saved_instance or versioned) and CASES[name].edits is None:
            problems.append(f"{name}: its recipe does not say which row it edits (edits=)")
        if CASES[name].edits is not None and not versioned:
            problems.append(f"{name}: its recipe says it edits a row, but its form has no version")
        if view is not None and issubclass(view, BaseUpdateView):
            if not issubclass(view, StaleEditMixin):
                problems.append(f"{name}: an UpdateView without StaleEditMixin")
            if CASES[name].edits is None:
                problems.append(f"{name}: an UpdateView whose recipe has no edits=")
    assert not problems, "\n".join(problems)
