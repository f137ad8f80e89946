"""make mutation: mutation testing of the pure modules, each against its own fast tests.

mutmut changes a module in small ways (``<`` into ``<=``, ``and`` into ``or``, ``continue``
into ``break``, ``[-1]`` into ``[-2]``, a word of a message into another) and runs the module's
tests against each change, a *mutant*. A mutant that no test notices, a *survivor*, is a rule
the tests do not pin down: write the test that notices it, or, when the change cannot alter
what anyone sees, mark its line ``# pragma: no mutate`` with the reason beside it.

The pure modules are ``only_mutate`` in ``[tool.mutmut]`` of pyproject.toml. Each is changed
on its own and tested only by its own tests, ``tests/<app>/test_<module>.py``, which run
without Django or a database (``-p no:django --noconftest``), so a module's score says what
its own tests pin down. A pure module added to that list is tested here from then on.

    make mutation                                  # every pure module, one after the other
    .venv/bin/python mutation/run.py growth/careers.py      # one module
    MUTATION_CHILDREN=2 make mutation              # mutants tested in parallel (default 1)

Prints each module's score and the diff of every survivor; exits with status 1 while any
survivor remains. mutmut works in ``mutants/`` (gitignored), which each module starts afresh.
"""

import argparse
import contextlib
import dataclasses
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KILLED = {"killed", "timeout", "caught by type check"}
SKIPPED = {"skipped"}


def pure_modules() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    return list(config["only_mutate"])


def own_tests(module: str) -> str:
    """``dashboards/flags.py`` is tested by ``tests/dashboards/test_flags.py``."""
    path = Path(module)
    return str(Path("tests", *path.parent.parts, f"test_{path.name}"))


def mutmut(*args: str) -> str:
    """One mutmut command, run in this process (so that it reads the narrowed configuration);
    returns what it printed."""
    from mutmut.__main__ import cli

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        cli.main(list(args), standalone_mode=False)
    return printed.getvalue()


def test_one(module: str, children: int, report: Path) -> None:
    """Mutate ``module`` alone and test it with its own tests alone; writes the report."""
    os.chdir(ROOT)
    shutil.rmtree("mutants", ignore_errors=True)
    # pyproject.toml names every pure module and every pure test file; mutmut reads no other
    # place, so its loaded configuration is narrowed here to one module and its tests.
    from mutmut import configuration

    configuration._config = dataclasses.replace(
        configuration.config(),
        only_mutate=[module],
        pytest_add_cli_args_test_selection=[own_tests(module)],
    )
    # A mutant that a Hypothesis property notices fails on the first example that shows it; the
    # run needs no smallest example, and shrinking one costs up to half a minute a mutant. No
    # deadline either: on a busy machine a slow example would count as a mutant noticed.
    from hypothesis import Phase, settings

    settings.register_profile(
        "mutation", phases=[Phase.explicit, Phase.reuse, Phase.generate], deadline=None
    )
    settings.load_profile("mutation")
    from mutmut.__main__ import cli

    cli.main(["run", "--max-children", str(children)], standalone_mode=False)
    statuses = {}
    for line in mutmut("results", "--all", "true").splitlines():
        name, _, status = line.strip().rpartition(": ")
        statuses[name] = status
    diffs = {
        name: mutmut("show", name)
        for name, status in statuses.items()
        if status not in KILLED | SKIPPED
    }
    report.write_text(json.dumps({"statuses": statuses, "diffs": diffs}))


def score_line(module: str, statuses: dict[str, str]) -> tuple[str, int]:
    """The module's line of the summary, and how many of its mutants survived."""
    tested = [status for status in statuses.values() if status not in SKIPPED]
    killed = sum(status in KILLED for status in tested)
    survived = len(tested) - killed
    score = 100 * killed / len(tested) if tested else 100.0
    line = (
        f"{module:<26} {len(tested):>4} mutants {killed:>4} killed "
        f"{survived:>3} survived  {score:5.1f}%"
    )
    return line, survived


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="pure modules (default: every one)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--report", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    children = int(os.environ.get("MUTATION_CHILDREN", "1"))
    if arguments.one:
        test_one(arguments.one, children, arguments.report)
        return 0

    modules = arguments.modules or pure_modules()
    unknown = sorted(set(modules) - set(pure_modules()))
    if unknown:
        parser.error(f"not a pure module in [tool.mutmut] only_mutate: {', '.join(unknown)}")
    scores, failed, survivors = [], [], 0
    for module in modules:
        print(f"\n== {module} against {own_tests(module)}", flush=True)
        with tempfile.TemporaryDirectory() as scratch:
            report = Path(scratch) / "report.json"
            # One process per module: mutmut keeps its configuration and state in globals. Its
            # progress redraws one line, which only a terminal shows as such; a log gets it
            # only when the run fails.
            quiet = not sys.stdout.isatty()
            finished = subprocess.run(
                [sys.executable, __file__, "--one", module, "--report", str(report)],
                cwd=ROOT,
                capture_output=quiet,
                text=True,
            )
            if finished.returncode != 0 or not report.exists():
                if quiet:
                    print(finished.stdout[-4000:], finished.stderr[-4000:], sep="\n")
                failed.append(module)
                continue
            result = json.loads(report.read_text())
        line, survived = score_line(module, result["statuses"])
        scores.append(line)
        survivors += survived
        for name, diff in result["diffs"].items():
            print(f"\n-- survived ({result['statuses'][name]}): {name}\n{diff}")
    print("\nMutation score per pure module (killed / mutants tested):")
    print("\n".join(scores))
    for module in failed:
        print(f"{module:<26} the run failed: see its output above")
    return 1 if failed or survivors else 0


if __name__ == "__main__":
    sys.exit(main())
