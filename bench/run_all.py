"""Run every benchmark script and write the results as Markdown to
bench/results.md (and print them).

    uv run python bench/run_all.py            # all scripts, default repetitions
    uv run python bench/run_all.py --quick    # fewer repetitions (a smoke run)
    uv run python bench/run_all.py bench_copy bench_import   # some scripts only

Each script runs in its own process, one after the other, so that no benchmark
shares an interpreter (imports, caches, copier state) with another.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import BENCH, Row, git, table_lines, template_commit

SCRIPTS = {
    "bench_copy": 5,
    "bench_scaling": 3,
    "bench_update": 3,
    "bench_unit_of_work": 3,
    "bench_bulk_load": 2,
    "bench_test_fixture": 3,
    "bench_import": 7,
    "bench_async": 3,
    "bench_scaling_out": 2,
    "bench_sqlite_readers": 3,
    "bench_pre_ping": 3,
    "bench_n_plus_one": 3,
}  # script -> repetitions of a --quick run


def project_versions() -> str:
    """Versions in the generated projects' environment (built by the scripts)."""
    from _common import CACHE

    # The newest complete environment (bin/python links to the same interpreter
    # in every one: its time says nothing).
    built = sorted(CACHE.glob("venv-*/.complete"), key=lambda p: p.stat().st_mtime)
    if not built:
        return "n/a"
    # PyMySQL's __version__ is the MySQL client version it claims, not its own.
    code = (
        "import sqlalchemy, alembic, psycopg, pytest, sqlite3;"
        "from importlib.metadata import version;"
        "print(f'SQLAlchemy {sqlalchemy.__version__}, Alembic {alembic.__version__}, "
        'psycopg {psycopg.__version__}, PyMySQL {version("pymysql")}, '
        "pytest {pytest.__version__}, SQLite {sqlite3.sqlite_version}')"
    )
    result = subprocess.run(
        [str(built[-1].parent / "bin" / "python"), "-c", code],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() or "n/a"


def server_version(command: list[str]) -> str:
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError:
        return "n/a"
    return result.stdout.strip() or "n/a"


def environment_lines() -> list[str]:
    import copier

    from tests.mariadb_server import MARIADB_SBIN
    from tests.postgres_server import POSTGRES_BIN

    postgres = server_version([str(POSTGRES_BIN / "postgres"), "--version"])
    mariadb = server_version([str(MARIADB_SBIN / "mariadbd"), "--version"])
    dirty = (
        "yes"
        if git(BENCH.parent, "status", "--porcelain", "--", ".", ":!bench").strip()
        else "no"
    )
    return [
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Template commit: `{template_commit()}` (benchmarks copy the committed HEAD; "
        f"uncommitted template edits at run time: {dirty})",
        f"- Machine: {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        f"- copier {copier.__version__}; generated projects: {project_versions()}; "
        f"{postgres}; {mariadb}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Run all benchmarks, write bench/results.md."
    )
    parser.add_argument(
        "scripts", nargs="*", help=f"default: all of {', '.join(SCRIPTS)}"
    )
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--output", type=Path, default=BENCH / "results.md")
    args = parser.parse_args()
    scripts = [name.removesuffix(".py") for name in args.scripts] or list(SCRIPTS)
    if unknown := sorted(set(scripts) - set(SCRIPTS)):
        parser.error(f"unknown scripts: {', '.join(unknown)}")

    sections: list[tuple[str, list[Row], float]] = []
    failures = []
    with tempfile.TemporaryDirectory() as scratch:
        for script in scripts:
            out = Path(scratch) / f"{script}.json"
            command = [sys.executable, str(BENCH / f"{script}.py"), "--json", str(out)]
            if args.quick:
                command += ["--repetitions", str(SCRIPTS[script])]
            print(f"== {script}", flush=True)
            start = time.perf_counter()
            result = subprocess.run(command, cwd=BENCH.parent, check=False)
            elapsed = time.perf_counter() - start
            if result.returncode != 0 or not out.exists():
                failures.append(script)
                continue
            data = json.loads(out.read_text())
            sections.append(
                (data["title"], [Row(**row) for row in data["rows"]], elapsed)
            )

    targets = [row for _, rows, _ in sections for row in rows if row.limit is not None]
    lines = [
        "# Benchmark results",
        "",
        "Generated by `uv run python bench/run_all.py`"
        + (" --quick" if args.quick else "")
        + ".",
        "bench/README.md says how to run the scripts and what each one measures.",
        "Every result is a ratio or a difference of two things measured side by side",
        "in the same run, repetitions interleaved, medians compared; the absolute",
        "times depend on the machine and its load. Rows marked *diag* are diagnostics",
        "that split a result into its causes; they have no target.",
        "",
        # docs/benchmarks.md shows the run and its summary from here (snippets).
        "<!-- --8<-- [start:summary] -->",
        *environment_lines(),
        "",
        "## Summary",
        "",
        f"{sum(bool(r.passed) for r in targets)} of {len(targets)} targets pass.",
        "",
        *table_lines(targets),
        "<!-- --8<-- [end:summary] -->",
    ]
    if failures:
        lines += ["", f"Scripts that failed to run: {', '.join(failures)}."]
    for title, rows, elapsed in sections:
        repetitions = max((row.repetitions for row in rows), default=0)
        lines += [
            "",
            f"## {title}",
            "",
            f"{repetitions} measured repetitions per side; script ran in {elapsed:.0f} s.",
            "",
            *table_lines(rows),
        ]
    text = "\n".join(lines) + "\n"
    args.output.write_text(text)
    print("\n" + text)
    print(f"written to {args.output}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
