"""A rubric version published while a cycle is open does not split that cycle, in a real
browser: the org admin is told, on the draft page and when asked to confirm, that the new
version applies from the next cycle opened and how many assessments under way stay on the old
one; a coordinator who starts their self-assessment in the open cycle afterwards is rated
against the words the cycle opened with. No WCAG A/AA issue, no CSP violation."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Assessment
from assessments.services import cycle_open
from rubrics.models import Descriptor, Indicator, RubricVersion
from rubrics.services import rubric_version_new_draft
from tests.browser.checks import serious_violations, watch_csp
from tests.factories import CycleFactory, ProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)

NEW_TEXT = "The principal and the coordinator plan every family night together."


def test_a_version_published_mid_cycle_leaves_the_open_cycle_on_its_words(
    browser, live_server, login, admin_user, profile
):
    family = profile.role_family
    cycle = CycleFactory(organization=profile.organization, name="This fall", state="planned")
    cycle_open(cycle=cycle, actor=admin_user)  # the cycle pins version 1; one draft under way
    pinned = Assessment.objects.get(coordinator=profile, cycle=cycle).rubric_version
    indicator = Indicator.objects.get(category__version=pinned, category__key="site", order=1)
    old_text = Descriptor.objects.get(indicator=indicator, level__value=2).text
    # Someone who joins the team after the cycle opened starts their self-assessment later.
    newcomer = ProfileFactory(
        team=profile.team, role_family=family, user__email="newcomer@example.org"
    ).user
    draft, _created = rubric_version_new_draft(rubric=family.rubric, actor=admin_user)
    Descriptor.objects.filter(
        indicator__category__version=draft,
        indicator__category__key="site",
        indicator__order=1,
        level__value=2,
    ).update(text=NEW_TEXT)

    admin = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    csp = watch_csp(admin)
    asked = []

    def confirm(dialog):
        asked.append(dialog.message)
        dialog.accept()

    admin.on("dialog", confirm)
    login(admin, admin_user)
    admin.goto(f"{live_server.url}/rubrics/families/{family.pk}/")
    assert serious_violations(admin) == []
    admin.get_by_role("link", name="Continue draft v2").click()
    expect(admin.get_by_role("heading", name=re.compile(r"Draft v2 of"))).to_be_visible()
    applies = admin.locator(".publish-applies")
    expect(applies).to_contain_text("Publishing applies from the next cycle opened")
    expect(applies).to_contain_text("1 assessment under way in the open cycle stays on version 1.")
    assert serious_violations(admin) == []

    admin.get_by_role("button", name="Publish version 2").click()
    expect(admin.get_by_text(re.compile(r"Version 2 is now the current rubric"))).to_be_visible()
    assert asked == [
        "Publish version 2? It applies from the next cycle opened; version 1 is retired, and "
        "the 1 assessment under way in the open cycle stays on it."
    ]
    expect(
        admin.get_by_text(
            re.compile(
                r"applies from the next cycle opened: a cycle keeps the version it opened "
                r"with, so the 1 assessment under way in the open cycle stays on the version "
                r"it started with\."
            )
        )
    ).to_be_visible()
    assert serious_violations(admin) == []
    assert RubricVersion.objects.get(pk=draft.pk).state == RubricVersion.State.PUBLISHED
    assert csp == []

    # The newcomer starts in the open cycle: the version it opened with, word for word.
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    csp = watch_csp(page)
    login(page, newcomer)
    page.goto(f"{live_server.url}/me/")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Start my self-assessment").click()
    expect(page.get_by_role("heading", name="My self-assessment", level=1)).to_be_visible()
    started = Assessment.objects.get(coordinator__user=newcomer, cycle=cycle)
    assert started.rubric_version_id == pinned.pk
    expect(page.get_by_text(old_text).first).to_be_visible()
    expect(page.get_by_text(NEW_TEXT)).to_have_count(0)
    assert serious_violations(page) == []
    assert csp == []
