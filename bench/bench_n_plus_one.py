"""Issue 16: N+1. 1,000 posts listed with their authors (1,000 distinct users) on
a SQLite file, in the way the generated README documents
(`select(Post).options(selectinload(Post.author))`): at most 5 queries. Beside
it, interleaved in the same run, the two other ways: lazy loading (SQLAlchemy's
default in sync projects: a query per author read, 1,001 in all) and
`joinedload` (one query with a join); their times against the documented way's.

A SQLite project with `User: "name:str{80}"` and `Post: "title:str{200}
author:User"` is generated from a clone of this template; the worker
(workers/n_plus_one.py) counts the SELECT statements each way sends (an engine
event) and times each listing, in one process, on one database file in a
temporary folder (set BENCH_DB_DIR to choose it).
"""

from __future__ import annotations

import shutil

from _common import (
    Row,
    database_dir,
    median,
    note_project,
    run_benchmark,
    run_worker,
    scratch_dir,
)

POSTS = 1000
LIMIT = 5
POST_MODELS = {"User": "name:str{80}", "Post": "title:str{200} author:User"}


def measure(repetitions: int) -> list[Row]:
    work = scratch_dir("n-plus-one")
    databases = database_dir("n-plus-one")
    try:
        project, python = note_project(work, "posts-app", models=POST_MODELS)
        result = run_worker(
            python, project, "n_plus_one.py", "posts_app",
            str(databases / "posts.sqlite3"), str(POSTS), str(repetitions),
        )  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(databases, ignore_errors=True)
    times = {way: median(samples) for way, samples in result["samples"].items()}
    queries = result["queries"]
    documented = times["selectinload"]
    listing = f"{POSTS:,} posts with their {POSTS:,} distinct authors, SQLite file"
    return [
        Row("16c", f"{listing}: queries of the documented way", "selectinload",
            documented, f"lazy ({queries['lazy']:,} queries)", times["lazy"],
            queries["selectinload"], "queries", LIMIT, repetitions=repetitions),
        Row("diag", f"{listing}: time of lazy loading ({queries['lazy']:,} queries) "
            f"vs the documented way ({queries['selectinload']})", "lazy",
            times["lazy"], "selectinload", documented, times["lazy"] / documented,
            "x", None, repetitions=repetitions),
        Row("diag", f"{listing}: time of joinedload ({queries['joinedload']} "
            f"query) vs the documented way", "joinedload", times["joinedload"],
            "selectinload", documented, times["joinedload"] / documented, "x", None,
            repetitions=repetitions),
    ]  # fmt: skip


if __name__ == "__main__":
    run_benchmark(
        __doc__.splitlines()[0],
        "Issue 16c: N+1, listing posts with their authors",
        measure,
        repetitions=7,
    )
