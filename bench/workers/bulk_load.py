"""Worker of bench_bulk_load.py, run with a generated project's Python and its src/
on PYTHONPATH: `python bulk_load.py PACKAGE URL ROWS REPETITIONS [PATTERN]`.

Loads ROWS users, interleaved, through:
- orm: the documented bulk path, `session.execute(insert(User), rows)` inside
  `DbSession.unit_of_work()` (rows: a list of dicts, prepared beforehand);
- raw: the driver's own `executemany` of the same INSERT in one transaction
  (sqlite3 on SQLite, with the pragmas the generated engine sets; psycopg 3 on
  PostgreSQL), with the same values as tuples, prepared beforehand.
URL is a SQLite file path (each repetition uses a fresh file) or a PostgreSQL URL
(the table is emptied between repetitions, untimed). PATTERN "full" (default)
gives every row a bio; "mixed" leaves every second bio None; "mixed_render_nulls"
does too, and adds `.execution_options(render_nulls=True)` to the insert (the ORM
then sends None as NULL instead of leaving the column out, so that rows keep one
shape and stay in one executemany batch). Prints JSON.
"""

import datetime as dt
import gc
import importlib
import json
import sqlite3
import sys
import time
from pathlib import Path

from sqlalchemy import insert, text

package, url, rows_count, repetitions = (
    sys.argv[1],
    sys.argv[2],
    int(sys.argv[3]),
    int(sys.argv[4]),
)
pattern = sys.argv[5] if len(sys.argv) > 5 else "full"
mixed = pattern.startswith("mixed")
DbSession = importlib.import_module(f"{package}.db_session").DbSession
SqlAlchemyBase = importlib.import_module(f"{package}.models").SqlAlchemyBase
User = importlib.import_module(f"{package}.models.user").User
statement = insert(User)
if pattern == "mixed_render_nulls":
    statement = statement.execution_options(render_nulls=True)

postgresql = url.startswith("postgresql")
base = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
dicts = [
    {
        "email": f"user{i}@example.com",
        "display_name": f"User {i}",
        "bio": None if mixed and i % 2 else f"Bio of user {i}",
        "joined_at": base + dt.timedelta(seconds=i),
    }
    for i in range(rows_count)
]
INSERT = "INSERT INTO users (email, display_name, bio, joined_at) VALUES ({0}, {0}, {0}, {0})"
if postgresql:
    import psycopg

    raw_rows = [
        (d["email"], d["display_name"], d["bio"], d["joined_at"]) for d in dicts
    ]
    conninfo = url.replace("postgresql+psycopg://", "postgresql://", 1)
else:
    # The text SQLAlchemy's SQLite DateTime stores: the raw side gets it ready-made.
    raw_rows = [
        (
            d["email"],
            d["display_name"],
            d["bio"],
            d["joined_at"].strftime("%Y-%m-%d %H:%M:%S.%f"),
        )
        for d in dicts
    ]


def database(number: int, kind: str) -> str:
    """A URL for this repetition, with an empty users table."""
    if postgresql:
        target = url
    else:
        target = str(Path(url).with_name(f"{Path(url).stem}-{kind}-{number}.sqlite3"))
    DbSession.global_init(target)
    SqlAlchemyBase.metadata.create_all(DbSession.engine)
    if postgresql:
        with DbSession.engine.connect() as connection:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            connection.execute(text("TRUNCATE users, posts RESTART IDENTITY"))
            connection.execute(text("VACUUM ANALYZE users"))
    return target


def orm(number: int) -> float:
    database(number, "orm")
    gc.collect()
    start = time.perf_counter()
    with DbSession.unit_of_work() as session:
        session.execute(statement, dicts)
    elapsed = time.perf_counter() - start
    with DbSession.engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM users")) == rows_count
    DbSession.dispose()
    return elapsed


def raw(number: int) -> float:
    target = database(number, "raw")
    DbSession.dispose()
    gc.collect()
    if postgresql:
        start = time.perf_counter()
        # The connection commits when its block ends.
        with psycopg.connect(conninfo) as connection, connection.cursor() as cursor:
            cursor.executemany(INSERT.format("%s"), raw_rows)
        elapsed = time.perf_counter() - start
    else:
        connection = sqlite3.connect(target, isolation_level=None)
        for pragma in (
            "foreign_keys = ON",
            "busy_timeout = 5000",
            "journal_mode = WAL",
            "synchronous = NORMAL",
        ):
            connection.execute(f"PRAGMA {pragma}")
        start = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(INSERT.format("?"), raw_rows)
        connection.execute("COMMIT")
        elapsed = time.perf_counter() - start
        assert (
            connection.execute("SELECT count(*) FROM users").fetchone()[0] == rows_count
        )
        connection.close()
    return elapsed


samples: dict[str, list[float]] = {"orm": [], "raw": []}
for number in range(repetitions + 1):  # the first round warms up
    order = [("orm", orm), ("raw", raw)] if number % 2 else [("raw", raw), ("orm", orm)]
    for name, action in order:
        elapsed = action(number)
        if number:
            samples[name].append(elapsed)
print(json.dumps({"samples": samples}))
