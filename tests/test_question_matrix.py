"""The question matrix: the projects whose own checks run (tests/model_sets.py)
meet every pair of answers to the questions besides `models`."""

from __future__ import annotations

import itertools

from tests.jinja_env import question_default
from tests.model_sets import (
    ALL_MODEL_SETS,
    POSTGRESQL_MODEL_SETS,
    QUESTION_MATRIX,
    SQLITE_MODEL_SETS,
)

ANSWERS = {
    "database": ["sqlite", "postgresql"],
    "session_api": ["sync", "async"],
    "primary_key": ["int", "bigint", "uuid"],
    "timestamps": [True, False],
}


def test_every_pair_of_answers_meets_in_some_project() -> None:
    questions = list(ANSWERS)
    missing = [
        ((first, a), (second, b))
        for first, second in itertools.combinations(questions, 2)
        for a in ANSWERS[first]
        for b in ANSWERS[second]
        if not any(
            row[questions.index(first)] == a and row[questions.index(second)] == b
            for row in QUESTION_MATRIX
        )
    ]

    assert missing == []
    assert len(QUESTION_MATRIX) == 9  # of 2 x 2 x 3 x 2 = 24 combinations


def test_each_matrix_project_is_generated_with_its_answers() -> None:
    for (database, *answers), name in QUESTION_MATRIX.items():
        data = ALL_MODEL_SETS[name]
        given = [
            data.get(question, question_default(question))
            for question in ("session_api", "primary_key", "timestamps")
        ]

        assert given == answers, name
        checked = SQLITE_MODEL_SETS if database == "sqlite" else POSTGRESQL_MODEL_SETS
        assert name in checked, name
