"""Past one machine, on real servers: a generated PostgreSQL project reads from a
streaming replica through `DbSession.read_only()` and survives the replica going
away, and many processes share a few server connections through PgBouncer in
transaction pooling mode, which only works with `?pgbouncer=true`. Alembic
bypasses the pooler through DIRECT_DATABASE_URL.

The replica and PgBouncer are made once per session (tests/scaled_out.py), in
front of the session's PostgreSQL server. Each scenario runs as a script in the
generated project's environment (sync and async flavours alike)."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.postgres_server import PostgresServer
from tests.scaled_out import PgBouncer, PostgresReplica
from tests.tooling import GenerateProject, Project, alembic

pytestmark = pytest.mark.postgresql

MODELS = {"Note": "title:str{200}"}
# PgBouncer's server connections; the database itself admits a few more.
SERVER_CONNECTIONS = 4
DATABASE_CONNECTION_LIMIT = 6
# The pooled workload: more client connections than the database admits.
PROCESSES, THREADS, UNITS = 4, 6, 25

# Reads one line per command from stdin: "read" runs a read-only unit of work and
# prints where it ran ("replica", "primary") or the error; "write" tries an
# insert inside one and prints the error or "written".
READER = """
import asyncio, importlib, inspect, sys
from sqlalchemy import text

package = sys.argv[1]
DbSession = importlib.import_module(f"{package}.db_session").DbSession
Note = importlib.import_module(f"{package}.models.note").Note
IS_ASYNC = inspect.iscoroutinefunction(DbSession.dispose)
IN_RECOVERY = text("SELECT pg_is_in_recovery()")


def where_sync():
    with DbSession.read_only() as session:
        return session.scalar(IN_RECOVERY)


async def where_async():
    async with DbSession.read_only() as session:
        return await session.scalar(IN_RECOVERY)


def write_sync():
    with DbSession.read_only() as session:
        session.add(Note(title="refused"))
        session.flush()


async def write_async():
    async with DbSession.read_only() as session:
        session.add(Note(title="refused"))
        await session.flush()


async def answer(command):
    try:
        if command == "read":
            replica = await where_async() if IS_ASYNC else where_sync()
            return "replica" if replica else "primary"
        await write_async() if IS_ASYNC else write_sync()
        return "written"
    except Exception as error:
        return f"error: {type(error).__name__}: {str(error).splitlines()[0]}"


DbSession.global_init()
loop = asyncio.new_event_loop()
for line in sys.stdin:
    print(loop.run_until_complete(answer(line.strip())), flush=True)
if IS_ASYNC:
    loop.run_until_complete(DbSession.dispose())
else:
    DbSession.dispose()
"""

# PROCESSES processes of THREADS threads, each running UNITS units of work (an
# insert and a query). Prints the errors as JSON, and how many units ran.
WORKLOAD = """
import asyncio, importlib, inspect, json, multiprocessing, sys, threading
from sqlalchemy import func, select

package, processes, threads, units = sys.argv[1], *map(int, sys.argv[2:5])


