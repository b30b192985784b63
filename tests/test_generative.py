"""Generated answers: any answer the validator accepts gives a project that passes
all of its own checks, on SQLite, PostgreSQL and MariaDB; any invalid answer is
refused cleanly; and how the models were typed never changes the output.

The answers are drawn by Hypothesis (tests/strategies.py), many models to an
answer. Budget and seed come from the environment:

    GENERATIVE_EXAMPLES  projects drawn per database (default 1); a deep run
                         sets it higher, e.g. GENERATIVE_EXAMPLES=20
    GENERATIVE_SEED      the seed (default: a new one each run, always printed)
    GENERATIVE_SHRINK    1 to let Hypothesis shrink a failing answer (each step
                         generates and checks a project again, 5 minutes at most)

Each drawn project is a test of its own, drawn from a seed of its own (derived
from GENERATIVE_SEED), so that one failure hides no other. A failure prints the
answers as a --data-file and the command that draws them again.
"""

from __future__ import annotations

import itertools
import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, note, seed, settings
from hypothesis import strategies as st

from tests.jinja_env import errors
from tests.mariadb_server import MariaDBServer
from tests.postgres_server import PostgresServer
from tests.strategies import (
    InvalidAnswer,
    invalid_answers,
    models_answers,
    package_of,
    project_names,
    question_answers,
)
from tests.tooling import Project, copy_project, tree

# One project per database by default: each run draws a fresh seed, so the runs
# together cover what one run cannot afford.
EXAMPLES = int(os.environ.get("GENERATIVE_EXAMPLES") or 1)
INVALID_EXAMPLES = max(30, 10 * EXAMPLES)
TYPINGS_EXAMPLES = max(2, EXAMPLES // 2)
# Answers checked against the validator in-process, a few milliseconds each.
VALIDATED_EXAMPLES = max(100, 50 * EXAMPLES)
SEED = int(os.environ.get("GENERATIVE_SEED") or secrets.randbelow(2**32))
SHRINK = os.environ.get("GENERATIVE_SHRINK") == "1"

BUDGET = (
    f"GENERATIVE_SEED={SEED} GENERATIVE_EXAMPLES={EXAMPLES}: {EXAMPLES} drawn "
    f"project(s) per database, {INVALID_EXAMPLES} invalid answers, "
    f"{TYPINGS_EXAMPLES} pairs of typings"
)

# A drawn project is expensive: one example per seed (Hypothesis would otherwise
# spend the budget on variations of the first few), no deadline, no example
# database, and shrinking only on request, since each step is a project again.
ONE_PROJECT = settings(
    max_examples=1,
    deadline=None,
    database=None,
    print_blob=True,
    phases=[Phase.explicit, Phase.generate, *([Phase.shrink] if SHRINK else [])],
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.large_base_example,
    ],
)
# Refusals and copies without checks are cheap: many examples, full shrinking.
# (`request`, the one function-scoped fixture they take, is the same for all.)
CHEAP = settings(
    ONE_PROJECT,
    max_examples=INVALID_EXAMPLES,
    phases=list(Phase),
    suppress_health_check=[
        *ONE_PROJECT.suppress_health_check,
        HealthCheck.function_scoped_fixture,
    ],
)

DATABASES = ["sqlite", "postgresql", "mariadb"]
SERVER_MARKS = {
    "sqlite": [],
    "postgresql": [pytest.mark.postgresql],
    "mariadb": [pytest.mark.mariadb],
}
DRAWS = [
    pytest.param(
        database, number, id=f"{database}-{number}", marks=SERVER_MARKS[database]
    )
    for database in DATABASES
    for number in range(EXAMPLES)
]

ALEMBIC_ROUND_TRIP = ["upgrade head", "check", "downgrade base", "upgrade head"]

_database_numbers = itertools.count()


@pytest.fixture(scope="module", autouse=True)
def announce_budget(request: pytest.FixtureRequest) -> None:
    """Print the seed and the budget before the first drawn example, `-s` or not."""
    plugins = request.config.pluginmanager
    reporter = plugins.get_plugin("terminalreporter")
    capture = plugins.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\ngenerative tests: {BUDGET}")


