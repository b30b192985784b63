"""Worker of bench_pre_ping.py, run with a generated PostgreSQL project's Python
(its src/ on PYTHONPATH): `python pre_ping.py PACKAGE URL UNITS REPETITIONS`.

Times UNITS one-row units of work (insert a Note, commit) in one thread through
two engines, interleaved: the generated `build_engine` (pool_pre_ping on: one
extra round trip per checkout) and the same engine settings with pool_pre_ping
off. Prints JSON: the seconds of each repetition per case.
"""

import gc
import importlib
import json
import sys
import time

from sqlalchemy import create_engine, delete, make_url
from sqlalchemy.orm import sessionmaker

package, url = sys.argv[1], sys.argv[2]
units, repetitions = int(sys.argv[3]), int(sys.argv[4])
build_engine = importlib.import_module(f"{package}.engine").build_engine
Note = importlib.import_module(f"{package}.models.note").Note

engines = {
    "pre_ping": build_engine(make_url(url)),
    "no_pre_ping": create_engine(url, pool_size=5, max_overflow=10),
}
factories = {name: sessionmaker(engine) for name, engine in engines.items()}


def run(name: str) -> float:
    factory = factories[name]
    start = time.perf_counter()
    for number in range(units):
        with factory.begin() as session:
            session.add(Note(title=f"note {number}"))
    elapsed = time.perf_counter() - start
    with factory.begin() as session:
        session.execute(delete(Note))
    return elapsed


samples: dict[str, list[float]] = {name: [] for name in engines}
for repetition in range(1 + repetitions):  # the first round warms up
    order = list(engines) if repetition % 2 == 0 else list(reversed(engines))
    for name in order:
        gc.collect()
        elapsed = run(name)
        if repetition:
            samples[name].append(elapsed)
for engine in engines.values():
    engine.dispose()
print(json.dumps({"samples": samples}))
