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


def measure(repetitions: int) -> list[Row]:
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


if __name__ == "__main__":
    run_benchmark(
        __doc__.splitlines()[0],
        "Target 4: unit-of-work throughput on SQLite",
        measure,
        repetitions=5,
    )
