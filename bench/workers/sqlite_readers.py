"""Worker of bench_sqlite_readers.py, run with a generated SQLite project's Python
(its src/ on PYTHONPATH): `python sqlite_readers.py PACKAGE FILE SECONDS READERS
REPETITIONS`.

On the SQLite file FILE (the schema made by SqlAlchemyBase.metadata.create_all),
one writer thread runs units of work that each hold the write lock for 10 ms
while READERS reader threads run one-query units of work for SECONDS; the
readers' units per second are counted. Readers use either `DbSession.read_only()`
("read_only") or `DbSession.unit_of_work()` ("unit_of_work", every unit of work
before read_only() existed); the two are interleaved, the order alternating.
Prints JSON: the reads per second of each repetition per case.
"""

import importlib
import json
import sys
import threading
import time

from sqlalchemy import func, select

package, path = sys.argv[1], sys.argv[2]
seconds, readers, repetitions = float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
DbSession = importlib.import_module(f"{package}.db_session").DbSession
SqlAlchemyBase = importlib.import_module(f"{package}.models").SqlAlchemyBase
Note = importlib.import_module(f"{package}.models.note").Note

DbSession.global_init(path)
SqlAlchemyBase.metadata.create_all(DbSession.engine)
count = select(func.count()).select_from(Note)


def run(reading: str) -> float:
    stop = threading.Event()
    reads = [0] * readers
    written = [0]

    def write() -> None:
        while not stop.is_set():
            with DbSession.unit_of_work() as session:
                session.add(Note(title=f"note {written[0]}"))
                session.flush()
                time.sleep(0.01)  # the rest of the writer's work, lock held
            written[0] += 1

    def read(number: int) -> None:
        unit = DbSession.read_only if reading == "read_only" else DbSession.unit_of_work
        while not stop.is_set():
            with unit() as session:
                session.scalar(count)
            reads[number] += 1

    threads = [threading.Thread(target=write)]
    threads += [threading.Thread(target=read, args=(n,)) for n in range(readers)]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return sum(reads) / seconds


samples: dict[str, list[float]] = {"read_only": [], "unit_of_work": []}
for repetition in range(repetitions):
    order = list(samples) if repetition % 2 == 0 else list(reversed(samples))
    for case in order:
        samples[case].append(run(case))
DbSession.dispose()
print(json.dumps({"samples": samples}))
