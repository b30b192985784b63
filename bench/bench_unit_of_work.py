"""Target 4: in a generated project on a SQLite file, 2,000 one-row units of work
(`with DbSession.unit_of_work() as s: s.add(User(...))`) run at least 5x faster
than the same code on an engine with SQLite's default journal settings.

The project is generated from a clone of this template with a `User` model (USER_MODEL). The
worker (workers/unit_of_work.py) runs in the project's environment and times both
engines in one process, interleaved, each repetition on a fresh database file in
a temporary folder (which must be on a real disk, not tmpfs: set BENCH_DB_DIR to
choose it). The comparison engine sets journal_mode=DELETE, synchronous=FULL and
no busy timeout in its connect event; everything else is the generated code.

The ratio depends on how long the disk takes to sync. Diagnostics split it: the
same one-row transactions through the raw sqlite3 module with each journal
setting (the disk's share), and the ORM's own cost per unit of work (generated
engine minus raw WAL). With ORM cost o and raw costs w (WAL) and d (DELETE/FULL)
per transaction, the ratio is (o + d) / (o + w): 5x needs d >= 4o + 5w.

MariaDB (issue 25, ratios, no limit): the same 2,000 one-row units of work in a
generated MariaDB project on a throwaway MariaDB 10.11 server
(tests/mariadb_server.py), against the same statements through PyMySQL alone
(workers/unit_of_work_mariadb.py): the INSERT the ORM sends (with its RETURNING)
and a COMMIT per unit, on one connection with the generated session settings;
a diagnostic adds the ping the generated engine's `pool_pre_ping` sends at each
checkout. What is left is SQLAlchemy's own cost per unit of work, which the
template does not control: no limit.
"""

from __future__ import annotations

import shutil

from _common import (
    USER_MODEL,
    Row,
    copy,
    database_dir,
    median,
    project_python,
    run_benchmark,
    run_worker,
    scratch_dir,
    template_clone,
)

LIMIT = 5.0
UNITS = 2000


def measure(repetitions: int, with_mariadb: bool = True) -> list[Row]:
    rows = measure_sqlite(repetitions)
    if with_mariadb:
        rows += measure_mariadb(repetitions)
    return rows


def measure_sqlite(repetitions: int) -> list[Row]:
    work = scratch_dir("uow")
    databases = database_dir("uow")
    try:
        template = template_clone(work / "template")
        project = copy(
            template,
            work / "project" / "my-app",
            {"project_name": "My App", "models": {"User": USER_MODEL}},
        )
        python = project_python(template)
        result = run_worker(
            python,
            project,
            "unit_of_work.py",
            "my_app",
            str(databases),
            str(UNITS),
            str(repetitions),
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(databases, ignore_errors=True)
    generated = median(result["samples"]["generated"])
    default = median(result["samples"]["default_journal"])
    raw_wal = median(result["samples"]["raw_generated"])
    raw_delete = median(result["samples"]["raw_default_journal"])
    modes = result["journal_modes"]
    orm = max(generated - raw_wal, 0.0)
    needed = 4 * orm + 5 * raw_wal
    return [
        Row("4", f"{UNITS} one-row units of work on a SQLite file "
            f"(journal_mode {modes['generated']} vs {modes['default_journal']})",
            "default journal engine", default, "generated engine", generated,
            default / generated, "x", LIMIT, higher_is_better=True, repetitions=repetitions,
            note=f"{generated / UNITS * 1e3:.3f} vs {default / UNITS * 1e3:.3f} ms per unit"),
        Row("4 diag", f"the same {UNITS} one-row transactions through raw sqlite3 (the disk's share)",
            "DELETE/FULL", raw_delete, "WAL/NORMAL", raw_wal, raw_delete / raw_wal, "x", None,
            higher_is_better=True, repetitions=repetitions,
            note=f"{raw_wal / UNITS * 1e3:.3f} vs {raw_delete / UNITS * 1e3:.3f} ms per commit; "
            f"5x needs >= {needed / UNITS * 1e3:.3f} ms per DELETE/FULL commit"),
        Row("4 diag", "ORM cost per unit of work (generated engine minus raw WAL)",
            "generated engine", generated, "raw sqlite3 WAL", raw_wal, orm / UNITS, "ms", None,
            repetitions=repetitions),
    ]  # fmt: skip


def measure_mariadb(repetitions: int) -> list[Row]:
    from tests.mariadb_server import MariaDBServer

    work = scratch_dir("uow-mariadb")
    server = MariaDBServer()
    try:
        template = template_clone(work / "template")
        project = copy(
            template,
            work / "project" / "my-app",
            {
                "project_name": "My App",
                "database": "mariadb",
                "models": {"User": USER_MODEL},
            },
        )
        python = project_python(template)
        server.start()
        result = run_worker(
            python, project, "unit_of_work_mariadb.py",
            "my_app", server.create_database("uow"), str(UNITS), str(repetitions),
        )  # fmt: skip
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    generated = median(result["samples"]["generated"])
    raw = median(result["samples"]["raw"])
    raw_ping = median(result["samples"]["raw_ping"])
    measured = f"{UNITS} one-row units of work on MariaDB"
    return [
        Row("25", measured, "generated unit_of_work()", generated,
            "raw PyMySQL, the same statements", raw, generated / raw, "x", None,
            repetitions=repetitions,
            note=f"{generated / UNITS * 1e3:.3f} vs {raw / UNITS * 1e3:.3f} ms per unit"),
        Row("25 diag", f"{measured}: the pre-ping's share",
            "raw PyMySQL + a ping per unit", raw_ping,
            "raw PyMySQL, the same statements", raw, raw_ping / raw, "x", None,
            repetitions=repetitions),
        Row("25 diag", "SQLAlchemy's cost per unit of work on MariaDB "
            "(generated minus raw with ping)", "generated unit_of_work()", generated,
            "raw PyMySQL + a ping per unit", raw_ping,
            max(generated - raw_ping, 0.0) / UNITS, "ms", None, repetitions=repetitions),
    ]  # fmt: skip


if __name__ == "__main__":
    run_benchmark(
        __doc__.splitlines()[0],
        "Target 4: unit-of-work throughput on SQLite; MariaDB against PyMySQL",
        measure,
        repetitions=5,
    )
