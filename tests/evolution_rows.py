"""The rows the evolution matrix walks over, and how it looks at them.

Before each step the project's own models (still those of the previous step, so
they match the database) fill every empty table with ROWS_PER_TABLE rows, through
plain SQLAlchemy inserts in the project's interpreter. A column's values are
ROW_VALUES[column] when named there (chosen for the bounds and lengths the next
change must keep, every enum value in use, NULLs where nullable), a reference's
are the ids of the rows it can point to, anything else a plain value of its
type. Snapshots of every table (association tables too) are read by reflection,
so they work whether the models are ahead of the database or not.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

ROWS_PER_TABLE = 3

UUIDS = [f"{n:08x}-0000-4000-8000-{n:012x}" for n in range(1, 10)]

# Values in JSON form (the script converts them to the column's Python type);
# one per row.
ROW_VALUES: dict[str, list[Any]] = {
    # `str` is VARCHAR(255).
    "name": ["", "a" * 255, "Ann"],
    "title": ["", "t" * 255, "title"],
    # Longer than the 40 characters of the `change` step: refused, then cut.
    "label": ["x" * 60, "", "l"],
    "name80": ["n" * 80, "", "m"],
    "body": ["b" * 500, "", "c"],
    "count": [-2147483648, 0, 2147483647],
    # bigint -> int: in the int range (see the report of issue 23).
    "total": [-2147483648, 0, 2147483647],
    "ratio": [0.5, -12345678.25, 0],
    "amount": ["12345678.99", "0", "-1.5"],
    "price": ["99999999.99", "-99999999.99", "0"],
    "flag": [True, False, True],
    "day": ["1970-01-01", "2024-02-29", "9999-12-31"],
    # NULL where the `change` step makes it required: refused, then filled.
    "seen_at": [None, "2024-01-01T12:30:15.123456", "9999-12-31T23:59:59"],
    "clock": ["00:00:00", "12:30:15.000500", "23:59:59.999999"],
    "token": UUIDS[0:3],
    "doc": [{}, [1, "a", None], {"k": {"n": 1}}],
    "blob": ["", "00ff", "78" * 100],
    "level": ["low", "mid", "high"],
    # "sad" is removed by the `change` step: refused, then filled.
    "mood": ["sad", "calm", "glad"],
    "phase": ["draft", "live", "draft"],
    "stage": ["todo", "done", "todo"],
    "note": [None, "", "n"],
    "code": ["c" * 20, "", "c"],
    "slug": ["s" * 20, "", "s"],
    "sku": ["k" * 20, "", "k"],
    "rank": [1, 2, 3],
    "active": [True, False, True],
    "stock": [0, -1, 1],
    "fee": ["999999.99", "1.50", "0"],
    "weight": [0.5, -1.0, 1e300],
    "tier": ["basic", "t" * 20, ""],
    "state": ["new", "old", "new"],
    "opened": ["2000-01-01T00:00:00", "2024-06-30T23:59:59.999999", "1999-12-31"],
    "meta": [{}, [], {"a": 1}],
    "ident": UUIDS[3:6],
    # Within both the before (min=0) and the after (min=1, max=100) checks.
    "qty": [1, 100, 50],
    "score": [10.0, -1.5, 0.0],
    "nick": ["ab", "n" * 30, "nic"],
    # Required by the `change` step: NULL in the first row, refused, then filled.
    "helper_id": [None, 2, 3],
}

# Run in the project's interpreter: fill every empty table of the models (but
# those in argv[2]) with rows.
SEED = """
import datetime as dt, json, os, sys, uuid
from decimal import Decimal
from sqlalchemy import create_engine, func, select
from {package}.models import SqlAlchemyBase
from {package}.models import __all_models

values, skipped = json.loads(sys.argv[1]), set(json.loads(sys.argv[2]))
rows_per_table = {rows}


def python_type(column):
    # A TypeDecorator (UTCDateTime) leaves python_type to its implementation.
    try:
        return getattr(column.type, "impl_instance", column.type).python_type
    except NotImplementedError:
        return None


def converted(column, value):
    kind = python_type(column)
    if value is None or kind is None:
        return value
    if kind is dt.datetime:
        moment = dt.datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    if kind in (dt.date, dt.time):
        return kind.fromisoformat(value)
    if kind is uuid.UUID:
        return uuid.UUID(value)
    if kind is bytes:
        return bytes.fromhex(value)
    if kind is Decimal:
        return Decimal(str(value))
    return value


def plain(column, number):
    return {{
        str: f"v{{number}}", int: number, float: number + 0.5, bool: number % 2 == 0,
        Decimal: Decimal(number), dt.date: dt.date(2000, 1, 1 + number),
        dt.datetime: dt.datetime(2000, 1, 1 + number, tzinfo=dt.UTC),
        dt.time: dt.time(number), uuid.UUID: uuid.UUID(int=number + 100),
        bytes: bytes([number]), dict: {{"row": number}}, list: [number],
        None: {{"row": number}},
    }}[python_type(column)]


