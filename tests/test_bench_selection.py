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
    assert check({"1000": _result(**within)}) == []
    over = {"Schools view": SCHOOLS_AT_1000 + 0.5, "School page": 6.0}
    missed = check({"1000": _result(**over)})
    assert missed == [f"Schools view at 1000: {SCHOOLS_AT_1000 + 0.5:.1f}× login > 10.0×"]


def test_the_forms_at_5000_are_checked_against_their_demo_size_time():
    demo = {"Person edit form": 8.0, "Support form": 4.0, "Goal form": 5.0}
    within = {"Person edit form": 11.9, "Support form": 4.0, "Goal form": 5.0}
    assert check({"demo": _result(**demo), "5000": _result(**within)}) == []
    over = {**within, "Support form": 6.4}
    assert check({"demo": _result(**demo), "5000": _result(**over)}) == [
        "Support form: 1.60× its demo-size time > 1.5×"
    ]
