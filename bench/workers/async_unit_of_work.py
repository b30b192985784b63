"""Worker of bench_async.py, run with the generated projects' Python:
`python async_unit_of_work.py PROJECTS URL CONCURRENCY UNITS REPETITIONS`.

PROJECTS holds sync-app/ and async-app/, two generated PostgreSQL projects with a
`Note` model. Each side runs CONCURRENCY workers of UNITS one-row units of work:
- sync_psycopg: the sync project's DbSession, one thread per worker;
- async_psycopg: the async project's DbSession on URL as given (psycopg);
- async_asyncpg: the same code on URL with the asyncpg driver.
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

from sqlalchemy import create_engine, delete, make_url

projects, url = Path(sys.argv[1]), sys.argv[2]
concurrency, units, repetitions = (int(value) for value in sys.argv[3:6])
for name in ("sync-app", "async-app"):
    sys.path.insert(0, str(projects / name / "src"))
SyncDbSession = importlib.import_module("sync_app.db_session").DbSession
SyncNote = importlib.import_module("sync_app.models.note").Note
AsyncDbSession = importlib.import_module("async_app.db_session").DbSession
AsyncNote = importlib.import_module("async_app.models.note").Note
asyncpg_url = make_url(url).set(drivername="postgresql+asyncpg")

# The schema, once (both projects declare the same notes table).
schema_engine = create_engine(url)
importlib.import_module("sync_app.models").SqlAlchemyBase.metadata.create_all(
    schema_engine
)
schema_engine.dispose()


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


sides = {
    "sync_psycopg": run_sync,
    "async_psycopg": lambda: asyncio.run(run_async(url)),
    "async_asyncpg": lambda: asyncio.run(
        run_async(asyncpg_url.render_as_string(hide_password=False))
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
