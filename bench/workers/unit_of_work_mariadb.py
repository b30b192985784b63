"""Worker of bench_unit_of_work.py's MariaDB side, run with a generated MariaDB
project's Python and its src/ on PYTHONPATH:
`python unit_of_work_mariadb.py PACKAGE URL UNITS REPETITIONS`.

Times UNITS one-row units of work (`with DbSession.unit_of_work() as s:
s.add(User(...))`) on MariaDB with the generated engine, against the same
statements through PyMySQL alone, interleaved, each repetition on an emptied
table (untimed):
- generated: the generated `DbSession.unit_of_work()`;
- raw: one PyMySQL connection with the generated engine's session settings,
  per unit the INSERT the ORM sends (recorded from the generated side's first
  unit, with its parameters) and a COMMIT;
- raw_ping: the same with a ping before each unit, as the generated engine's
  `pool_pre_ping` sends at each checkout (a diagnostic: the ping's share).
Prints JSON: the seconds of each repetition per case, and the statements one
generated unit of work sent.
"""

import datetime as dt
import gc
import importlib
import json
import sys
import time
from typing import Any

import pymysql
from sqlalchemy import event, text

package, url, units, repetitions = (
    sys.argv[1],
    sys.argv[2],
    int(sys.argv[3]),
    int(sys.argv[4]),
)
DbSession = importlib.import_module(f"{package}.db_session").DbSession
MARIADB_SESSION = importlib.import_module(f"{package}.engine").MARIADB_SESSION
address = importlib.import_module(f"{package}.database_url").resolve_database_url(url)
SqlAlchemyBase = importlib.import_module(f"{package}.models").SqlAlchemyBase
User = importlib.import_module(f"{package}.models.user").User
joined = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def user(i: int) -> Any:
    return User(email=f"u{i}@example.com", display_name=f"User {i}", joined_at=joined)


def empty_table() -> None:
    with DbSession.engine.connect() as connection:
        connection.execute(text(f"TRUNCATE TABLE {User.__tablename__}"))


DbSession.global_init(url)
SqlAlchemyBase.metadata.create_all(DbSession.engine)

# The statements one unit of work sends, to send the same ones raw.
sent: list[tuple[str, Any]] = []


@event.listens_for(DbSession.engine, "before_cursor_execute")
def _record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
    sent.append((statement, parameters))


with DbSession.unit_of_work() as session:
    session.add(user(-1))
event.remove(DbSession.engine, "before_cursor_execute", _record)
if len(sent) != 1 or not sent[0][0].startswith("INSERT"):
    raise SystemExit(f"expected one INSERT per unit of work, the ORM sent: {sent}")
INSERT, example = sent[0]
# The ORM's parameters (by name), but for the user's own values.
keys = {value: key for key, value in example.items() if isinstance(value, str)}
email, display_name = keys["u-1@example.com"], keys["User -1"]


def parameters(i: int) -> dict[str, Any]:
    return {**example, email: f"u{i}@example.com", display_name: f"User {i}"}


def generated() -> float:
    gc.collect()
    start = time.perf_counter()
    for i in range(units):
        with DbSession.unit_of_work() as session:
            session.add(user(i))
    return time.perf_counter() - start


def raw(ping: bool) -> float:
    connection = pymysql.connect(
        host=address.host,
        port=address.port or 3306,
        user=address.username,
        password=address.password,
        database=address.database,
        charset="utf8mb4",
        init_command=MARIADB_SESSION,
    )
    params = [parameters(i) for i in range(units)]
    gc.collect()
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for values in params:
            if ping:
                connection.ping(reconnect=False)
            cursor.execute(INSERT, values)
            connection.commit()
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed


cases = {
    "generated": generated,
    "raw": lambda: raw(ping=False),
    "raw_ping": lambda: raw(ping=True),
}
samples: dict[str, list[float]] = {name: [] for name in cases}
for number in range(repetitions + 1):  # the first round warms up
    shift = number % len(cases)
    names = list(cases)[shift:] + list(cases)[:shift]
    for name in names:
        empty_table()
        elapsed = cases[name]()
        if number:
            samples[name].append(elapsed)
DbSession.dispose()
print(json.dumps({"samples": samples, "statements": [s for s, _ in sent]}))
