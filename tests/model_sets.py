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

# SQLite only: the 100-model project shows the template scales.
SQLITE_MODEL_SETS: dict[str, dict[str, Any]] = {
    **MODEL_SETS,
    "hundred_models": {"models": many_models(100)},
    "int_keys_no_timestamps": KEY_VARIANTS["int_keys_no_timestamps"],
}

POSTGRESQL_MODEL_SETS: dict[str, dict[str, Any]] = {
    **MODEL_SETS,
    "uuid_keys": KEY_VARIANTS["uuid_keys"],
}

# Every set, for what is cheap to check for all of them (parsing, agreement).
ALL_MODEL_SETS: dict[str, dict[str, Any]] = {**SQLITE_MODEL_SETS, **KEY_VARIANTS}
