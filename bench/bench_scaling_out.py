"""Issue 15: what scaling out buys, on real servers. (a) Read throughput of
read-only units of work (`DbSession.read_only()`) with a streaming replica
added, against the primary alone. (b) Client connections served per server
connection through PgBouncer in transaction pooling mode, and the throughput of
that many clients through PgBouncer against the same clients connecting
directly (one server connection each).

A PostgreSQL 15 primary, a streaming replica of it (`pg_basebackup -R`) and
PgBouncer 1.18 in front of the primary are started for the run
(tests/scaled_out.py); a sync PostgreSQL project with one model (`Note:
"title:str{200}"`) is generated from a clone of this template and migrated. The
worker (workers/scaling_out.py) runs PROCESSES forked processes of THREADS
threads in the project's environment; the cases are interleaved.

On one machine the replica shares the CPUs with the primary and the clients:
(a) cannot show the gain a second machine gives, only what routing costs or
saves here. (b)'s clients-per-server-connection figure does not depend on that.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable

from _common import (
    Row,
    interleave,
    median,
    migrate,
    note_project,
    run_benchmark,
    run_worker,
    scratch_dir,
)

PROCESSES, THREADS = 4, 8
READ_UNITS, WRITE_UNITS = 200, 50
SERVER_CONNECTIONS = 4
SEED_ROWS = 1000


def measure(repetitions: int) -> list[Row]:
    from tests.postgres_server import PostgresServer
    from tests.scaled_out import PgBouncer, PostgresReplica

    work = scratch_dir("scale")
    primary = PostgresServer()
    replica = PostgresReplica(primary)
    pooler = PgBouncer(primary, SERVER_CONNECTIONS)
    try:
        project, python = note_project(work, "scale-app", database="postgresql")
        primary.start()
        replica.start()
        pooler.start()
        direct = primary.create_database("scale_bench")
        migrate(python, project, direct)
        replica.wait_for("scale_bench")

        def worker(mode: str, units: int, **environment: str) -> Callable[[], float]:
            def run() -> float:
                result = run_worker(
                    python, project, "scaling_out.py", "scale_app", mode,
                    str(PROCESSES), str(THREADS), str(units),
                    extra_env={"DB_POOL_SIZE": str(THREADS), **environment},
                )  # fmt: skip
                if result["error_count"]:
                    raise RuntimeError(f"{mode} failed: {result['errors']}")
                return float(result["seconds"])

            return run

        worker("write", SEED_ROWS // (PROCESSES * THREADS), DATABASE_URL=direct)()
        replica_url = replica.url("scale_bench")
        samples = interleave(
            {
                "primary": worker("read", READ_UNITS, DATABASE_URL=direct),
                "replica": worker(
                    "read", READ_UNITS, DATABASE_URL=direct,
                    DATABASE_REPLICA_URLS=replica_url,
                ),
                "direct": worker("write", WRITE_UNITS, DATABASE_URL=direct),
                "pooled": worker(
                    "write", WRITE_UNITS, DATABASE_URL=pooler.url("scale_bench")
                ),
            },
            repetitions,
        )  # fmt: skip
    finally:
        pooler.stop()
        replica.stop()
        primary.stop()
        shutil.rmtree(work, ignore_errors=True)
    clients = PROCESSES * THREADS
    primary_only, with_replica = median(samples["primary"]), median(samples["replica"])
    direct_writes, pooled_writes = median(samples["direct"]), median(samples["pooled"])
    reads = clients * READ_UNITS
    writes = clients * WRITE_UNITS
    return [
        Row("15a", f"{reads:,} read-only units of work, {PROCESSES} processes x {THREADS} threads "
            f"(units/s: {reads / with_replica:,.0f} vs {reads / primary_only:,.0f})",
            "primary + replica", with_replica, "primary only", primary_only,
            primary_only / with_replica, "x", None, higher_is_better=True,
            repetitions=repetitions),
        Row("15b", f"{clients} clients on {SERVER_CONNECTIONS} server connections through PgBouncer "
            f"({clients / SERVER_CONNECTIONS:.0f} clients per server connection), {writes:,} units of work "
            f"(units/s: {writes / pooled_writes:,.0f} vs {writes / direct_writes:,.0f})",
            "through PgBouncer", pooled_writes, f"direct, {clients} server connections", direct_writes,
            direct_writes / pooled_writes, "x", None, higher_is_better=True,
            repetitions=repetitions),
    ]  # fmt: skip


if __name__ == "__main__":
    run_benchmark(
        __doc__.splitlines()[0],
        "Scaling out: replica reads and PgBouncer (ratios: throughput vs baseline)",
        measure,
        repetitions=3,
    )