engine = create_engine(os.environ["DATABASE_URL"])
with engine.begin() as connection:
    filled = {{
        table.name
        for table in SqlAlchemyBase.metadata.sorted_tables
        if connection.scalar(select(func.count()).select_from(table))
    }}
    for table in SqlAlchemyBase.metadata.sorted_tables:
        if table.name in filled or table.name in skipped:
            continue
        for number in range(rows_per_table):
            row = {{}}
            for column in table.columns:
                targets = {{key.column.table.name for key in column.foreign_keys}}
                if column.name in values:
                    row[column.name] = converted(column, values[column.name][number])
                elif column.foreign_keys and (column.nullable or column.primary_key):
                    # A nullable reference is NULL in the first row, and while
                    # the table it refers to has no rows yet (a cycle).
                    reachable = targets <= filled | {{table.name}}
                    keep = column.primary_key or (number and reachable)
                    row[column.name] = number + 1 if keep else None
                elif column.foreign_keys or column.primary_key:
                    row[column.name] = number + 1
                elif column.default is None and column.server_default is None:
                    row[column.name] = None if column.nullable and not number else plain(column, number)
            connection.execute(table.insert().values(row))
        filled.add(table.name)
engine.dispose()
"""

# Run in the project's interpreter: every table's rows by primary key, each
# column's value as the driver reads it, as text (a value a type could not read
# back shows as it is stored), as JSON; with argv[1] == "load", also what the
# ORM loads of each model: the number of rows, or the error.
SNAPSHOT = """
import json, os, sys
from sqlalchemy import MetaData, create_engine, select
from sqlalchemy.orm import Session
engine = create_engine(os.environ["DATABASE_URL"])
metadata = MetaData()


def rows(connection, table):
    quoted = engine.dialect.identifier_preparer.quote
    keys = [column.name for column in table.primary_key.columns]
    result = connection.exec_driver_sql(f"SELECT * FROM {{quoted(table.name)}}")
    for row in result.mappings():
        yield "|".join(str(row[key]) for key in keys), {{
            column: None if value is None else str(value)
            for column, value in row.items()
        }}


with engine.connect() as connection:
    metadata.reflect(connection)
    tables = {{
        table.name: dict(rows(connection, table))
        for table in metadata.sorted_tables
        if table.name != "alembic_version"
    }}
loaded = {{}}
if sys.argv[1:] == ["load"]:
    from {package}.models import SqlAlchemyBase
    from {package}.models import __all_models
    with Session(engine) as session:
        for mapper in SqlAlchemyBase.registry.mappers:
            try:
                count = len(session.scalars(select(mapper.class_)).all())
            except Exception as error:
                count = repr(error)
            loaded[mapper.local_table.name] = count
engine.dispose()
print(json.dumps({{"tables": tables, "loaded": loaded}}))
"""

Snapshot = dict[str, dict[str, dict[str, str | None]]]


def seed_script(package: str) -> str:
    return SEED.format(package=package, rows=ROWS_PER_TABLE)


def snapshot_script(package: str) -> str:
    return SNAPSHOT.format(package=package)


def seed_arguments(skipped: set[str]) -> list[str]:
    return [json.dumps(ROW_VALUES), json.dumps(sorted(skipped))]


Renames = tuple[dict[str, str], dict[tuple[str, str], str]]


def renamed(snapshot: Snapshot, renames: Renames) -> Snapshot:
    """`snapshot` with the tables and columns a step renames (tests/evolution_steps.py's
    RENAMES) under their new names."""
    tables, columns = renames
    return {
        (new := tables.get(table, table)): {
            key: {
                columns.get((new, column), column): value
                for column, value in row.items()
            }
            for key, row in rows.items()
        }
        for table, rows in snapshot.items()
    }


def same(before: str | None, after: str | None) -> bool:
    """Whether a value reads the same after a change of its column's type: a
    number at another scale, a date as a datetime at midnight."""
    if before == after or before is None or after is None:
        return before == after
    try:
        return Decimal(before) == Decimal(after)
    except InvalidOperation:
        pass
    shorter, longer = sorted((before, after), key=len)
    return longer.startswith(shorter + " 00:00:00")


def differences(
    before: Snapshot, after: Snapshot, expected: dict[tuple[str, str, str], str]
) -> list[str]:
    """What changed from `before` to `after` in the tables and columns both
    hold, but the values `expected` ((table, row key, column) -> value)."""
    found = []
    for table in sorted(before.keys() & after.keys()):
        rows, kept = before[table], after[table]
        if rows.keys() != kept.keys():
            found.append(f"{table}: rows {sorted(rows)} became {sorted(kept)}")
            continue
        for key, row in rows.items():
            for column in sorted(row.keys() & kept[key].keys()):
                value, now = row[column], kept[key][column]
                wanted = expected.get((table, key, column))
                if wanted is not None:
                    if now is None or not now.startswith(wanted):
                        found.append(
                            f"{table}[{key}].{column}: {now!r}, not {wanted!r}"
                        )
                elif not same(value, now):
                    found.append(f"{table}[{key}].{column}: {value!r} -> {now!r}")
    return found
