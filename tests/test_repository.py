"""The template repository itself: its own code is lint-clean and nothing that
must not be committed is."""

from __future__ import annotations

import subprocess
import sys

from tests.tooling import TEMPLATE_ROOT, git


def test_the_template_tooling_is_ruff_clean() -> None:
    for command in (["check"], ["format", "--check"]):
        subprocess.run(
            [sys.executable, "-m", "ruff", *command, "--no-cache", "tests", "bench"],
            cwd=TEMPLATE_ROOT,
            check=True,
        )


def test_the_template_keeps_no_lock_file_but_generated_projects_keep_theirs() -> None:
    tracked = git(TEMPLATE_ROOT, "ls-files").splitlines()

    assert "uv.lock" not in tracked
    assert "uv.lock" in (TEMPLATE_ROOT / ".gitignore").read_text().splitlines()
    # A project's CI installs from its lock (uv sync --locked): it must commit it.
    assert (
        "uv.lock"
        not in (TEMPLATE_ROOT / "template" / ".gitignore").read_text().splitlines()
    )


def test_no_include_is_over_250_lines() -> None:
    """An include that grows past a screenful or two is doing more than one job
    (CONTRIBUTING.md: one emitter per output, one parse stage per file)."""
    long = {
        str(path.relative_to(TEMPLATE_ROOT)): count
        for path in sorted((TEMPLATE_ROOT / "includes").rglob("*.jinja"))
        if (count := len(path.read_text().splitlines())) > 250
    }
    assert long == {}
