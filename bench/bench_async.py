"""Issues 14 and 25: async unit-of-work throughput on PostgreSQL and MariaDB.
50 concurrent tasks (`async with DbSession.unit_of_work() as s:
s.add(Note(...))`) in an async project, with the driver it ships (psycopg 3 in
asyncio mode) and with the one it does not (asyncpg), against 50 threads doing
the same in a sync project.

Two projects are generated from a clone of this template with one model
(`Note: "title:str{200} body:text?"`, bigint keys, timestamps: every insert reads
the server's defaults back), one sync, one async. The worker
(workers/async_unit_of_work.py) runs in their shared environment and times the
three sides in one process, interleaved, on a throwaway PostgreSQL 15 server
(tests/postgres_server.py), the table emptied between repetitions (untimed).
Every side gets the same pool (20 connections + 30 overflow, so no unit waits
for a connection) and runs the same number of units. The ratios are throughput
against the sync project: above 1 the async side does more units per second.

MariaDB (issue 25): the same three sides on a throwaway MariaDB 10.11 server
(tests/mariadb_server.py) with two MariaDB projects: the sync project on
PyMySQL, the async project with the driver it ships (asyncmy) and with aiomysql
(PyMySQL's asyncio wrapper, which it does not ship: it fails on bytes values
with PyMySQL 1.1; the notes have none).
"""

from __future__ import annotations

import shutil

from _common import (
    Row,
    copy,
    median,
    project_python,
    run_benchmark,
    run_worker,
    scratch_dir,
    template_clone,
)

CONCURRENCY = 50
UNITS_EACH = 40
MODELS = {"Note": "title:str{200} body:text?"}
# database -> (the sync side, its label), {an async side: its label}
SIDES = {
    "postgresql": (
        ("sync_psycopg", "sync project, psycopg"),
        {
            "async_psycopg": "async project, psycopg (shipped)",
            "async_asyncpg": "async project, asyncpg",
        },
    ),
    "mariadb": (
        ("sync_pymysql", "sync project, PyMySQL"),
        {
            "async_asyncmy": "async project, asyncmy (shipped)",
            "async_aiomysql": "async project, aiomysql",
        },
    ),
}


def measure(repetitions: int, with_mariadb: bool = True) -> list[Row]:
    rows = measure_on("postgresql", repetitions)
    if with_mariadb:
        rows += measure_on("mariadb", repetitions)
    return rows


def measure_on(database: str, repetitions: int) -> list[Row]:
    from tests.mariadb_server import MariaDBServer
    from tests.postgres_server import PostgresServer

    work = scratch_dir("async")
    server = PostgresServer() if database == "postgresql" else MariaDBServer()
    try:
        template = template_clone(work / "template")
        for flavour in ("sync", "async"):
            copy(
                template,
                work / "projects" / f"{flavour}-app",
                {
                    "project_name": f"{flavour} app",
                    "database": database,
                    "session_api": flavour,
                    "models": MODELS,
                },
            )
        python = project_python(template)
        server.start()
        result = run_worker(
            python,
            work / "projects" / "async-app",
            "async_unit_of_work.py",
            str(work / "projects"),
            server.create_database("async_bench"),
            str(CONCURRENCY),
            str(UNITS_EACH),
            str(repetitions),
            extra_env={"DB_POOL_SIZE": "20", "DB_MAX_OVERFLOW": "30"},
        )
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    units = CONCURRENCY * UNITS_EACH
    (sync_key, sync_label), async_sides = SIDES[database]
    sync = median(result["samples"][sync_key])
    rows = []
    for key, label in async_sides.items():
        seconds = median(result["samples"][key])
        rows.append(Row(
            "async", f"{units:,} one-row units of work on {database}, "
            f"{CONCURRENCY} at a time "
            f"(units/s: {units / seconds:,.0f} vs {units / sync:,.0f})",
            label, seconds, f"{sync_label}, {CONCURRENCY} threads", sync,
            sync / seconds, "x", None, higher_is_better=True, repetitions=repetitions,
        ))  # fmt: skip
    return rows


if __name__ == "__main__":
    run_benchmark(
        __doc__.splitlines()[0],
        "Async unit-of-work throughput (ratios: throughput vs sync)",
        measure,
        repetitions=5,
    )
