"""The schools view's rows come from one tag (dashboards/templatetags/overview_tables.py)
rather than the template language, for speed: the same HTML as the loop they replaced, kept
here as the reference, for rows with and without a level, trend and agreement, and text to
escape."""

from django.template import engines

from dashboards.selectors.schools import SchoolRow
from dashboards.templatetags.overview_tables import school_rows

# The loop as templates/dashboards/schools.html wrote it before the tag.
REFERENCE = """{% for row in rows %}
    <tr><th scope="row"><a href="{% url 'dashboards:school-detail' row.pk %}">{{ row.name }}</a></th>
      <td>{% include "components/level_badge.html" with value=row.level name=row.level_name %}</td>
      <td>{{ row.trend_words }}</td>
      <td>{{ row.coordinators }}</td>
      <td>{% include "components/state_badge.html" with state=row.agreement_state label=row.agreement_label %}</td></tr>
  {% endfor %}"""  # noqa: E501

ROWS = [
    SchoolRow(1, '<b>Lincoln</b> & "O\'Hara"', 1, "Novice & <co>", -1, 3, "signed", "Signed"),
    SchoolRow(22, "Rising", 2, "Proficient", 2, 1, "shared", "Shared <for> signature"),
    SchoolRow(333, "Unrated", None, "Not rated", None, 0, "", "No agreement"),
    SchoolRow(4, "Flat", 3, "", 0, 2, "draft", "Draft"),
]


def test_the_rows_are_the_html_of_the_loop_they_replaced(db):
    expected = engines["django"].from_string(REFERENCE).render({"rows": ROWS})
    assert school_rows(ROWS) == expected
