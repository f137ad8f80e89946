"""make bench can time some pages only (BENCH_PAGES), and checks the targets of the pages it
timed: the schools view and a school's page within 10× the login page at 1,000 × 10, and no
page's peak allocation growing between 1,000 and 5,000."""

from bench.run import SCHOOLS_AT_1000, check, chosen


def test_bench_pages_names_pages_by_the_beginning_of_their_labels():
    assert chosen("Team dashboard (31 people)", "")
    assert chosen("Team dashboard (31 people)", "Team dashboard")
    assert chosen("School page", "Schools view, School page")
    assert not chosen("Schools view", "School page")
    assert not chosen("Organization overview", "Schools view,School page")


def _result(**ratios):
    return {
        "pages": [
            {"label": label, "ratio": ratio, "queries": 12} for label, ratio in ratios.items()
        ]
    }


def test_only_the_pages_timed_are_checked_and_the_school_pages_against_their_target():
    within = {"Schools view": SCHOOLS_AT_1000 - 0.5, "School page": 6.0}
    assert check({"1000": _result(**within)}) == []
    over = {"Schools view": SCHOOLS_AT_1000 + 0.5, "School page": 6.0}
    missed = check({"1000": _result(**over)})
    assert missed == [f"Schools view at 1000: {SCHOOLS_AT_1000 + 0.5:.2f}× login > 10.0×"]


def test_the_forms_at_5000_are_checked_against_their_demo_size_time():
    demo = {"Person edit form": 8.0, "Support form": 4.0, "Goal form": 5.0}
    within = {"Person edit form": 11.9, "Support form": 4.0, "Goal form": 5.0}
    assert check({"demo": _result(**demo), "5000": _result(**within)}) == []
    over = {**within, "Support form": 6.4}
    assert check({"demo": _result(**demo), "5000": _result(**over)}) == [
        "Support form: 1.60× its demo-size time > 1.5×"
    ]


def _peaks(**peaks):
    return {
        "pages": [
            {"label": label, "ratio": 3.0, "queries": 12, "peak_kb": kb}
            for label, kb in peaks.items()
        ]
    }


def test_a_page_whose_peak_allocation_grows_with_the_organization_misses_its_target():
    thousand = {"Organization overview": 900.0, "School page": 180.0}
    steady = {"Organization overview": 1000.0, "School page": 270.0}  # within 1.25× or +100 KB
    assert check({"1000": _peaks(**thousand), "5000": _peaks(**steady)}) == []
    grown = {"Organization overview": 2050.0, "School page": 400.0}
    assert check({"1000": _peaks(**thousand), "5000": _peaks(**grown)}) == [
        "Organization overview: peak 2050 KB at 5000 against 900 KB at 1000 (> 1.25×)",
        "School page: peak 400 KB at 5000 against 180 KB at 1000 (> 1.25×)",
    ]
