"""The README's table of demo logins, what ``seed_demo`` prints, and the accounts it makes
agree: a person following the README can sign in as everyone the demo has."""

import io
import re
from pathlib import Path

from django.core.management import call_command

from coordinators.models import Organization, User

README = Path(__file__).resolve().parents[2] / "README.md"
ADDRESS = r"[\w.-]+@example\.org"
RANGE = re.compile(rf"({ADDRESS}) … ({ADDRESS})")


def logins_in(text: str) -> set[str]:
    """Every address ``text`` names, with ``x-1@… … x-24@…`` read as the whole range."""
    found = set(re.findall(ADDRESS, text))
    for first, last in RANGE.findall(text):
        stem, start = re.match(r"(.*-)(\d+)@", first).groups()
        end = int(re.match(r".*-(\d+)@", last).group(1))
        found |= {f"{stem}{n}@example.org" for n in range(int(start), end + 1)}
    return found


def readme_table() -> str:
    text = README.read_text()
    section = text[text.index("### Demo logins") :]
    section = section[: section.index("\n\n", section.index("| who |"))]
    rows = (line for line in section.splitlines() if line.startswith("|"))
    return "\n".join(rows).replace("`", "")


def test_the_readme_lists_every_login_the_seed_command_prints_and_creates(db, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    printed = out.getvalue()
    documented = logins_in(readme_table())
    assert "demo-coordinator-8@example.org" in readme_table()  # the mentor has its own row
    assert logins_in(printed) == documented
    created = set(
        User.objects.filter(
            organization__in=Organization.objects.filter(slug__in=["demo", "riverside"])
        ).values_list("email", flat=True)
    )
    assert created == documented
    assert "growth-matrix-demo" in printed and "growth-matrix-demo" in README.read_text()


def test_the_logins_are_the_last_lines_printed(db, settings):
    settings.DEBUG = True
    for _ in range(2):  # building the demo, and finding it already there
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        lines = out.getvalue().rstrip().splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("Demo logins"))
        assert all(logins_in(line) for line in lines[start + 1 :])
        # Each label stands apart from its addresses, however long the label.
        assert all(re.search(r"\w\): +\S+@|\w: +\S+@", line) for line in lines[start + 1 :])
        assert "other-coordinator-2@example.org" in lines[-1]


def test_make_run_migrates_quietly_and_prints_the_logins_after_the_address():
    makefile = (README.parent / "Makefile").read_text()
    recipe = makefile[makefile.index("\nrun: install") :].split("\n\n")[0]
    assert "migrate --no-input -v 0" in recipe
    assert recipe.index("is starting at") < recipe.index("seed_demo") < recipe.index("runserver")
    assert "make run PORT=8001" in README.read_text()
