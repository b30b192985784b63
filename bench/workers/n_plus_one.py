"""Worker of bench_n_plus_one.py, run with a generated SQLite project's Python
(its src/ on PYTHONPATH): `python n_plus_one.py PACKAGE FILE POSTS REPETITIONS`.

On the SQLite file FILE (the schema made by SqlAlchemyBase.metadata.create_all)
inserts POSTS posts, each by an author of its own, then lists every post with
its author's name three ways, each in a `DbSession.unit_of_work()` of its own,
interleaved (the order rotating): "lazy" (SQLAlchemy's default: the author loads
when read), "selectinload" (the generated README's way) and "joinedload".
Counts the SELECT statements each way sends (an event on the engine) and checks
every way reads the same names. Prints JSON: the seconds of each repetition per
way, and the queries of each way.
"""

import gc
import importlib
import json
import sys
import time
from typing import Any

from sqlalchemy import event, insert, select
from sqlalchemy.orm import joinedload, selectinload

package, path = sys.argv[1], sys.argv[2]
posts, repetitions = int(sys.argv[3]), int(sys.argv[4])
DbSession = importlib.import_module(f"{package}.db_session").DbSession
SqlAlchemyBase = importlib.import_module(f"{package}.models").SqlAlchemyBase
User = importlib.import_module(f"{package}.models.user").User
Post = importlib.import_module(f"{package}.models.post").Post

DbSession.global_init(path)
SqlAlchemyBase.metadata.create_all(DbSession.engine)
with DbSession.unit_of_work() as session:
    session.execute(insert(User), [{"name": f"author {n}"} for n in range(posts)])
    authors = session.scalars(select(User.id).order_by(User.id)).all()
    session.execute(
        insert(Post),
        [{"title": f"post {n}", "author_id": a} for n, a in enumerate(authors)],
    )

LISTINGS = {
    "lazy": select(Post),
    "selectinload": select(Post).options(selectinload(Post.author)),
    "joinedload": select(Post).options(joinedload(Post.author)),
}

queries = [0]


@event.listens_for(DbSession.engine, "before_cursor_execute", named=True)
def count(statement: str, **_: Any) -> None:
    if statement.lstrip().upper().startswith("SELECT"):
        queries[0] += 1


def run(way: str) -> tuple[float, int, list[str]]:
    queries[0] = 0
    start = time.perf_counter()
    with DbSession.unit_of_work() as session:
        names = [post.author.name for post in session.scalars(LISTINGS[way])]
    return time.perf_counter() - start, queries[0], names


ways = list(LISTINGS)
samples: dict[str, list[float]] = {way: [] for way in ways}
counts: dict[str, int] = {}
expected = sorted(f"author {n}" for n in range(posts))
for repetition in range(1 + repetitions):  # the first round warms up
    shift = repetition % len(ways)
    order = ways[shift:] + ways[:shift]
    if repetition % 2:
        order.reverse()
    for way in order:
        gc.collect()
        elapsed, sent, names = run(way)
        if sorted(names) != expected:
            raise SystemExit(f"{way} read other names than were written")
        counts[way] = sent
        if repetition:
            samples[way].append(elapsed)
DbSession.dispose()
print(json.dumps({"samples": samples, "queries": counts}))
