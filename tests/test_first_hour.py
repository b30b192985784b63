"""Snags of a generated project's first hour: what a newcomer types before
reading the docs closely works, or says clearly what to do instead."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from tests.tooling import TEMPLATE_ROOT, GenerateProject, Project

SHOW_DATABASE = (
    "from {package}.db_session import DbSession\n"
    "DbSession.global_init({url})\n"
    "print(DbSession.engine.url.database)\n"
)


@pytest.fixture(scope="module")
def project(generate: GenerateProject) -> Project:
    return generate("first_hour", {"models": {"Note": "title:str"}})


def test_a_database_path_in_the_home_folder_opens_there(
    project: Project, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    environment = {"HOME": str(home), "DATABASE_URL": "~/data/app.sqlite3"}

    project.run("alembic", "upgrade", "head", env=environment)
    shown = project.run("python", "-m", project.package, env=environment)

    assert ": 0 rows" in shown.stdout
    assert (home / "data" / "app.sqlite3").is_file()
    assert not (project.root / "~").exists()


@pytest.mark.parametrize("url", ["''", "' '"])
def test_an_empty_url_is_refused_saying_so(project: Project, url: str) -> None:
    script = SHOW_DATABASE.format(package=project.package, url=url)

    result = project.run("python", "-c", script, check=False)

    assert result.returncode != 0
    assert "ValueError: The database URL" in result.stderr
    assert "is empty" in result.stderr


def test_the_update_commands_shown_are_the_documented_ones(project: Project) -> None:
    readme = (project.root / "README.md").read_text()
    guide = (project.root / "docs/guide.md").read_text()
    message = yaml.safe_load((TEMPLATE_ROOT / "copier.yml").read_text())[
        "_message_after_copy"
    ]

    for text in (readme, guide, message):
        commands = re.findall(r"^\s*(\S*\s*copier update.*)$", text, re.MULTILINE)
        assert commands
        for command in commands:
            assert shlex.split(command)[:3] == ["uvx", "copier", "update"], command


def test_the_pre_commit_hooks_need_no_python_on_the_path(project: Project) -> None:
    config = yaml.safe_load((project.root / ".pre-commit-config.yaml").read_text())

    for repository in config["repos"]:
        for hook in repository["hooks"]:
            assert shlex.split(hook["entry"])[0] == "uv", hook["id"]


def test_the_conflict_check_before_git_init_says_what_to_do(project: Project) -> None:
    assert not (project.root / ".git").exists()

    result = project.run("python", "scripts/check_conflicts.py", check=False)

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "not a git repository" in result.stderr
    assert "git init" in result.stderr
