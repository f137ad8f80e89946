"""make bench can time some pages only (BENCH_PAGES), and checks the targets of the pages it
timed: the schools view and a school's page within 10× the login page at 1,000 × 10."""

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
    assert check({"1000": _result(**within)}) == ([], [])
    over = {"Schools view": SCHOOLS_AT_1000 + 0.5, "School page": 6.0}
    missed, _ = check({"1000": _result(**over)})
    assert missed == [f"Schools view at 1000: {SCHOOLS_AT_1000 + 0.5:.1f}× login > 10.0×"]
