"""The team dashboard's sort links: each column's URL keeps the other filters."""

from django.http import QueryDict

from dashboards.filters import SORT_COLUMNS, sort_links


def test_the_sorted_column_flips_and_every_link_goes_back_to_the_first_page():
    links = sort_links(QueryDict("team=7&sort=name&page=3"), "name")
    assert set(links) == set(SORT_COLUMNS)
    assert links["name"] == {"url": "?team=7&sort=-name", "aria_sort": "ascending"}
    assert links["team"] == {"url": "?team=7&sort=team", "aria_sort": "none"}
    assert sort_links(QueryDict("sort=-flags"), "-flags")["flags"] == {
        "url": "?sort=flags",
        "aria_sort": "descending",
    }
