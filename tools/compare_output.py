"""Render the template's test model sets with two versions of the template and
say which generated files differ: the proof a restructure changed nothing it did
not mean to.

    uv run python tools/compare_output.py [BASE_REF] [--diff]

BASE_REF (default HEAD) is rendered from a `git archive` of that commit; the other
side is the working tree as it is now, uncommitted edits included. The model sets
are those of the suite (tests/model_sets.py, with the 100-model one), every step
of the schema-evolution matrix, and answers drawn by the generative strategies
from a fixed seed, each on SQLite and on PostgreSQL. `--diff` prints the
differences themselves.
"""

from __future__ import annotations

import difflib
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import copier
from hypothesis import HealthCheck, given, seed, settings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.evolution_steps import INITIAL_MODELS, STEPS  # noqa: E402
from tests.model_sets import MODEL_SETS, SQLITE_MODEL_SETS  # noqa: E402
from tests.strategies import models_answers  # noqa: E402

DRAWN = 10
SEED = 20261121
# The answers file names the template's commit, which differs by construction.
UNCOMPARED = {".copier-answers.yml"}


def drawn_answers(database: str) -> list[Any]:
    """`DRAWN` valid models answers for `database`, the same every run."""
    answers: list[Any] = []

    @seed(SEED)
    @settings(
        max_examples=DRAWN,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(models_answers(database))
    def collect(models: Any) -> None:
        answers.append(models)

    collect()
    return answers[:DRAWN]


def answer_sets() -> dict[str, dict[str, Any]]:
    """name -> the answers given to `copier copy --defaults`."""
    sets: dict[str, dict[str, Any]] = {}
    for database in ("sqlite", "postgresql"):
        chosen = SQLITE_MODEL_SETS if database == "sqlite" else MODEL_SETS
        for name, answers in chosen.items():
            sets[f"{name}-{database}"] = {**answers, "database": database}
        steps = {"initial": INITIAL_MODELS, **STEPS}
        for name, models in steps.items():
            sets[f"evolution_{name}-{database}"] = {
                "models": models,
                "database": database,
            }
        for number, models in enumerate(drawn_answers(database)):
            sets[f"drawn{number}-{database}"] = {"models": models, "database": database}
    return sets


def render(template: Path, destination: Path, answers: dict[str, Any]) -> Path:
    copier.run_copy(
        str(template),
        destination,
        data={"project_name": "Compare App", **answers},
        defaults=True,
        quiet=True,
    )
    return destination


def files(project: Path) -> dict[str, str]:
    return {
        str(path.relative_to(project)): path.read_text()
        for path in sorted(project.rglob("*"))
        if path.is_file() and path.name not in UNCOMPARED
    }


def compare(job: tuple[str, Path, Path, dict[str, Any], Path]) -> tuple[str, list[str]]:
    """Which files of one answer set differ, each with its unified diff."""
    name, base, current, answers, scratch = job
    before = files(render(base, scratch / name / "before", answers))
    after = files(render(current, scratch / name / "after", answers))
    differences = []
    for path in sorted(before.keys() | after.keys()):
        if before.get(path) != after.get(path):
            diff = difflib.unified_diff(
                before.get(path, "").splitlines(keepends=True),
                after.get(path, "").splitlines(keepends=True),
                f"before/{path}",
                f"after/{path}",
            )
            differences.append("".join(diff))
    return name, differences


def snapshot(ref: str | None, destination: Path) -> Path:
    """The template at `ref`, or the working tree when `ref` is None."""
    destination.mkdir(parents=True)
    if ref is None:
        listed = subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard", "-z"],
            cwd=ROOT, check=True, capture_output=True, text=True,
        ).stdout.split("\0")  # fmt: skip
        for relative in filter(None, listed):
            source = ROOT / relative
            if source.is_file():
                target = destination / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(source.read_bytes())
    else:
        archive = subprocess.run(
            ["git", "archive", ref], cwd=ROOT, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x"], cwd=destination, input=archive, check=True)
    return destination


def main(argv: list[str]) -> int:
    show_diff = "--diff" in argv
    refs = [argument for argument in argv if not argument.startswith("--")]
    base_ref = refs[0] if refs else "HEAD"
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        base = snapshot(base_ref, scratch / "base")
        current = snapshot(None, scratch / "current")
        sets = answer_sets()
        jobs = [
            (name, base, current, answers, scratch) for name, answers in sets.items()
        ]
        changed = 0
        with ProcessPoolExecutor() as pool:
            for name, differences in pool.map(compare, jobs):
                changed += bool(differences)
                print(f"{name}: {'identical' if not differences else ''}", end="")
                if differences:
                    print(f"{len(differences)} file(s) differ")
                    for diff in differences:
                        print(diff if show_diff else "  " + diff.splitlines()[0][4:])
                else:
                    print()
    print(
        f"{len(sets)} answer sets against {base_ref}: {len(sets) - changed} identical, {changed} differ"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
