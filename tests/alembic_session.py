"""Alembic commands run the way the `alembic` script runs them, several in one
interpreter: each start-up imports SQLAlchemy, the driver and the models, which
would cost more than the commands themselves."""

from __future__ import annotations

import json
from dataclasses import dataclass

from tests.tooling import Project

# The script run in the project's interpreter. Commands are [key, argv,
# needed]; once a needed one fails, the rest are not run. `revision` must write
# exactly one new file.
ALEMBIC_SESSION = """
import io, json, sys, traceback
from pathlib import Path


class Capture(io.StringIO):
    encoding = "utf-8"

    def cut(self):
        text = self.getvalue()
        self.seek(0)
        self.truncate()
        return text


# Before Alembic is imported: its Config prints to the sys.stdout of that moment.
sys.stdout = sys.stderr = capture = Capture()
from alembic.config import main

commands, report = json.loads(sys.argv[1]), Path(sys.argv[2])
versions = Path("migrations", "versions")
outcomes = []
for key, argv, needed in commands:
    before = set(versions.glob("*.py"))
    try:
        main(argv=argv, prog="alembic")
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    except Exception:
        traceback.print_exc()
        code = 1
    if key == "revision" and code == 0:
        written = sorted(str(path) for path in set(versions.glob("*.py")) - before)
        if len(written) != 1:
            print(f"expected one new revision file, got {written}")
            code = 1
    outcomes.append([key, " ".join(["alembic", *argv]), code, capture.cut()])
    if code and needed:
        break
report.write_text(json.dumps(outcomes))
"""


@dataclass(frozen=True)
class Outcome:
    """What one command of a step did."""

    command: str
    returncode: int
    output: str


def alembic_session(
    project: Project, database_url: str, commands: list[tuple[str, list[str], bool]]
) -> dict[str, Outcome]:
    """Run Alembic commands in the project, against `database_url` (see
    ALEMBIC_SESSION); their outcomes by key."""
    report = project.root.parent / "alembic-session.json"
    report.unlink(missing_ok=True)
    result = project.run(
        "python",
        "-c",
        ALEMBIC_SESSION,
        json.dumps(commands),
        str(report),
        env={"DATABASE_URL": database_url},
        check=False,
    )
    if not report.exists():
        output = result.stdout + result.stderr
        return {commands[0][0]: Outcome("alembic", result.returncode or 1, output)}
    return {
        key: Outcome(command, code, output)
        for key, command, code, output in json.loads(report.read_text())
    }
