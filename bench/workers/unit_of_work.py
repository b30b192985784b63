"""Worker of bench_unit_of_work.py, run with a generated project's Python and its
src/ on PYTHONPATH: `python unit_of_work.py PACKAGE FOLDER UNITS REPETITIONS`.

Times UNITS one-row units of work (`with DbSession.unit_of_work() as s:
s.add(User(...))`) on a fresh SQLite file, through the same DbSession code with
two engines, interleaved: the generated `build_engine` (WAL, synchronous=NORMAL,
busy timeout), and a comparison engine whose connect event sets SQLite's default
journal settings instead (journal_mode=DELETE, synchronous=FULL, no busy
timeout), everything else being the same (foreign keys on, transactions begun
with BEGIN IMMEDIATE). For the diagnostics, it also times UNITS one-row
transactions through the raw sqlite3 module (BEGIN IMMEDIATE, INSERT, COMMIT) with
each of the two journal settings: the disk's share of each side. Prints JSON: the
seconds of each repetition per case.
"""

import datetime as dt
import gc
import importlib
import json
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, event, text
from sqlalchemy.orm import sessionmaker

package, folder, units, repetitions = (
    sys.argv[1],
    Path(sys.argv[2]),
    int(sys.argv[3]),
    int(sys.argv[4]),
)
db_session = importlib.import_module(f"{package}.db_session")
database_url = importlib.import_module(f"{package}.database_url")
SqlAlchemyBase = importlib.import_module(f"{package}.models").SqlAlchemyBase
User = importlib.import_module(f"{package}.models.user").User
DbSession = db_session.DbSession


def default_journal_engine(url: Any) -> Any:
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = DELETE")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def install(kind: str, path: Path) -> str:
    """Point DbSession at a fresh database file; returns its journal mode."""
    if kind == "generated":
        DbSession.global_init(str(path))
    else:
        url = database_url.resolve_database_url(str(path))
        engine = default_journal_engine(url)
        factory = sessionmaker(engine, expire_on_commit=False)
        # Only unit_of_work() runs here: read_only()'s factory can be the same.
        DbSession._database = db_session._Database(
            url=url, engine=engine, factory=factory, reader=factory
        )
    SqlAlchemyBase.metadata.create_all(DbSession.engine)
    with DbSession.engine.connect() as connection:
        return str(connection.scalar(text("PRAGMA journal_mode")))


def run(kind: str, number: int) -> float:
    path = folder / f"{kind}-{number}.sqlite3"
    journal = install(kind, path)
    modes[kind] = journal
    joined = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    gc.collect()
    start = time.perf_counter()
    for i in range(units):
        with DbSession.unit_of_work() as session:
            session.add(
                User(
                    email=f"u{i}@example.com",
                    display_name=f"User {i}",
                    joined_at=joined,
                )
            )
    elapsed = time.perf_counter() - start
    DbSession.dispose()
    return elapsed


RAW_PRAGMAS = {
    "raw_generated": (
        "foreign_keys = ON",
        "busy_timeout = 5000",
        "journal_mode = WAL",
        "synchronous = NORMAL",
    ),
    "raw_default_journal": (
        "foreign_keys = ON",
        "journal_mode = DELETE",
        "synchronous = FULL",
    ),
}


def run_raw(kind: str, number: int) -> float:
    """The same one-row transactions through sqlite3 alone: the journal's cost."""
    path = folder / f"{kind}-{number}.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    SqlAlchemyBase.metadata.create_all(engine)
    engine.dispose()
    connection = sqlite3.connect(path, isolation_level=None)
    for pragma in RAW_PRAGMAS[kind]:
        connection.execute(f"PRAGMA {pragma}")
    insert = "INSERT INTO users (email, display_name, joined_at) VALUES (?, ?, ?)"
    gc.collect()
    start = time.perf_counter()
    for i in range(units):
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(
            insert, (f"u{i}@example.com", f"User {i}", "2024-01-01 00:00:00.000000")
        )
        connection.execute("COMMIT")
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed


modes: dict[str, str] = {}
cases = {
    "generated": lambda number: run("generated", number),
    "default_journal": lambda number: run("default_journal", number),
    "raw_generated": lambda number: run_raw("raw_generated", number),
    "raw_default_journal": lambda number: run_raw("raw_default_journal", number),
}
samples: dict[str, list[float]] = {name: [] for name in cases}
for number in range(repetitions + 1):  # the first round warms up
    order = list(cases) if number % 2 else list(reversed(cases))
    for name in order:
        elapsed = cases[name](number)
        if number:
            samples[name].append(elapsed)
print(json.dumps({"samples": samples, "journal_modes": modes}))
