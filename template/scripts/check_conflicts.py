"""Fail when a template update left conflicts behind.

`copier update` marks a conflict inline (between "before updating" and "after
updating" markers) or, for some files, in a `<file>.rej` file next to it. Either
must be resolved before the update is committed. Run by pre-commit and by CI.
"""

import subprocess
import sys
from pathlib import Path

# Built from parts so that this file does not flag itself.
MARKERS = ("<" * 7, ">" * 7, "=" * 7)


class NotARepositoryError(Exception):
    """The folder is not in a git repository, so git cannot list its files."""


def tracked_and_new_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        capture_output=True,
        text=True,
        check=False,
    )
    if listed.returncode != 0:
        raise NotARepositoryError(listed.stderr.strip())
    # An unmerged file is listed once per merge stage: keep one of each.
    return [Path(name) for name in sorted(set(listed.stdout.split("\0"))) if name]


def conflicts_in(path: Path) -> list[str]:
    if path.suffix == ".rej":
        return [f"{path}: rejected update hunks; merge them by hand, then delete it"]
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
        return []
    return [
        f"{path}:{number}: unresolved conflict marker"
        for number, line in enumerate(lines, start=1)
        if line.startswith(MARKERS[:2]) or line == MARKERS[2]
    ]


def main(paths: list[str]) -> int:
    try:
        files = [Path(name) for name in paths] or tracked_and_new_files()
    except NotARepositoryError as error:
        print(
            f"git cannot list the files to check: {error}\nRun `git init` first "
            "(copier update needs a git repository too), or name the files to check.",
            file=sys.stderr,
        )
        return 2
    problems = [problem for path in files for problem in conflicts_in(path)]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
