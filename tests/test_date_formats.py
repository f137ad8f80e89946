"""Dates read one way across the product ("3 Sep 2026"): every template leaves the format to
the settings (growthmatrix/formats/en/formats.py), and Python's own date words agree."""

import re
from datetime import date, datetime
from pathlib import Path

from django.template import Context, Template
from django.utils import timezone

from coordinators.tenure import day_words

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# |date and |time with no argument take the product's format; "DATETIME_FORMAT" names it too.
# Besides the formats people read: the machine-readable value of a <time datetime>, to the
# second (HTML allows at most three digits of a fraction; "c" writes six).
ALLOWED = {"DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATE_FORMAT", "TIME_FORMAT", r"Y-m-d\TH:i:sO"}
FORMAT_ARGUMENT = re.compile(r"\|(date|time|naturalday):\s*(\"[^\"]*\"|'[^']*'|\S+?)(?=[\s}|%])")


def formats_in(text: str) -> list[str]:
    return [match.group(2).strip("\"'") for match in FORMAT_ARGUMENT.finditer(text)]


def test_the_pattern_catches_a_format_written_into_a_template():
    assert formats_in('{{ d|date:"M j, Y" }} {{ d|time:\'g:i a\' }} {{ d|date }}') == [
        "M j, Y",
        "g:i a",
    ]
    assert formats_in('<time datetime="{{ d|date:"c" }}">') == ["c"]


def test_no_template_writes_its_own_date_format():
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {found}"
        for path in sorted(TEMPLATES.rglob("*"))
        if path.is_file()
        for found in formats_in(path.read_text())
        if found not in ALLOWED
    ]
    assert offenders == [], "Write dates as {{ value|date }}, the product's one format"


def test_templates_and_python_write_the_same_date():
    day = date(2026, 9, 3)
    rendered = Template("{{ day }}|{{ day|date }}").render(Context({"day": day}))
    assert rendered == "3 Sep 2026|3 Sep 2026"
    assert day_words(day) == "3 Sep 2026"
    moment = timezone.make_aware(datetime(2026, 9, 3, 14, 5))
    assert Template('{{ m|date:"DATETIME_FORMAT" }}').render(Context({"m": moment})) == (
        "3 Sep 2026, 14:05"
    )
