"""The in-process parser (tests/jinja_env.py) and a real `copier copy` agree on
the same answers: what the project is generated from is the document the fast
layer parses, and what Copier refuses is what the fast layer refuses. The computed
`schema` answer is not stored, so the project is read for what it shows of it:
its model modules, their classes and tables, and in the initial migration the
tables in creation order with their columns and the foreign keys added once the
tables exist."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any, TypeGuard

import pytest

from tests.jinja_env import answered, errors, parse
from tests.model_sets import MODEL_SETS
from tests.tooling import GenerateProject, copy_project

# Modules of the models package that are not model modules.
NOT_MODEL_MODULES = {"__init__", "__all_models", "column_types", "model_base"}

Observed = dict[str, Any]


def expected_from(document: dict[str, Any]) -> Observed:
    """What a project generated from the schema `document` must show of it."""
    by_name = {model["name"]: model for model in document["models"]}
    return {
        "models": {
            model["module"]: (model["name"], model["table"])
            for model in document["models"]
        },
        "tables": [
            (
                by_name[name]["table"],
                ["id", *[field["column"] for field in by_name[name]["fields"]]],
            )
            for name in document["creation_order"]
        ]
        + [
            (table["table"], [table["source_column"], table["target_column"]])
            for table in document["association_tables"]
        ],
        "deferred_foreign_keys": [
            (key["table"], key["column"], key["target_table"], key["ondelete"])
            for key in document["deferred_foreign_keys"]
        ],
    }


def observed_in(project: Path, package: str) -> Observed:
    """What the generated `project` shows of the schema it was rendered from."""
    models = {}
    for path in sorted((project / "src" / package / "models").glob("*.py")):
        if path.stem in NOT_MODEL_MODULES:
            continue
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ClassDef) and (table := table_name(node)):
                models[path.stem] = (node.name, table)
    (migration,) = (project / "migrations" / "versions").glob("0001_*.py")
    upgrade = next(
        node
        for node in ast.parse(migration.read_text()).body
        if isinstance(node, ast.FunctionDef) and node.name == "upgrade"
    )
    tables = [
        (
            string_argument(call),
            [
                string_argument(column)
                for column in call.args
                if is_call(column, "Column")
            ],
        )
        for call in ast.walk(upgrade)
        if is_call(call, "create_table")
    ]
    deferred = [
        (
            string_argument(block.items[0].context_expr),
            *ast.literal_eval(call.args[2]),
            ast.literal_eval(call.args[1]),
            keyword_argument(call, "ondelete"),
        )
        for block in ast.walk(upgrade)
        if isinstance(block, ast.With)
        and is_call(block.items[0].context_expr, "batch_alter_table")
        for call in ast.walk(block)
        if is_call(call, "create_foreign_key")
    ]
    return {"models": models, "tables": tables, "deferred_foreign_keys": deferred}


def table_name(node: ast.ClassDef) -> str | None:
    """The `__tablename__` a class body sets, if any."""
    for statement in node.body:
        if (
            isinstance(statement, ast.Assign)
            and isinstance(statement.value, ast.Constant)
            and any(
                isinstance(target, ast.Name) and target.id == "__tablename__"
                for target in statement.targets
            )
        ):
            return str(statement.value.value)
    return None


def is_call(node: ast.AST, attribute: str) -> TypeGuard[ast.Call]:
    """Whether `node` calls `<something>.<attribute>(...)`."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == attribute
    )


def string_argument(node: ast.AST) -> str:
    """The first argument of a call, a string literal."""
    assert isinstance(node, ast.Call)
    first = node.args[0]
    assert isinstance(first, ast.Constant)
    return str(first.value)


def keyword_argument(call: ast.Call, name: str) -> str:
    """A string literal keyword argument of a call, or "" where it is not given."""
    values = [
        ast.literal_eval(item.value) for item in call.keywords if item.arg == name
    ]
    return str(values[0]) if values else ""


@pytest.mark.parametrize(
    ("model_set", "database"),
    [("defaults", "sqlite"), ("mixed", "postgresql"), ("regressions", "sqlite")],
    ids=["sqlite-defaults", "postgresql-mixed", "sqlite-regressions"],
)
def test_copier_generates_the_project_the_parser_describes(
    generate: GenerateProject, model_set: str, database: str
) -> None:
    answers = {**MODEL_SETS[model_set], "database": database}
    prefix = "pg" if database == "postgresql" else "sqlite"

    # The projects the generated-project tests build, made once per session.
    project = generate(f"{prefix}_{model_set}", answers)

    observed = observed_in(project.root, project.package)
    assert observed == expected_from(parse(*answered(answers)))


@pytest.mark.parametrize(
    "answers",
    [
        {"models": {"User": "email:strr", "order": "", "Order": "buyer:Nobody"}},
        {"models": {"Egg": "hen:Hen", "Hen": "egg:Egg"}},
        {"database": "postgresql", "models": {"Price": "amount:decimal{1001,2}"}},
    ],
    ids=["three problems", "required cycle", "postgresql decimal"],
)
def test_copier_refuses_an_answer_with_the_lines_of_the_parser(
    template: Path, tmp_path: Path, answers: dict[str, Any]
) -> None:
    with pytest.raises(
        ValueError, match="Validation error for question 'models'"
    ) as error:
        copy_project(template, tmp_path / "app", {"project_name": "App", **answers})

    _, message = str(error.value).split(": ", 1)
    assert message.splitlines() == errors(*answered(answers))