def as_data_file(answers: dict[str, Any]) -> str:
    """The answers as YAML for `copier copy --data-file`."""
    return yaml.safe_dump(answers, sort_keys=False, width=10_000, allow_unicode=True)


def reproduction(answers: dict[str, Any], test: str) -> str:
    """How to draw `answers` again: the seed and budget for `test` (a test of
    this file, by name), or the answers themselves for copier."""
    return (
        f"Drawn with GENERATIVE_SEED={SEED} GENERATIVE_EXAMPLES={EXAMPLES}; again:\n"
        f"    GENERATIVE_SEED={SEED} GENERATIVE_EXAMPLES={EXAMPLES} "
        f"uv run pytest 'tests/test_generative.py::{test}'\n"
        "or by hand, with these answers in answers.yml:\n"
        "    copier copy --vcs-ref HEAD --defaults --data-file answers.yml . ../drawn\n"
        f"--- answers.yml\n{as_data_file(answers)}"
    )


def excerpt(output: str, head: int = 15, tail: int = 15) -> str:
    """The start of a long output (the first error) and its end (the summary)."""
    lines = output.splitlines()
    if len(lines) <= head + tail:
        return output
    skipped = len(lines) - head - tail
    return "\n".join([*lines[:head], f"[... {skipped} lines ...]", *lines[-tail:]])


class Checks:
    """Runs a generated project's commands, collecting every failure."""

    def __init__(self, project: Project, logs: Path) -> None:
        self.project = project
        self.logs = logs
        self.failures: list[str] = []

    def run(self, name: str, *command: str, env: dict[str, str] | None = None) -> bool:
        result = self.project.run(*command, env=env, check=False)
        if result.returncode == 0:
            return True
        output = f"{result.stdout}\n{result.stderr}".strip()
        self.logs.mkdir(parents=True, exist_ok=True)
        log = self.logs / f"{len(self.failures) + 1}-{name.replace(' ', '-')}.log"
        log.write_text(f"$ {' '.join(command)}\n{output}\n")
        self.failures.append(
            f"--- {name} (exit {result.returncode}; full output in {log})\n"
            f"{excerpt(output)}"
        )
        return False


def run_project_checks(
    project: Project,
    logs: Path,
    mypy_cache: Path,
    new_database: Callable[[str], str],
) -> list[str]:
    """The project's own pytest, the Alembic round trip on an empty database, the
    app itself, ruff and mypy; returns what failed (all of it, not the first)."""
    checks = Checks(project, logs)
    test_settings = {}
    if project.database != "sqlite":
        test_settings["TEST_DATABASE_URL"] = new_database("test")
    # One line per failure, wide enough to keep the error's message.
    checks.run(
        "pytest", "pytest", "-q", "--tb=line", "-p", "no:cacheprovider",
        env={**test_settings, "COLUMNS": "240"},
    )  # fmt: skip

    app_settings = {"DATABASE_URL": new_database("app")}
    for step in ALEMBIC_ROUND_TRIP:
        if not checks.run(
            f"alembic {step}", "alembic", *step.split(), env=app_settings
        ):
            break
    else:
        checks.run("the app", "python", "-m", project.package, env=app_settings)

    checks.run("ruff check", "ruff", "check", "--no-cache")
    checks.run("ruff format", "ruff", "format", "--check", "--no-cache")
    checks.run("mypy", "mypy", "--cache-dir", str(mypy_cache))
    return checks.failures


@pytest.fixture
def new_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str, str], str]:
    """Makes empty databases: `new_database(database, purpose)` returns a URL."""

    def make(database: str, purpose: str) -> str:
        if database == "sqlite":
            folder = tmp_path_factory.mktemp(f"drawn-{purpose}")
            return f"sqlite:///{folder / 'app.sqlite3'}"
        fixture = "postgres" if database == "postgresql" else "mariadb"
        server: PostgresServer | MariaDBServer = request.getfixturevalue(fixture)
        return server.create_database(f"drawn_{purpose}_{next(_database_numbers)}")

    return make


