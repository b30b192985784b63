"""The `models` answers the generated-project tests run on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data"


def load(name: str) -> dict[str, Any]:
    return yaml.safe_load((DATA / f"{name}.yml").read_text())


def many_models(count: int) -> dict[str, str]:
    """`count` models in a chain of references, each with a few scalar fields."""
    models = {}
    for number in range(count):
        fields = "name:str{80}:unique total:decimal{10,2} seen_at:datetime? note:text?"
        if number:
            fields += f" previous:Item{number - 1:03d}?:setnull"
        models[f"Item{number:03d}"] = fields
    return models


# name -> answers passed with --data (besides the project name).
MODEL_SETS: dict[str, dict[str, Any]] = {
    "defaults": {},
    "one_model_list": {"models": ["Note"]},
    "every_scalar": load("every_scalar"),
    "mixed": load("mixed"),
    "regressions": load("regressions"),
    "blog_shop": load("blog_shop"),
}

# The other answers to the primary_key and timestamps questions (the sets above
# take the defaults: bigint keys, timestamps), each on one database.
KEY_VARIANTS: dict[str, dict[str, Any]] = {
    # What projects made before those questions are.
    "int_keys_no_timestamps": {
        **load("blog_shop"),
        "primary_key": "int",
        "timestamps": False,
    },
    "uuid_keys": {**load("blog_shop"), "primary_key": "uuid"},
}

# The questions besides `models`, pairwise: any two answers to any two of
# database x session_api x primary_key x timestamps meet in some project (9 of
# the 24 combinations), each project with every construct of the language.
# (database, session_api, primary_key, timestamps) -> set name.
QUESTION_MATRIX: dict[tuple[str, str, str, bool], str] = {
    ("sqlite", "sync", "bigint", True): "blog_shop",
    ("sqlite", "sync", "int", False): "int_keys_no_timestamps",
    ("sqlite", "async", "bigint", True): "async_blog_shop",
    ("sqlite", "async", "uuid", False): "async_uuid_keys_no_timestamps",
    ("postgresql", "sync", "bigint", True): "blog_shop",
    ("postgresql", "sync", "uuid", True): "uuid_keys",
    ("postgresql", "sync", "bigint", False): "no_timestamps",
    ("postgresql", "async", "bigint", True): "async_blog_shop",
    ("postgresql", "async", "int", True): "async_int_keys",
}

FLAVOURED_SETS: dict[str, dict[str, Any]] = {
    **KEY_VARIANTS,
    "no_timestamps": {**load("blog_shop"), "timestamps": False},
    "async_blog_shop": {**load("blog_shop"), "session_api": "async"},
    "async_uuid_keys_no_timestamps": {
        **load("blog_shop"),
        "session_api": "async",
        "primary_key": "uuid",
        "timestamps": False,
    },
    "async_int_keys": {
        **load("blog_shop"),
        "session_api": "async",
        "primary_key": "int",
    },
}


def matrix_sets(database: str) -> dict[str, dict[str, Any]]:
    """The sets of the question matrix's projects on `database`."""
    names = [name for row, name in QUESTION_MATRIX.items() if row[0] == database]
    return {name: {**MODEL_SETS, **FLAVOURED_SETS}[name] for name in names}


# SQLite only: the 100-model project shows the template scales (DEEP=1).
SQLITE_MODEL_SETS: dict[str, dict[str, Any]] = {
    **MODEL_SETS,
    "hundred_models": {"models": many_models(100)},
    **matrix_sets("sqlite"),
}

POSTGRESQL_MODEL_SETS: dict[str, dict[str, Any]] = {
    **MODEL_SETS,
    **matrix_sets("postgresql"),
}

# MariaDB: every construct in both flavours, and what once broke; the other
# answers to the questions are PostgreSQL's and SQLite's to cover.
MARIADB_MODEL_SETS: dict[str, dict[str, Any]] = {
    "blog_shop": MODEL_SETS["blog_shop"],
    "regressions": MODEL_SETS["regressions"],
    "async_blog_shop": FLAVOURED_SETS["async_blog_shop"],
}

# The other key and timestamps answers on MariaDB, a deep run's (the default run
# has them on SQLite and PostgreSQL).
MARIADB_DEEP_SETS: dict[str, dict[str, Any]] = {
    name: FLAVOURED_SETS[name]
    for name in ("int_keys_no_timestamps", "async_uuid_keys_no_timestamps")
}

# Every set, for what is cheap to check for all of them (parsing, agreement).
ALL_MODEL_SETS: dict[str, dict[str, Any]] = {**SQLITE_MODEL_SETS, **FLAVOURED_SETS}
