"""The README's first command, as a newcomer runs it: a project generated with the
defaults installs itself with uv, migrates, runs and passes its tests."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.tooling import copy_project, outside_environment


def uv(project: Path, *args: str) -> str:
    uv_binary = shutil.which("uv")
    assert uv_binary, "uv is needed"
    result = subprocess.run(
        [uv_binary, *args],
        cwd=project,
        env=outside_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, (
        f"uv {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    )
    return result.stdout + result.stderr


def test_the_default_project_installs_migrates_runs_and_passes_its_tests(
    template: Path, tmp_path: Path
) -> None:
    project = copy_project(template, tmp_path / "my-app", {})

    uv(project, "run", "alembic", "upgrade", "head")
    shown = uv(project, "run", "python", "-m", "my_app")
    tested = uv(project, "run", "pytest", "-q", "-p", "no:cacheprovider")
    uv(project, "sync", "--locked")  # what CI runs, from the lock uv run wrote

    assert "users: 0 rows" in shown
    assert " passed" in tested
    assert (project / "var" / "my_app.sqlite3").is_file()
    assert (project / ".venv").is_dir()
