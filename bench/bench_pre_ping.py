"""Issue 16: what `pool_pre_ping` costs on PostgreSQL. 2,000 one-row units of
work in one thread through the generated engine (pool_pre_ping on, as shipped)
against the same engine settings without it, on a throwaway PostgreSQL 15 server
(tests/postgres_server.py), interleaved. What it buys is tested, not timed:
tests/test_generated_postgresql.py's restart test (a process keeps working
across a server restart between units of work).
"""

from __future__ import annotations

import shutil

from _common import (
    Row,
    median,
    migrate,
    note_project,
    run_benchmark,
    run_worker,
    scratch_dir,
)

UNITS = 2000


def measure(repetitions: int) -> list[Row]:
    from tests.postgres_server import PostgresServer

    work = scratch_dir("ping")
    server = PostgresServer()
    try:
        project, python = note_project(work, "ping-app", database="postgresql")
        server.start()
        url = server.create_database("ping_bench")
        migrate(python, project, url)
        result = run_worker(
            python,
            project,
            "pre_ping.py",
            "ping_app",
            url,
            str(UNITS),
            str(repetitions),
        )
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    with_ping = median(result["samples"]["pre_ping"])
    without = median(result["samples"]["no_pre_ping"])
    return [
        Row("16d", f"{UNITS:,} one-row units of work on PostgreSQL, one thread "
            f"({(with_ping - without) / UNITS * 1e6:.0f} us more per unit)",
            "pool_pre_ping on (generated)", with_ping, "pool_pre_ping off", without,
            with_ping / without, "x", None, repetitions=repetitions),
    ]  # fmt: skip


if __name__ == "__main__":
    run_benchmark(
        __doc__.splitlines()[0],
        "Issue 16d: pool_pre_ping's cost on PostgreSQL",
        measure,
        repetitions=5,
    )
