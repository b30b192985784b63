"""What `copier copy` writes: complete, deterministic, free of template leftovers."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.model_sets import MODEL_SETS
from tests.tooling import copy_project, git, tree

JINJA_LEFTOVER = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")


def test_defaults_generate_the_contract_layout(template: Path, tmp_path: Path) -> None:
    project = copy_project(
        template, tmp_path / "chat-app", {"project_name": "Chat App"}
    )

    for relative in [
        ".copier-answers.yml",
        "alembic.ini",
        "migrations/env.py",
        "src/chat_app/bulk.py",
        "src/chat_app/db_session.py",
        "src/chat_app/migration_rules/__init__.py",
        "src/chat_app/models/__init__.py",
        "src/chat_app/models/__all_models.py",
        "src/chat_app/models/user.py",
        "src/chat_app/models/post.py",
        "tests/conftest.py",
    ]:
        assert (project / relative).is_file(), relative


def test_the_project_name_defaults_to_the_destination_folder(
    template: Path, tmp_path: Path
) -> None:
    project = copy_project(template, tmp_path / "order-desk", {})

    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["project_name"] == "Order Desk"
    assert answers["project_slug"] == "order-desk"
    assert answers["package_name"] == "order_desk"


def test_the_answers_file_records_the_answers_but_not_the_computed_schema(
    template: Path, tmp_path: Path
) -> None:
    project = copy_project(template, tmp_path / "app", {"models": ["Note"]})

    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["models"] == ["Note"]
    assert answers["database"] == "sqlite"
    assert "schema" not in answers


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_no_jinja_is_left_in_any_file(
    template: Path, tmp_path: Path, database: str
) -> None:
    project = copy_project(
        template, tmp_path / "app", {"database": database, **MODEL_SETS["mixed"]}
    )

    leftovers = {
        name: JINJA_LEFTOVER.findall(content.decode())
        for name, content in tree(project).items()
        if JINJA_LEFTOVER.search(content.decode())
    }
    assert leftovers == {}
    assert not [p for p in project.rglob("*") if ".jinja" in p.name]


def test_the_same_answers_give_byte_identical_output(
    template: Path, tmp_path: Path
) -> None:
    first = copy_project(template, tmp_path / "one" / "app", MODEL_SETS["mixed"])
    second = copy_project(template, tmp_path / "two" / "app", MODEL_SETS["mixed"])

    assert tree(first) == tree(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param(
            {"User": "email:str", "Order": "buyer:User", "Address": "user:User"},
            {"Address": "user:User", "User": "email:str", "Order": "buyer:User"},
            id="mapping",
        ),
        pytest.param(
            ["Zebra", "Apple", "Mango"], ["Mango", "Zebra", "Apple"], id="list"
        ),
    ],
)
def test_the_order_models_are_typed_in_does_not_change_any_generated_file(
    template: Path, tmp_path: Path, first: object, second: object
) -> None:
    one = copy_project(template, tmp_path / "one" / "app", {"models": first})
    two = copy_project(template, tmp_path / "two" / "app", {"models": second})

    one_files, two_files = tree(one), tree(two)
    one_files.pop(".copier-answers.yml")
    two_files.pop(".copier-answers.yml")
    assert one_files == two_files


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_every_generated_yaml_file_parses(
    template: Path, tmp_path: Path, database: str
) -> None:
    project = copy_project(template, tmp_path / "app", {"database": database})

    yaml_files = [p for p in project.rglob("*") if p.suffix in {".yml", ".yaml"}]

    assert (project / ".github/workflows/ci.yml") in yaml_files
    assert ((project / "compose.yaml") in yaml_files) == (database == "postgresql")
    for path in yaml_files:
        assert yaml.safe_load(path.read_text()) is not None, path


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_ci_installs_exactly_what_the_lock_says(
    template: Path, tmp_path: Path, database: str
) -> None:
    project = copy_project(template, tmp_path / "app", {"database": database})
    workflow = yaml.safe_load((project / ".github/workflows/ci.yml").read_text())
    commands = [step.get("run", "") for step in workflow["jobs"]["check"]["steps"]]
    git(project, "init", "--quiet")

    assert "uv sync --locked" in commands
    ignored = subprocess.run(
        ["git", "check-ignore", "--quiet", "uv.lock"], cwd=project, check=False
    )
    assert ignored.returncode == 1, "uv.lock is ignored: CI could not install from it"


def test_every_compose_image_names_its_version(template: Path, tmp_path: Path) -> None:
    project = copy_project(template, tmp_path / "app", {"database": "postgresql"})
    compose = yaml.safe_load((project / "compose.yaml").read_text())

    for name, service in compose["services"].items():
        tag = service["image"].partition(":")[2]
        assert tag not in {"", "latest"}, f"{name}: {service['image']}"


def test_generated_code_uses_only_the_typed_sqlalchemy_2_api(
    template: Path, tmp_path: Path
) -> None:
    project = copy_project(template, tmp_path / "app", MODEL_SETS["mixed"])

    code = "\n".join(path.read_text() for path in project.rglob("*.py"))

    assert "declarative_base(" not in code
    assert ".query(" not in code
    assert "class SqlAlchemyBase(DeclarativeBase):" in code
    assert "Mapped[" in code
    assert "mapped_column(" in code


@pytest.mark.parametrize("session_api", ["sync", "async"])
@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_no_generated_module_binds_the_package_name(
    template: Path, tmp_path: Path, database: str, session_api: str
) -> None:
    # `import false.models` would bind `false` in a module that also imports
    # sqlalchemy's `false`: any package name could meet any name a generated
    # module uses, so the package is only ever imported *from*.
    answers = {
        "database": database,
        "session_api": session_api,
        **MODEL_SETS["blog_shop"],
    }
    project = copy_project(template, tmp_path / "false", answers)

    binding = [
        f"{path.relative_to(project)}:{node.lineno}"
        for path in sorted(project.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Import)
        and any(alias.name.split(".")[0] == "false" and not alias.asname
                for alias in node.names)
    ]  # fmt: skip

    assert not binding, binding
