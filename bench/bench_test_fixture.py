"""Target 6a: in a generated project, the per-test overhead of the isolation
fixture (tests/conftest.py: `connection`, an outer transaction rolled back after
each test, and `session` on top of it) is at most 1.5 ms.

The project is generated from a clone of this template with the defaults (SQLite,
no TEST_DATABASE_URL: a temporary SQLite file). Bench test files are added to its
tests/ folder: N trivial parametrized tests that take the `session` fixture, the
same N tests taking no fixture, and (diagnostics) taking `connection` only, and
taking `session` and running one `SELECT 1` in it (which begins its savepoint). Each
file also has one first test that takes `migrated_database`, so the once-per-run
set-up (emptying and migrating the test database) is in every run. Each file runs
in a fresh `python -m pytest -q -p no:cacheprovider <file>` from the project root,
interleaved; overhead per test = (t_with - t_without) / N.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

from _common import (
    Row,
    copy,
    interleave,
    median,
    project_environment,
    project_python,
    run_benchmark,
    scratch_dir,
    template_clone,
    timed,
)

LIMIT = 0.0015
TESTS = 500

TEST_FILE = '''"""Benchmark: {n} trivial tests {what}."""

import pytest
from sqlalchemy import text


def test_0_setup(migrated_database):
    assert migrated_database is not None


@pytest.mark.parametrize("number", range({n}))
def test_trivial({fixture}number):
    {body}
'''

CHECK = "assert number >= 0"
QUERY = 'assert session.execute(text("SELECT 1")).scalar() == 1'
# name -> (docstring words, fixture argument, test body)
VARIANTS = {
    "none": ("taking no fixture", "", CHECK),
    "connection": ("taking the connection fixture", "connection, ", CHECK),
    "session": ("taking the session fixture", "session, ", CHECK),
    "session_query": ("running SELECT 1 in the session fixture", "session, ", QUERY),
}


def measure(repetitions: int) -> list[Row]:
    work = scratch_dir("fixture")
    try:
        template = template_clone(work / "template")
        project = copy(template, work / "project" / "my-app")
        python = project_python(template)
        environment = project_environment(project)
        files = {}
        for name, (what, fixture, body) in VARIANTS.items():
            files[name] = project / "tests" / f"test_bench_{name}.py"
            files[name].write_text(
                TEST_FILE.format(n=TESTS, what=what, fixture=fixture, body=body)
            )

        def case(name: str):
            command = [
                str(python),
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                str(files[name]),
            ]

            def run() -> float:
                def pytest_run() -> None:
                    result = subprocess.run(
                        command,
                        cwd=project,
                        env=environment,
                        capture_output=True,
                        text=True,
                        check=False,
                    )
                    if (
                        result.returncode != 0
                        or f"{TESTS + 1} passed" not in result.stdout
                    ):
                        sys.exit(f"pytest failed:\n{result.stdout}\n{result.stderr}")

                return timed(pytest_run)

            return run

        samples = interleave(
            {name: case(name) for name in VARIANTS}, repetitions, warmup=1
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    t = {name: median(values) for name, values in samples.items()}
    return [
        Row("6a", f"pytest, per-test overhead of the `session` fixture ({TESTS} tests)",
            "with session", t["session"], "without", t["none"],
            (t["session"] - t["none"]) / TESTS, "ms", LIMIT, repetitions=repetitions),
        Row("6a diag", f"pytest, per-test overhead of the `connection` fixture only ({TESTS} tests)",
            "with connection", t["connection"], "without", t["none"],
            (t["connection"] - t["none"]) / TESTS, "ms", None, repetitions=repetitions),
        Row("6a diag", f"pytest, per-test cost of `session` + one `SELECT 1` (savepoint begun; {TESTS} tests)",
            "session + query", t["session_query"], "without", t["none"],
            (t["session_query"] - t["none"]) / TESTS, "ms", None, repetitions=repetitions),
    ]  # fmt: skip


if __name__ == "__main__":
    run_benchmark(
        __doc__.splitlines()[0],
        "Target 6a: test isolation fixture overhead",
        measure,
        repetitions=7,
    )
