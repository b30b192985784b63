"""Worker of bench_async.py, run with the generated projects' Python:
`python async_unit_of_work.py PROJECTS URL CONCURRENCY UNITS REPETITIONS`.

PROJECTS holds sync-app/ and async-app/, two generated projects of URL's
database with a `Note` model. Each side runs CONCURRENCY workers of UNITS
one-row units of work; on PostgreSQL:
- sync_psycopg: the sync project's DbSession, one thread per worker;
- async_psycopg: the async project's DbSession on URL as given (psycopg);
- async_asyncpg: the same code on URL with the asyncpg driver;
on MariaDB:
- sync_pymysql: the sync project's DbSession, one thread per worker;
- async_asyncmy: the async project's DbSession on URL (which it gives asyncmy);
- async_aiomysql: the same code on URL with the aiomysql driver.
Sides are interleaved, the order rotating; the notes table is emptied between
repetitions (untimed); the table is created first. Prints JSON.
"""

import asyncio
import gc
import importlib
import json
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import delete, make_url

projects, url = Path(sys.argv[1]), sys.argv[2]
concurrency, units, repetitions = (int(value) for value in sys.argv[3:6])
for name in ("sync-app", "async-app"):
    sys.path.insert(0, str(projects / name / "src"))
SyncDbSession = importlib.import_module("sync_app.db_session").DbSession
SyncNote = importlib.import_module("sync_app.models.note").Note
AsyncDbSession = importlib.import_module("async_app.db_session").DbSession
AsyncNote = importlib.import_module("async_app.models.note").Note
postgresql = make_url(url).get_backend_name() == "postgresql"
# The driver the async project does not ship, on the same URL.
other_url = make_url(url).set(
    drivername="postgresql+asyncpg" if postgresql else "mariadb+aiomysql"
)

# The schema, once (both projects declare the same notes table).
SyncDbSession.global_init(url)
importlib.import_module("sync_app.models").SqlAlchemyBase.metadata.create_all(
    SyncDbSession.engine
)
SyncDbSession.dispose()


def run_sync() -> float:
    SyncDbSession.global_init(url)

    def work(worker: int) -> None:
        for number in range(units):
            with SyncDbSession.unit_of_work() as session:
                session.add(SyncNote(title=f"note {worker}-{number}"))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(concurrency)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    with SyncDbSession.unit_of_work() as session:
        session.execute(delete(SyncNote))
    SyncDbSession.dispose()
    return elapsed


async def run_async(target: str) -> float:
    AsyncDbSession.global_init(target)

    async def work(worker: int) -> None:
        for number in range(units):
            async with AsyncDbSession.unit_of_work() as session:
                session.add(AsyncNote(title=f"note {worker}-{number}"))

    start = time.perf_counter()
    await asyncio.gather(*(work(n) for n in range(concurrency)))
    elapsed = time.perf_counter() - start
    async with AsyncDbSession.unit_of_work() as session:
        await session.execute(delete(AsyncNote))
    await AsyncDbSession.dispose()
    return elapsed


shipped, other = ("psycopg", "asyncpg") if postgresql else ("asyncmy", "aiomysql")
sides = {
    "sync_psycopg" if postgresql else "sync_pymysql": run_sync,
    f"async_{shipped}": lambda: asyncio.run(run_async(url)),
    f"async_{other}": lambda: asyncio.run(
        run_async(other_url.render_as_string(hide_password=False))
    ),
}
samples: dict[str, list[float]] = {name: [] for name in sides}
names = list(sides)
for round_number in range(1 + repetitions):  # the first round warms up
    shift = round_number % len(names)
    for name in names[shift:] + names[:shift]:
        gc.collect()
        elapsed = sides[name]()
        if round_number:
            samples[name].append(elapsed)
print(json.dumps({"samples": samples}))
