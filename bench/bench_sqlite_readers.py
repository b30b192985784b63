"""Issue 16: readers beside a writer on a SQLite file. 4 reader threads and 1
writer that holds the write lock 10 ms per unit of work, for 2 s per repetition:
readers' throughput through `DbSession.read_only()` (a deferred, read-only
transaction: under WAL it runs beside the writer) against the same readers
through `DbSession.unit_of_work()` (BEGIN IMMEDIATE: each reader queues behind
the writer and the other readers, as every unit of work did before).

A SQLite project with one model (`Note: "title:str{200}"`) is generated from a
clone of this template; the worker (workers/sqlite_readers.py) runs both cases
in one process, interleaved, on one database file in a temporary folder (on a
real disk: set BENCH_DB_DIR to choose it).
"""

from __future__ import annotations

import shutil

from _common import (
    Row,
    database_dir,
    median,
    note_project,
    run_benchmark,
    run_worker,
    scratch_dir,
)

READERS, SECONDS = 4, 2.0
LIMIT = 3.0


def measure(repetitions: int) -> list[Row]:
    work = scratch_dir("readers")
    databases = database_dir("readers")
    try:
        project, python = note_project(work, "readers-app")
        result = run_worker(
            python, project, "sqlite_readers.py", "readers_app",
            str(databases / "readers.sqlite3"), str(SECONDS), str(READERS),
            str(repetitions),
        )  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(databases, ignore_errors=True)
    read_only = median(result["samples"]["read_only"])
    queued = median(result["samples"]["unit_of_work"])
    # Rows hold seconds per read (the inverse of the throughput) on each side.
    return [
        Row("16a", f"{READERS} reader threads beside 1 writer holding its lock 10 ms per unit, "
            f"SQLite file (reads/s: {read_only:,.0f} vs {queued:,.0f})",
            "read_only()", 1 / read_only, "unit_of_work() (BEGIN IMMEDIATE)", 1 / queued,
            read_only / queued, "x", LIMIT, higher_is_better=True, repetitions=repetitions),
    ]  # fmt: skip


if __name__ == "__main__":
    run_benchmark(
        __doc__.splitlines()[0],
        "Issue 16a: SQLite readers beside a writer",
        measure,
        repetitions=3,
    )
