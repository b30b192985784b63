"""Worker of bench_bulk_load.py, run with a generated project's Python and its src/
on PYTHONPATH: `python bulk_load.py PACKAGE URL ROWS REPETITIONS SHAPE`.

Loads ROWS rows of one model, interleaved, through:
- bulk_load: the generated `bulk_load()` inside `DbSession.unit_of_work()`, given
  the rows as the application has them (dicts of Python values);
- raw: the driver alone, given the same rows as tuples already converted to what
  it takes (prepared beforehand, untimed): PostgreSQL's COPY through psycopg 3;
  on MariaDB, PyMySQL's `executemany` of the INSERT (which PyMySQL sends as
  multi-row INSERTs) on a connection with the generated engine's session
  settings; or sqlite3's `executemany` of the INSERT in one transaction, with
  the generated engine's pragmas;
- insert: what the README documented before `bulk_load()`,
  `session.execute(insert(Model).execution_options(render_nulls=True), dicts)`;
- executemany (PostgreSQL only): psycopg's `executemany` of the same tuples;
- raw_from_dicts: the raw side, converting the dicts to tuples itself while
  timed (what a program using the driver alone would run).
SHAPE "users" is a User (email, display_name, bio: every second one None,
joined_at); "every_type" an Event with one column of each converted type (enum,
decimal, aware datetime, JSON, UUID). URL is a SQLite file path (each
repetition uses a fresh file), or a PostgreSQL or MariaDB URL (the table is
emptied between repetitions, untimed). Prints JSON.
"""

import datetime as dt
import gc
import importlib
import json
import sqlite3
import sys
import time
import uuid
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

package, url, rows_count, repetitions, shape = (
    sys.argv[1],
    sys.argv[2],
    int(sys.argv[3]),
    int(sys.argv[4]),
    sys.argv[5],
)
postgresql = url.startswith("postgresql")
mariadb = url.startswith("mariadb")
server = postgresql or mariadb
DbSession = importlib.import_module(f"{package}.db_session").DbSession
SqlAlchemyBase = importlib.import_module(f"{package}.models").SqlAlchemyBase
bulk_load = importlib.import_module(f"{package}.bulk").bulk_load
base = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def sqlite_text(moment: dt.datetime) -> str:
    """The text SQLAlchemy's SQLite DateTime stores for a UTC datetime."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


if shape == "users":
    model = importlib.import_module(f"{package}.models.user").User
    dicts = [
        {
            "email": f"user{i}@example.com",
            "display_name": f"User {i}",
            "bio": None if i % 2 else f"Bio of user {i}",
            "joined_at": base + dt.timedelta(seconds=i),
        }
        for i in range(rows_count)
    ]

    def driver_values(row: dict[str, Any]) -> tuple[Any, ...]:
        joined = row["joined_at"] if server else sqlite_text(row["joined_at"])
        return (row["email"], row["display_name"], row["bio"], joined)

else:
    module = importlib.import_module(f"{package}.models.event")
    model, kinds = module.Event, list(module.EventKind)
    dicts = [
        {
            "kind": kinds[i % len(kinds)],
            "amount": Decimal(i) / 100,
            "at": base + dt.timedelta(seconds=i),
            "payload": {"n": i, "tags": ["a", "b"]},
            "ref": uuid.UUID(int=i),
        }
        for i in range(rows_count)
    ]

    def driver_values(row: dict[str, Any]) -> tuple[Any, ...]:
        if postgresql:
            return (
                row["kind"].value,
                row["amount"],
                row["at"],
                json.dumps(row["payload"]),
                row["ref"],
            )
        if mariadb:
            # PyMySQL writes a datetime's fields, dropping its (UTC) zone.
            return (
                row["kind"].value,
                row["amount"],
                row["at"],
                json.dumps(row["payload"]),
                row["ref"].hex,
            )
        return (
            row["kind"].value,
            float(row["amount"]),
            sqlite_text(row["at"]),
            json.dumps(row["payload"]),
            row["ref"].hex,
        )


table = model.__table__
columns = list(dicts[0])
raw_rows = [driver_values(row) for row in dicts]
# The generated engine sets ANSI_QUOTES on MariaDB: "name" is a name there too.
names = ", ".join(f'"{name}"' for name in columns)
COPY = f"COPY {table.name} ({names}) FROM STDIN"
INSERT = f"INSERT INTO {table.name} ({names}) VALUES ({{0}})"
placeholders = ", ".join(["%s" if server else "?"] * len(columns))
insert_statement = insert(model).execution_options(render_nulls=True)
if postgresql:
    import psycopg

    conninfo = url.replace("postgresql+psycopg://", "postgresql://", 1)
if mariadb:
    import pymysql

    MARIADB_SESSION = importlib.import_module(f"{package}.engine").MARIADB_SESSION
    address = importlib.import_module(f"{package}.database_url").resolve_database_url(
        url
    )


def database(number: int, kind: str) -> str:
    """A URL for this repetition, with an empty table."""
    if server:
        target = url
    else:
        target = str(Path(url).with_name(f"{Path(url).stem}-{kind}-{number}.sqlite3"))
    DbSession.global_init(target)
    SqlAlchemyBase.metadata.create_all(DbSession.engine)
    if postgresql:
        with DbSession.engine.connect() as connection:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            connection.execute(text(f"TRUNCATE {table.name} RESTART IDENTITY"))
            connection.execute(text(f"VACUUM ANALYZE {table.name}"))
    if mariadb:
        with DbSession.engine.connect() as connection:
            connection.execute(text(f"TRUNCATE TABLE {table.name}"))
    return target


def loaded_rows() -> int:
    with DbSession.engine.connect() as connection:
        return connection.scalar(text(f"SELECT count(*) FROM {table.name}"))


def through_db_session(number: int, kind: str) -> float:
    database(number, kind)
    gc.collect()
    start = time.perf_counter()
    with DbSession.unit_of_work() as session:
        if kind == "bulk_load":
            bulk_load(session, model, dicts)
        else:
            session.execute(insert_statement, dicts)
    elapsed = time.perf_counter() - start
    assert loaded_rows() == rows_count
    DbSession.dispose()
    return elapsed


def values_of(kind: str) -> Iterable[tuple[Any, ...]]:
    """The driver's tuples: made beforehand, or made from the dicts as they go."""
    return map(driver_values, dicts) if kind == "raw_from_dicts" else raw_rows


