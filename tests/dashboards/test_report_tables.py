"""What the reports' tables and exports show of hidden groups: the words, never a number, and
no link to their people (Hypothesis over random moves)."""

from dataclasses import dataclass, field

from hypothesis import given
from hypothesis import strategies as st

from dashboards import report_rules as rules
from dashboards.report_tables import export_lines, impact_tables


@dataclass
class FakeImpact:
    rows: list
    group_names: dict = field(default_factory=lambda: {"g": "A support"})
    category_names: dict = field(default_factory=lambda: {"site": "School site"})


MOVES = st.lists(
    st.tuples(st.integers(0, 12), st.integers(1, 3), st.integers(1, 3), st.booleans()),
    max_size=60,
)


@given(MOVES)
def test_hidden_groups_never_show_a_number_nor_link_to_people(data):
    steps = [
        rules.LevelStep(person, 1, "site", before, after, frozenset(["g"] if had else []))
        for person, before, after, had in data
    ]
    rows = rules.impact_rows(steps, {"g": None})
    tables = impact_tables(FakeImpact(rows), may_list=True)
    lines = export_lines("Impact", ["Filters: none"], tables)
    for row, line in zip(rows, (r for t in tables for r in t.rows), strict=True):
        for offset, tally in ((2, row.with_support), (7, row.without)):
            cells = line[offset : offset + 5]
            if tally.hidden:
                assert [c.value for c in cells[:4]] == [rules.SUPPRESSED] * 4
                assert cells[4].value is None
                assert not any(c.people for c in cells)
            else:
                assert sum(c.value for c in cells[1:4]) == tally.total
    exported = [value for line in lines for value in line]
    for row in rows:
        for tally in (row.with_support, row.without):
            if tally.hidden:
                assert rules.SUPPRESSED in exported
