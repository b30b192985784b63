"""The user guide in docs/ builds as an MkDocs site with no warnings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent


def test_the_documentation_site_builds_without_warnings(tmp_path: Path) -> None:
    # --strict turns every warning (a broken link or anchor, a page missing from
    # the nav, a bad config value) into a failed build.
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--site-dir",
            str(tmp_path / "site"),
        ],
        cwd=REPOSITORY,
        # Keeps Material's end-of-life banner out of a failure report.
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "index.html").is_file()
