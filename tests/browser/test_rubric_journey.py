"""The org admin's rubric journey in a real browser: a new draft from the current version, one
descriptor rewritten in the per-category editor, the comparison, publishing, and a new cycle
whose assessments show the new text while a past assessment still reads as it was. A save
after another admin published the draft, whose text starts the next draft. Then a roster
import with a mistake, fixed and imported. No WCAG A/AA issue, no CSP violation."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Assessment
from assessments.services import cycle_open
from coordinators.models import User
from rubrics.models import Descriptor, Indicator, RubricVersion
from rubrics.services import rubric_version_new_draft, rubric_version_publish
from tests.browser.checks import serious_violations, watch, watch_csp
from tests.factories import AssessmentFactory, CycleFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

NEW_TEXT = "The principal meets the coordinator every week and co-leads the site team."


def test_admin_publishes_a_new_version_and_the_next_cycle_uses_it(
    browser, live_server, login, admin_user, profile
):
    family = profile.role_family
    past = AssessmentFactory(
        coordinator=profile,
        cycle=CycleFactory(
            organization=profile.organization,
            name="Last year",
            opens_on=timezone.localdate() - timedelta(days=400),
            state="closed",
        ),
        state="finalized",
    )
    indicator = Indicator.objects.get(
        category__version=past.rubric_version, category__key="site", order=1
    )
    old_text = Descriptor.objects.get(indicator=indicator, level__value=2).text

    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    csp = watch(page)
    login(page, admin_user)
    page.get_by_role("link", name="Admin tools").click()
    page.get_by_role("link", name="Rubrics and role families").click()
    page.get_by_role("link", name=family.name, exact=True).click()
    expect(page.get_by_role("heading", name=family.name, level=1)).to_be_visible()
    assert serious_violations(page) == []

    page.get_by_role("button", name="New draft from current").click()
    expect(page.get_by_role("heading", name=re.compile(r"Draft v2 of"))).to_be_visible()
    expect(page.get_by_text("The draft is complete")).to_be_visible()
    assert serious_violations(page) == []

    page.get_by_role("link", name="Edit School site").click()
    draft = RubricVersion.objects.get(rubric__role_family=family, state="draft")
    twin = Indicator.objects.get(category__version=draft, category__key="site", order=1)
    cell = page.locator(f"#id_ind-{twin.pk}-d2")
    expect(cell).to_have_value(old_text)
    # Every cell of the category is on this one screen.
    assert (
        page.locator("textarea[name^='ind-']").count()
        == 3 * Indicator.objects.filter(category__version=draft, category__key="site").count()
    )
    assert serious_violations(page) == []
    cell.fill(NEW_TEXT)
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    expect(page.locator(f"#id_ind-{twin.pk}-d2")).to_have_value(NEW_TEXT)

    page.get_by_role("link", name=re.compile(r"^Draft v2")).click()
    page.get_by_role("link", name="Compare with version 1").click()
    expect(page.get_by_text("0 indicators added, 0 removed, 1 changed.")).to_be_visible()
    expect(page.locator("ins").first).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Publish version 2").click()
    expect(page.get_by_text(re.compile(r"Version 2 is now the current rubric"))).to_be_visible()
    expect(page.get_by_role("cell", name=NEW_TEXT)).to_be_visible()
    assert csp == []

    # A cycle opened now pins version 2; last year's assessment keeps version 1 word for word.
    cycle = CycleFactory(organization=profile.organization, name="This fall", state="planned")
    cycle_open(cycle=cycle, actor=admin_user)
    current = Assessment.objects.get(coordinator=profile, cycle=cycle)
    assert current.rubric_version.number == 2
    assert Descriptor.objects.filter(
        indicator__category__version=current.rubric_version, text=NEW_TEXT
    ).exists()
    past.refresh_from_db()
    assert past.rubric_version.number == 1
    assert Descriptor.objects.get(indicator=indicator, level__value=2).text == old_text

    page.goto(f"{live_server.url}/rubrics/versions/{past.rubric_version_id}/")
    expect(page.get_by_role("cell", name=old_text)).to_be_visible()
    expect(page.get_by_text("Retired").first).to_be_visible()


def test_admin_imports_a_roster_with_a_mistake_then_fixes_it(
    browser, live_server, login, admin_user, team, tmp_path
):
    SchoolFactory(organization=team.organization, name="Lincoln Elementary")
    header = "email,first_name,last_name,roles,team,schools,role_start_date\n"
    bad = tmp_path / "people.csv"
    bad.write_text(
        header + f"nia@example.org,Nia,Cole,coordinator,{team.name},Lincon Elementary,2024-08-15\n"
    )
    good = tmp_path / "people-fixed.csv"
    good.write_text(
        header + f"nia@example.org,Nia,Cole,coordinator,{team.name},Lincoln Elementary,2024-08-15\n"
    )

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    csp = watch(page)
    login(page, admin_user)
    page.get_by_role("link", name="Admin tools").click()
    page.get_by_role("link", name="Import a roster").click()
    assert serious_violations(page) == []
    page.get_by_label("Roster file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("1 problem to fix — nothing has been saved")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Lincon Elementary"))
    expect(row).to_contain_text("Unknown school")
    expect(row.get_by_role("cell").nth(1)).to_have_text("2")
    assert serious_violations(page) == []
    assert not User.objects.filter(email="nia@example.org").exists()

    page.get_by_role("link", name="Upload the corrected file").click()
    page.get_by_label("Roster file").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("People: 1 to create, 0 to update, 0 unchanged")).to_be_visible()
    page.get_by_role("button", name="Import now").click()
    expect(page.get_by_role("heading", name="Roster imported")).to_be_visible()
    assert User.objects.get(email="nia@example.org").profile.team == team
    assert csp == []


def test_a_draft_published_meanwhile_keeps_the_typed_text_for_a_new_draft(
    browser, live_server, login, admin_user
):
    family = admin_user.organization.role_families.get()
    draft, _created = rubric_version_new_draft(rubric=family.rubric, actor=admin_user)
    publisher = UserFactory(
        organization=admin_user.organization, roles=["admin"], first_name="Rosa", last_name="Park"
    )
    indicator = Indicator.objects.get(category__version=draft, category__key="site", order=1)

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    csp = watch(page)
    login(page, admin_user)
    page.goto(f"{live_server.url}/rubrics/versions/{draft.pk}/edit/site/")
    page.locator(f"#id_ind-{indicator.pk}-d2").fill(NEW_TEXT)
    rubric_version_publish(version=draft, actor=publisher)  # another admin, meanwhile
    page.get_by_role("button", name="Save", exact=True).first.click()

    expect(
        page.get_by_role("heading", name="Not saved: version 2 is no longer a draft")
    ).to_be_visible()
    expect(page.get_by_text(re.compile(r"Version 2 was published by Rosa Park on"))).to_be_visible()
    expect(page.get_by_text(NEW_TEXT)).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Start draft v3 with my text").click()

    expect(
        page.get_by_text(re.compile(r"Draft v3 created from version 2 with your text"))
    ).to_be_visible()
    new_draft = RubricVersion.objects.get(rubric=family.rubric, state="draft")
    twin = Indicator.objects.get(category__version=new_draft, category__key="site", order=1)
    expect(page.locator(f"#id_ind-{twin.pk}-d2")).to_have_value(NEW_TEXT)
    assert Descriptor.objects.get(indicator=indicator, level__value=2).text != NEW_TEXT
    assert csp == []


def test_an_edit_survives_switching_category_tabs_and_leaving_warns(
    browser, live_server, login, admin_user
):
    family = admin_user.organization.role_families.get()
    draft, _created = rubric_version_new_draft(rubric=family.rubric, actor=admin_user)
    indicator = Indicator.objects.get(category__version=draft, category__key="site", order=1)

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    csp = watch_csp(page)
    login(page, admin_user)
    page.goto(f"{live_server.url}/rubrics/versions/{draft.pk}/edit/site/")
    cell = page.locator(f"#id_ind-{indicator.pk}-d2")
    cell.click()
    cell.fill(NEW_TEXT)
    coordinator_tab = page.get_by_role("navigation", name="Categories of this draft").get_by_role(
        "link", name="Coordinator"
    )
    coordinator_tab.first.click()

    expect(page.get_by_text("Saved your changes before switching category.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/edit/coordinator/$"))
    assert Descriptor.objects.get(indicator=indicator, level__value=2).text == NEW_TEXT
    assert serious_violations(page) == []

    # Leaving by any other link with an unsaved edit asks first; staying keeps the text.
    page.goto(f"{live_server.url}/rubrics/versions/{draft.pk}/edit/site/")
    cell = page.locator(f"#id_ind-{indicator.pk}-d1")
    cell.click()
    page.keyboard.type(" and more")
    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.get_by_role("link", name="Back to the draft").click()
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    expect(page).to_have_url(re.compile(r"/edit/site/$"))
    expect(page.locator(f"#id_ind-{indicator.pk}-d1")).to_have_value(re.compile(r" and more"))

    # The draft's level names are guarded the same way (in a new tab of the same session).
    page = page.context.new_page()
    page.on("dialog", stay)
    page.goto(f"{live_server.url}/rubrics/versions/{draft.pk}/edit/")
    name = page.locator("#id_level_1")
    name.click()
    page.keyboard.type(" stage")
    page.get_by_role("link", name=re.compile(r"^Edit ")).first.click()
    page.wait_for_timeout(300)
    assert asked == ["beforeunload", "beforeunload"]
    expect(page.locator("#id_level_1")).to_have_value(re.compile(r" stage$"))
    assert csp == []