@pytest.mark.parametrize(("database", "number"), DRAWS)
def test_a_drawn_answer_generates_a_project_that_passes_all_its_checks(
    request: pytest.FixtureRequest,
    database: str,
    number: int,
    template: Path,
    environment_for: Callable[[Path], Path],
    mypy_cache: Path,
    tmp_path_factory: pytest.TempPathFactory,
    new_database: Callable[[str, str], str],
) -> None:
    test_id = f"{database}-{number}"
    logs = tmp_path_factory.getbasetemp() / "generative-failures" / test_id

    @seed(SEED + len(DATABASES) * number + DATABASES.index(database))
    @ONE_PROJECT
    @given(
        project_name=project_names(),
        models=models_answers(database),
        questions=question_answers(),
    )
    def check(
        project_name: str,
        models: dict[str, str] | list[str],
        questions: dict[str, Any],
    ) -> None:
        answers = {
            "project_name": project_name,
            "database": database,
            **questions,
            "models": models,
        }
        drawn = reproduction(answers, request.node.name)
        note(drawn)
        root = tmp_path_factory.mktemp(f"drawn-{test_id}") / "project"
        try:
            copy_project(template, root, answers)
        except ValueError as refusal:
            pytest.fail(
                f"A valid answer was refused:\n{refusal}\n{drawn}", pytrace=False
            )
        project = Project(
            root, environment_for(root), package_of(project_name), database
        )
        try:
            failures = run_project_checks(
                project,
                logs,
                mypy_cache,
                lambda purpose: new_database(database, purpose),
            )
        finally:
            shutil.rmtree(root.parent, ignore_errors=True)
        if failures:
            pytest.fail(
                f"The drawn {database} project fails {len(failures)} of its checks.\n"
                + "\n".join(failures)
                + f"\n{drawn}",
                pytrace=False,
            )

    check()


@seed(SEED)
@CHEAP
@given(bad=invalid_answers())
def test_a_drawn_invalid_answer_is_refused_naming_the_mistake(
    request: pytest.FixtureRequest,
    template: Path,
    tmp_path_factory: pytest.TempPathFactory,
    bad: InvalidAnswer,
) -> None:
    note(f"mistake: {bad.mistake}; the refusal must contain {bad.expected}")
    note(reproduction(bad.answers, request.node.name))
    destination = tmp_path_factory.mktemp("refused") / "project"

    with pytest.raises(ValueError, match="Validation error") as refusal:
        copy_project(template, destination, bad.answers)

    message = str(refusal.value)
    for text in bad.expected:
        assert text in message, f"{text!r} is not in the refusal:\n{message}"
    assert not destination.exists() or not any(destination.iterdir())


@seed(SEED)
@settings(CHEAP, max_examples=TYPINGS_EXAMPLES)
@given(database=st.sampled_from(DATABASES), data=st.data())
def test_two_typings_of_the_same_models_give_identical_projects(
    request: pytest.FixtureRequest,
    template: Path,
    tmp_path_factory: pytest.TempPathFactory,
    database: str,
    data: Any,
) -> None:
    models = data.draw(models_answers(database).filter(lambda m: isinstance(m, dict)))
    order = data.draw(st.permutations(list(models)))
    if order == list(models):
        order.reverse()
    retyped = {name: models[name] for name in order}
    answers = {"project_name": "Typed Twice", "database": database}
    note(reproduction({**answers, "models": models}, request.node.name))

    outputs = []
    for typing in (models, retyped):
        root = tmp_path_factory.mktemp("typed") / "typed-twice"
        outputs.append(
            tree(copy_project(template, root, {**answers, "models": typing}))
        )
        shutil.rmtree(root.parent)

    first, second = outputs
    assert sorted(first) == sorted(second)
    differing = [path for path in first if first[path] != second[path]]
    assert not differing, f"the order the models were typed in changes {differing}"


@seed(SEED)
@settings(CHEAP, max_examples=VALIDATED_EXAMPLES)
@given(database=st.sampled_from(DATABASES), data=st.data())
def test_the_validator_accepts_every_drawn_answer(database: str, data: Any) -> None:
    """In-process, many answers: a drawn answer the validator refuses is a
    strategy that disagrees with the language (seed 1439774360 drew a unique
    bare decimal whose bounds held ten values in hundredths, where the
    validator counts a bare decimal's values in whole steps)."""
    models = data.draw(models_answers(database))
    questions = data.draw(question_answers())

    key, timestamps = questions["primary_key"], questions["timestamps"]

    assert errors(models, database, key, timestamps) == []