def through_the_driver(number: int, kind: str) -> float:
    target = database(number, kind)
    DbSession.dispose()
    gc.collect()
    if postgresql:
        start = time.perf_counter()
        # The connection commits when its block ends.
        with psycopg.connect(conninfo) as connection, connection.cursor() as cursor:
            if kind in {"raw", "raw_from_dicts"}:
                with cursor.copy(COPY) as copy:
                    for row in values_of(kind):
                        copy.write_row(row)
            else:
                cursor.executemany(INSERT.format(placeholders), raw_rows)
        elapsed = time.perf_counter() - start
    elif mariadb:
        start = time.perf_counter()
        connection = pymysql.connect(
            host=address.host,
            port=address.port or 3306,
            user=address.username,
            password=address.password,
            database=address.database,
            charset="utf8mb4",
            init_command=MARIADB_SESSION,
        )
        with connection.cursor() as cursor:
            cursor.executemany(INSERT.format(placeholders), values_of(kind))
        connection.commit()
        elapsed = time.perf_counter() - start
        connection.close()
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
        connection.executemany(INSERT.format(placeholders), values_of(kind))
        connection.execute("COMMIT")
        elapsed = time.perf_counter() - start
        connection.close()
    DbSession.global_init(target)
    assert loaded_rows() == rows_count
    DbSession.dispose()
    return elapsed


sides = {"bulk_load": through_db_session, "raw": through_the_driver}
sides["insert"] = through_db_session
sides["raw_from_dicts"] = through_the_driver
if postgresql:
    sides["executemany"] = through_the_driver
samples: dict[str, list[float]] = {name: [] for name in sides}
for number in range(repetitions + 1):  # the first round warms up
    names_in_turn = list(sides)
    shift = number % len(names_in_turn)
    for name in names_in_turn[shift:] + names_in_turn[:shift]:
        elapsed = sides[name](number, name)
        if number:
            samples[name].append(elapsed)
print(json.dumps({"samples": samples}))
