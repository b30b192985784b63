"""Worker of bench_scaling_out.py, run with a generated PostgreSQL project's
Python (its src/ on PYTHONPATH, DATABASE_URL and DATABASE_REPLICA_URLS in the
environment): `python scaling_out.py PACKAGE MODE PROCESSES THREADS UNITS`.

MODE "read": each thread runs UNITS read-only units of work (`DbSession.read_only()`,
a count and a page of notes). MODE "write": each thread runs UNITS units of work
(an insert and a count). PROCESSES processes (forked) of THREADS threads each;
prints JSON: the seconds from the first unit to the last, and the errors.
"""

import importlib
import json
import multiprocessing
import sys
import threading
import time

from sqlalchemy import func, select

package, mode = sys.argv[1], sys.argv[2]
processes, threads, units = (int(value) for value in sys.argv[3:6])
# Imported before forking: the processes start with the models loaded.
db = importlib.import_module(f"{package}.db_session").DbSession
note = importlib.import_module(f"{package}.models.note").Note


def run_process(number: int) -> list[str]:
    db.global_init()
    errors: list[str] = []
    page = select(note).order_by(note.id).limit(20)
    count = select(func.count()).select_from(note)

    def read() -> None:
        with db.read_only() as session:
            session.scalar(count)
            session.scalars(page).all()

    def write(tag: str) -> None:
        with db.unit_of_work() as session:
            session.add(note(title=tag))
            session.flush()
            session.scalar(count)

    def work(worker: int) -> None:
        for unit in range(units):
            try:
                if mode == "read":
                    read()
                else:
                    write(f"{number}-{worker}-{unit}")
            except Exception as error:  # counted, reported
                errors.append(f"{type(error).__name__}: {str(error)[:200]}")

    pool = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    db.dispose()
    return errors


if __name__ == "__main__":
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(processes) as workers:
        found = workers.map(run_process, range(processes))
    elapsed = time.perf_counter() - start
    errors = [error for errors in found for error in errors]
    print(
        json.dumps(
            {"seconds": elapsed, "errors": errors[:5], "error_count": len(errors)}
        )
    )
