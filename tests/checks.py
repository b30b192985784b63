"""Helpers shared by the generated-project tests of both databases."""

from __future__ import annotations

from pathlib import Path

from tests.tooling import Project


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