def process(number):
    DbSession = importlib.import_module(f"{package}.db_session").DbSession
    Note = importlib.import_module(f"{package}.models.note").Note
    DbSession.global_init()
    errors = []
    count = select(func.count()).select_from(Note)

    def sync_worker(worker):
        for unit in range(units):
            try:
                with DbSession.unit_of_work() as session:
                    session.add(Note(title=f"{number}-{worker}-{unit}"))
                    session.flush()
                    session.scalar(count.where(Note.title.startswith(f"{number}-")))
            except Exception as error:
                errors.append(f"{type(error).__name__}: {str(error)[:200]}")

    async def async_worker(worker):
        for unit in range(units):
            try:
                async with DbSession.unit_of_work() as session:
                    session.add(Note(title=f"{number}-{worker}-{unit}"))
                    await session.flush()
                    await session.scalar(count.where(Note.title.startswith(f"{number}-")))
            except Exception as error:
                errors.append(f"{type(error).__name__}: {str(error)[:200]}")

    if inspect.iscoroutinefunction(DbSession.dispose):
        async def run_all():
            await asyncio.gather(*(async_worker(n) for n in range(threads)))
            await DbSession.dispose()
        asyncio.run(run_all())
    else:
        workers = [threading.Thread(target=sync_worker, args=(n,)) for n in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        DbSession.dispose()
    return errors


if __name__ == "__main__":
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        errors = [error for found in pool.map(process, range(processes)) for error in found]
    print(json.dumps({"units": processes * threads * units, "errors": errors}))
"""


@dataclass(frozen=True)
class ScaledOut:
    """The session's primary, its replica and PgBouncer in front of the primary."""

    primary: PostgresServer
    replica: PostgresReplica
    pooler: PgBouncer


@pytest.fixture(scope="session")
def scaled_out(postgres: PostgresServer) -> Iterator[ScaledOut]:
    replica = PostgresReplica(postgres)
    pooler = PgBouncer(postgres, SERVER_CONNECTIONS)
    replica.start()
    try:
        pooler.start()
        try:
            yield ScaledOut(postgres, replica, pooler)
        finally:
            pooler.stop()
    finally:
        replica.stop()


@pytest.fixture(scope="module", params=["sync", "async"])
def project(request: pytest.FixtureRequest, generate: GenerateProject) -> Project:
    flavour = request.param
    return generate(
        f"scaled_{flavour}",
        {"database": "postgresql", "session_api": flavour, "models": MODELS},
    )


@pytest.fixture(scope="module")
def database(project: Project, scaled_out: ScaledOut) -> str:
    """A migrated database of the project's, seen by the replica, that admits
    only DATABASE_CONNECTION_LIMIT connections; its name."""
    name = f"{project.package}_db"
    url = scaled_out.primary.create_database(name)
    scaled_out.primary.sql(
        f"ALTER DATABASE {name} CONNECTION LIMIT {DATABASE_CONNECTION_LIMIT}"
    )
    alembic(project, url, "upgrade", "head")
    scaled_out.replica.wait_for(name)
    return name


@dataclass
class Reader:
    """A running READER script: one answer per command."""

    process: subprocess.Popen[str]

    def ask(self, command: str) -> str:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.process.stdout.readline().strip()


@pytest.fixture
def reader(project: Project, database: str, scaled_out: ScaledOut) -> Iterator[Reader]:
    environment = project.environment(
        {
            "DATABASE_URL": scaled_out.primary.url(database),
            "DATABASE_REPLICA_URLS": scaled_out.replica.url(database),
        }
    )
    process = subprocess.Popen(
        ["python", "-c", READER, project.package],
        cwd=project.root,
        env=environment,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        yield Reader(process)
    finally:
        assert process.stdin is not None
        assert process.stdout is not None
        process.stdin.close()
        process.wait(timeout=30)
        process.stdout.close()


def workload(project: Project, database_url: str) -> dict[str, object]:
    result = project.run(
        "python", "-c", WORKLOAD, project.package,
        str(PROCESSES), str(THREADS), str(UNITS),
        env={"DATABASE_URL": database_url, "DB_POOL_SIZE": str(THREADS)},
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_read_only_units_of_work_run_on_the_replica(reader: Reader) -> None:
    assert [reader.ask("read") for _ in range(3)] == ["replica"] * 3


def test_a_write_inside_read_only_is_refused_on_the_replica(reader: Reader) -> None:
    answer = reader.ask("write")

    assert answer.startswith("error:")
    assert "read-only transaction" in answer


def test_reads_move_to_the_primary_while_the_replica_is_down_and_back_after(
    reader: Reader, scaled_out: ScaledOut
) -> None:
    assert reader.ask("read") == "replica"

    scaled_out.replica.pause()
    try:
        while_down = [reader.ask("read") for _ in range(2)]
    finally:
        scaled_out.replica.resume()
    # The replica is left out for a pause (a second after one failure), then
    # tried again: reads come back to it without a restart.
    deadline = time.monotonic() + 15
    after = reader.ask("read")
    while after != "replica" and time.monotonic() < deadline:
        time.sleep(0.2)
        after = reader.ask("read")

    assert while_down == ["primary", "primary"]
    assert after == "replica"


def test_more_clients_than_the_database_admits_work_through_pgbouncer(
    project: Project, database: str, scaled_out: ScaledOut
) -> None:
    assert PROCESSES * THREADS > DATABASE_CONNECTION_LIMIT

    result = workload(project, scaled_out.pooler.url(database))

    assert result["errors"] == []


def test_without_the_flag_the_same_workload_fails_on_prepared_statements(
    project: Project, database: str, scaled_out: ScaledOut
) -> None:
    result = workload(project, scaled_out.pooler.url(database, flag=False))

    errors = result["errors"]
    assert isinstance(errors, list)
    assert errors
    assert any("prepared statement" in error for error in errors)


def test_its_tests_pass_with_the_scaling_out_settings_of_a_developer(
    project: Project, database: str, scaled_out: ScaledOut
) -> None:
    # What a developer's .env may hold once the app is scaled out: the starter
    # tests must keep to their own database, replicas and pooler aside.
    test_database = scaled_out.primary.create_database(f"{project.package}_tests")

    result = project.run(
        "pytest", "-q", "-p", "no:cacheprovider",
        env={
            "TEST_DATABASE_URL": test_database,
            "DATABASE_URL": scaled_out.pooler.url(database),
            "DATABASE_REPLICA_URLS": scaled_out.replica.url(database),
            "DIRECT_DATABASE_URL": scaled_out.primary.url(database),
        },
    )  # fmt: skip

    assert " passed" in result.stdout


def test_alembic_goes_direct_while_the_app_goes_through_pgbouncer(
    project: Project, scaled_out: ScaledOut
) -> None:
    name = f"{project.package}_direct"
    direct = scaled_out.primary.create_database(name)

    output = project.run(
        "alembic", "upgrade", "head",
        env={
            "DATABASE_URL": scaled_out.pooler.url(name),
            "DIRECT_DATABASE_URL": direct,
        },
    )  # fmt: skip

    assert "Running upgrade  -> 0001" in output.stdout + output.stderr
    assert "pgbouncer" not in output.stdout + output.stderr
