"""Building blocks of the template tests: template snapshots, generated projects,
and one shared virtual environment to run the generated projects' own tools in."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import copier

TEMPLATE_ROOT = Path(__file__).resolve().parent.parent


GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Template Tests",
    "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "Template Tests",
    "GIT_COMMITTER_EMAIL": "tests@example.invalid",
}


def use_git_identity() -> None:
    """Give git an identity where the machine has none (a fresh CI runner):
    copier update commits in scratch repositories."""
    for variable, value in GIT_IDENTITY.items():
        os.environ.setdefault(variable, value)


def git(cwd: Path, *args: str) -> str:
    """Run git in `cwd` with a fixed identity, returning its stdout."""
    result = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", *args],
        cwd=cwd,
        env={**os.environ, **GIT_IDENTITY},
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def git_save(repository: Path, message: str, *, tag: str | None = None) -> None:
    """Commit everything in `repository` (made a repository first if it is not
    one yet), and tag the commit if `tag` is given: one step of a project's or a
    template's history, as Copier's own tests keep it."""
    if not (repository / ".git").exists():
        git(repository, "init", "--quiet", "--initial-branch=main")
    git(repository, "add", "--all")
    git(repository, "commit", "--quiet", "--allow-empty", "--message", message)
    if tag is not None:
        git(repository, "tag", tag)


def snapshot_template(destination: Path) -> Path:
    """Copy the template as it is on disk (uncommitted edits included) into a
    fresh git repository with one commit, so every test copies the same thing."""
    listed = git(
        TEMPLATE_ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "-z"
    )
    for relative in filter(None, listed.split("\0")):
        source = TEMPLATE_ROOT / relative
        if not source.is_file():
            continue  # deleted in the working tree
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    git_save(destination, "template snapshot")
    return destination


def copy_project(
    template: Path,
    destination: Path,
    data: dict[str, Any] | None = None,
    **options: Any,
) -> Path:
    """`copier copy --defaults` of `template` with `data` into `destination`."""
    copier.run_copy(
        str(template),
        destination,
        data=data or {},
        defaults=True,
        quiet=True,
        vcs_ref=options.pop("vcs_ref", "HEAD"),
        **options,
    )
    return destination


def project_requirements(project: Path) -> list[str]:
    """Runtime and dev requirements declared by a generated project."""
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    return [
        *pyproject["project"]["dependencies"],
        *pyproject["dependency-groups"]["dev"],
    ]


def create_environment(
    path: Path, requirements: list[str], *, compile_bytecode: bool = False
) -> Path:
    """A virtual environment at `path` with `requirements`; returns its bin folder.
    `compile_bytecode` compiles at install, as a benchmark wants (no first-import
    compile in its timings)."""
    uv = shutil.which("uv")
    if uv is None:
        msg = "uv is needed to build the generated projects' environment"
        raise RuntimeError(msg)
    subprocess.run(
        [uv, "venv", "--quiet", "--python", sys.executable, str(path)], check=True
    )
    subprocess.run(
        [
            uv,
            "pip",
            "install",
            "--quiet",
            *(["--compile-bytecode"] if compile_bytecode else []),
            "--python",
            str(path / "bin" / "python"),
            *requirements,
        ],
        check=True,
    )
    return path / "bin"


def outside_environment() -> dict[str, str]:
    """This process's environment less what belongs to the template tests: their
    virtual environment, pytest's variables, and any database settings."""
    return {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "VIRTUAL_ENV",
            "DATABASE_URL",
            "TEST_DATABASE_URL",
            "DATABASE_REPLICA_URLS",
            "DIRECT_DATABASE_URL",
        }
        and not key.startswith("PYTEST_")
    }


@dataclass(frozen=True)
class Project:
    """A generated project and the environment its tools run in."""

    root: Path
    bin: Path
    package: str
    database: str = "sqlite"

    def environment(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        """The variables the project's commands see: its tools first on PATH, and
        none of the database settings of whoever runs the template tests."""
        environment = outside_environment()
        environment.update(
            {
                "PATH": f"{self.bin}{os.pathsep}{environment.get('PATH', '')}",
                "VIRTUAL_ENV": str(self.bin.parent),
                "PYTHONPATH": str(self.root / "src"),
                "PYTHONDONTWRITEBYTECODE": "1",
            }
        )
        environment.update(extra or {})
        return environment

    def run(
        self, *command: str, env: dict[str, str] | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """Run one of the project's commands from its root, as a user would."""
        result = subprocess.run(
            command,
            cwd=self.root,
            env=self.environment(env),
            capture_output=True,
            text=True,
            check=False,
        )
        if check and result.returncode != 0:
            msg = (
                f"{' '.join(command)} failed in {self.root} (exit {result.returncode})\n"
                f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
            )
            raise AssertionError(msg)
        return result


def loose(text: str) -> str:
    """A pattern for `text` on a terminal, where a space may be drawn as a
    cursor move."""
    return r"(?:\s|\x1b\[\d*C)+".join(re.escape(word) for word in text.split())


def clear_multiline_answer(prompt: Any, lines: int = 10) -> None:
    """Empty a multi-line prompt's suggested answer, `lines` lines at most: each
    round deletes a line's text and then the line break before it."""
    for _ in range(lines):
        prompt.sendcontrol("u")
        prompt.sendcontrol("h")


GenerateProject = Callable[..., Project]


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` (outside .git), by relative path."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


def alembic(project: Project, database_url: str, *args: str) -> str:
    """Run Alembic in the project against `database_url`; returns its output."""
    result = project.run("alembic", *args, env={"DATABASE_URL": database_url})
    return result.stdout + result.stderr
