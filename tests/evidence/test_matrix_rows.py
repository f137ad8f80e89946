"""The matrix's indicator rows come from tags (evidence/templatetags/matrix_rows.py) rather than
the template language, for speed: byte for byte the HTML of the row templates they replaced,
kept in reference_templates/ beside this file, for rows with every kind of error, conflict,
reference, level, note and evidence, and text to escape."""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.template import Context, Engine, engines
from django.test import RequestFactory

from evidence.selectors import EvidenceOnPage

NASTY = '<b>Ann</b> & "O\'Neil"\nsecond line'
REFERENCE = Engine(
    dirs=[Path(__file__).parent / "reference_templates", *settings.TEMPLATES[0]["DIRS"]],
    libraries={
        "evidence": "evidence.templatetags.evidence",
        "l10n": "django.templatetags.l10n",
    },
    autoescape=True,
)


@dataclass
class Agreed:
    cycle_name: str
    level_name: str
    level: int


def rating(self_level=None, evidence="", supervisor_level=None, note=""):
    return SimpleNamespace(
        self_level=self_level,
        self_evidence=evidence,
        supervisor_level=supervisor_level,
        supervisor_note=note,
    )


def row(pk, *, name="Builds trust", checked=None, self_level=None, **extra):
    """A row as sheet_rows makes it, with radio options."""
    base = {
        "pk": pk,
        "name": name,
        "rating": rating(self_level=self_level),
        "self_level_name": {1: "Novice", 2: "Proficient", 3: "Expert"}.get(self_level, ""),
        "supervisor_level_name": "",
        "self_descriptor": None,
        "differs": "",
        "missing": False,
        "conflict": None,
        "reference": None,
        "level_input": f"level_{pk}",
        "level_errors": [],
        "invalid": False,
        "text_input": f"evidence_{pk}",
        "text_id": f"id_evidence_{pk}",
        "text_value": "",
        "text_max": 4000,
        "text_errors": [],
    }
    base.update(extra)
    reference = base["reference"]
    base["options"] = [
        {
            "value": value,
            "name": level_name,
            "text": f"Descriptor {value} {NASTY}" if value != 2 else "",
            "id": f"id_level_{pk}_{value}",
            "checked": checked == value,
            "is_self": self_level == value,
            "is_reference": reference is not None and reference.level == value,
        }
        for value, level_name in ((1, "Novice"), (2, "Proficient <b>"), (3, "Expert"))
    ]
    return base


def attachment(pk, *, link, added_by_id):
    return SimpleNamespace(
        pk=pk,
        is_link=link,
        url="https://example.org/a?b=1&c=<2>",
        title=f"Title {NASTY}",
        domain="example.org",
        opens_inline=not link,
        download_name="notes <1>.pdf",
        size_words="12 KB",
        added_by=SimpleNamespace(display_name=f"Adder {NASTY}"),
        added_by_id=added_by_id,
        added_at=datetime(2026, 3, 4, 12, 0),
    )


ROWS = [
    row(1, name=NASTY, checked=2, text_value=f"Typed {NASTY}"),
    row(
        2,
        invalid=True,
        missing=True,
        text_errors=["Too long <by far>.", "Second & last."],
        reference=Agreed(cycle_name=f"Fall {NASTY}", level_name="Expert <3>", level=3),
        conflict={"level_name": "Novice & co", "text": f"Saved {NASTY}"},
    ),
    row(
        3,
        invalid=True,
        level_errors=["Choose one of <the> levels."],
        conflict={"level_name": "Not rated", "text": ""},
        self_level=3,
        checked=3,
        rating=rating(3, f"Said {NASTY}", 1, f"Note {NASTY}"),
        supervisor_level_name="Novice",
        self_descriptor=f"What expert means {NASTY}",
        differs="Differs: self Expert, supervisor Novice",
    ),
    row(4, rating=None, text_max=None),
    row(5, rating=rating(2, "", 2, ""), self_level=2, supervisor_level_name="Proficient"),
]
EVIDENCE = {
    1: [attachment(10, link=True, added_by_id=7), attachment(11, link=False, added_by_id=8)],
    3: [attachment(12, link=False, added_by_id=7)],
}


def evidence(can_add: bool) -> EvidenceOnPage:
    return EvidenceOnPage(
        by_indicator=EVIDENCE,
        can_add_self=can_add,
        accepted="Files (PDF, <images>), links" if can_add else "",
        file_max_mb=10,
        assessment_max_mb=50,
    )


@pytest.fixture
def request_of_7(rf: RequestFactory):
    request = rf.get("/")
    request.user = SimpleNamespace(pk=7, is_authenticated=True, organization_id=None)
    return request


def reference(include: str, request, **context) -> str:
    source = (
        "{% load l10n %}{% localize off %}{% for row in rows %}"
        f"{include}"
        "{% endfor %}{% endlocalize %}"
    )
    return REFERENCE.from_string(source).render(Context({**context, "request": request}))


def written(tag: str, request, **context) -> str:
    template = engines["django"].from_string("{% load matrix_rows %}" + tag)
    return template.render({**context}, request)


@pytest.mark.parametrize("can_add", [True, False], ids=["may add", "may not add"])
def test_the_editable_rows_are_the_html_of_their_template(db, request_of_7, can_add):
    context = {"rows": ROWS, "evidence": evidence(can_add)}
    expected = reference(
        '{% include "assessments/includes/matrix_indicator_form.html" %}', request_of_7, **context
    )
    assert 'class="evidence-none"' in expected or not can_add
    assert written("{% matrix_form_rows rows evidence %}", request_of_7, **context) == expected


def test_the_review_rows_are_the_html_of_their_template(db, request_of_7):
    context = {"rows": ROWS, "evidence": evidence(False), "name": f"Coordinator {NASTY}"}
    expected = reference(
        '{% include "assessments/includes/review_indicator_form.html"'
        " with coordinator_name=name %}",
        request_of_7,
        **context,
    )
    tag = "{% review_form_rows rows evidence name %}"
    assert written(tag, request_of_7, **context) == expected


@pytest.mark.parametrize(
    "sides",
    [
        {"show_self": True, "show_supervisor": True, "self_label": "Self", "supervisor_label": ""},
        {"show_self": True, "show_supervisor": False, "self_label": "", "supervisor_label": "S"},
        {"show_self": False, "show_supervisor": True, "self_label": "", "supervisor_label": "<S>"},
    ],
    ids=["both sides", "self only", "supervisor only"],
)
def test_the_readonly_rows_are_the_html_of_their_template(db, request_of_7, sides):
    context = {"rows": ROWS, "evidence": evidence(False), **sides}
    expected = reference(
        '{% include "assessments/includes/matrix_indicator_readonly.html" %}',
        request_of_7,
        **context,
    )
    tag = (
        "{% matrix_readonly_rows rows evidence show_self=show_self show_supervisor="
        "show_supervisor self_label=self_label supervisor_label=supervisor_label %}"
    )
    assert written(tag, request_of_7, **context) == expected
