"""Shared helpers of the benchmark scripts: timing, result tables, template and
project set-up, and the virtual environment the generated projects run in.

Every target is a ratio (or a difference) of two things measured side by side in
the same run: the two sides are interleaved repetition by repetition (the order
alternates), and each side is summarised by its median.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
WORKERS = BENCH / "workers"

# The template's own tests hold the throwaway PostgreSQL server helper.
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

# What the tests already have, re-exported for the scripts: the 100-model answer,
# git with an identity, `copier copy --defaults`, a project's requirements.
from tests.model_sets import many_models as many_models  # noqa: E402
from tests.tooling import copy_project as copy  # noqa: E402
from tests.tooling import (  # noqa: E402
    create_environment,
    git_save,
    outside_environment,
    use_git_identity,
)
from tests.tooling import git as git  # noqa: E402
from tests.tooling import project_requirements as project_requirements  # noqa: E402

# copier update commits in the project repository: it needs an identity.
use_git_identity()

CACHE = Path(
    os.environ.get(
        "BENCH_CACHE", Path(tempfile.gettempdir()) / "copier-sqlalchemy-bench"
    )
)


# --------------------------------------------------------------------------- timing


def interleave(
    cases: dict[str, Callable[[], float]], repetitions: int, warmup: int = 1
) -> dict[str, list[float]]:
    """Run every case `warmup + repetitions` times, one of each per round, the order
    rotating each round. A case returns the seconds it measured (so that it can
    leave its own set-up out). Returns the measured seconds of each case."""
    names = list(cases)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for round_number in range(warmup + repetitions):
        shift = round_number % len(names)
        order = names[shift:] + names[:shift]
        if round_number % 2:
            order.reverse()
        for name in order:
            gc.collect()
            elapsed = cases[name]()
            if round_number >= warmup:
                samples[name].append(elapsed)
    return samples


def timed(action: Callable[[], Any]) -> float:
    """Seconds `action` takes."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


# -------------------------------------------------------------------------- results


@dataclass
class Row:
    """One line of a results table."""

    target: str  # e.g. "1", "5b"
    measured: str  # what was measured, in words
    subject: str  # label of the measured side
    subject_median: float  # seconds
    baseline: str  # label of the reference side
    baseline_median: float  # seconds
    value: float  # the ratio, or a per-item cost in seconds
    unit: str  # "x" (ratio), "ms", or "queries" (a count)
    limit: float | None  # the target value for `value`; None: a diagnostic row
    higher_is_better: bool = False
    repetitions: int = 0
    note: str = ""

    @property
    def passed(self) -> bool | None:
        if self.limit is None:
            return None
        return (
            self.value >= self.limit
            if self.higher_is_better
            else self.value <= self.limit
        )

    @property
    def status(self) -> str:
        return {None: "info", True: "PASS", False: "**MISS**"}[self.passed]

    def formatted_value(self) -> str:
        if self.unit == "queries":
            return f"{self.value:,.0f} queries"
        return (
            f"{self.value:.2f}x" if self.unit == "x" else f"{self.value * 1000:.2f} ms"
        )

    def formatted_limit(self) -> str:
        if self.limit is None:
            return "(diagnostic)"
        sign = ">=" if self.higher_is_better else "<="
        if self.unit == "queries":
            return f"{sign} {self.limit:g} queries"
        limit = f"{self.limit:g}x" if self.unit == "x" else f"{self.limit * 1000:g} ms"
        return f"{sign} {limit}"


def seconds(value: float) -> str:
    if value >= 1:
        return f"{value:.3f} s"
    if value >= 1e-3:
        return f"{value * 1e3:.1f} ms"
    return f"{value * 1e6:.0f} us"


HEADER = [
    "#",
    "measured",
    "subject (median)",
    "baseline (median)",
    "result",
    "target",
    "status",
]


def table_lines(rows: Sequence[Row]) -> list[str]:
    """The rows as a Markdown table (readable as plain text too)."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for row in rows:
        cells = [
            row.target,
            row.measured + (f" ({row.note})" if row.note else ""),
            f"{row.subject}: {seconds(row.subject_median)}",
            f"{row.baseline}: {seconds(row.baseline_median)}",
            row.formatted_value(),
            row.formatted_limit(),
            row.status,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def arguments(description: str, repetitions: int) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--repetitions", "-n", type=int, default=repetitions,
        help=f"measured repetitions of each side (default {repetitions})",
    )  # fmt: skip
    parser.add_argument("--json", type=Path, help="also write the rows here, as JSON")
    return parser.parse_args()


def run_benchmark(
    description: str,
    title: str,
    measure: Callable[[int], Sequence[Row]],
    repetitions: int,
) -> None:
    """A script's whole life: read the command line, measure, report."""
    args = arguments(description, repetitions)
    report(title, measure(args.repetitions), args.json)


def report(title: str, rows: Sequence[Row], json_path: Path | None) -> None:
    """Print the table; write the rows as JSON for run_all.py."""
    print(f"\n{title}\n")
    print("\n".join(table_lines(rows)))
    if json_path is not None:
        json_path.write_text(
            json.dumps({"title": title, "rows": [asdict(r) for r in rows]}, indent=2)
        )


# ------------------------------------------------------------------ git and copier


def template_clone(destination: Path) -> Path:
    """A clone of the template repository's committed HEAD (what `--vcs-ref HEAD`
    copies), so that concurrent uncommitted edits never leak into a measurement."""
    subprocess.run(
        # --no-local: objects arrive packed, as from a remote, whatever loose
        # objects the working repository holds.
        ["git", "clone", "--quiet", "--no-local", str(REPO), str(destination)],
        check=True,
    )
    return destination


def template_commit() -> str:
    return git(REPO, "rev-parse", "--short", "HEAD").strip()


def minimal_template(destination: Path) -> Path:
    """Copier's floor: a git repository holding a one-question, one-file template."""
    destination.mkdir(parents=True)
    (destination / "copier.yml").write_text(
        'project_name:\n  type: str\n  default: "My App"\n'
    )
    (destination / "README.md.jinja").write_text("# {{ project_name }}\n")
    git_save(destination, "minimal template")
    return destination


def static_template(destination: Path, project: Path) -> Path:
    """A template that renders the same files as `project` holds, each a `.jinja`
    file without any Jinja logic: copier's cost for this many files and bytes."""
    (destination / "template").mkdir(parents=True)
    (destination / "copier.yml").write_text(
        "_subdirectory: template\n_templates_suffix: .jinja\n"
        "_answers_file: .copier-answers.yml\n"
        'project_name:\n  type: str\n  default: "My App"\n'
    )
    for source in sorted(project.rglob("*")):
        if not source.is_file():
            continue
        relative = source.relative_to(project)
        if relative.name == ".copier-answers.yml":
            # Copier fills the answers file itself: keep that one a real template.
            target = destination / "template" / "{{ _copier_conf.answers_file }}.jinja"
            target.write_text("{{ _copier_answers|to_nice_yaml -}}\n")
            continue
        target = destination / "template" / f"{relative}.jinja"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("{% raw %}" + source.read_text() + "{% endraw %}")
    git_save(destination, "static template")
    return destination


def subdirectory_template(destination: Path) -> Path:
    """The one-file template again, with its file under `_subdirectory`, as this
    template has: copier then walks no `.git` folder."""
    (destination / "template").mkdir(parents=True)
    (destination / "copier.yml").write_text(
        '_subdirectory: template\nproject_name:\n  type: str\n  default: "My App"\n'
    )
    (destination / "template" / "README.md.jinja").write_text("# {{ project_name }}\n")
    git_save(destination, "minimal template")
    return destination


@contextmanager
def without_per_file_git_config() -> Iterator[None]:
    """What-if diagnostic: copier 9.19 runs `git config --get core.fileMode` in a
    subprocess for every file it writes (`Worker._sync_git_index_executable_bit`).
    Inside this block that method does nothing, as if copier asked once per run."""
    from copier._main import Worker

    original = Worker._sync_git_index_executable_bit
    Worker._sync_git_index_executable_bit = lambda self, dst_relpath, src_mode: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        Worker._sync_git_index_executable_bit = original  # type: ignore[method-assign]


# ------------------------------------------------- the generated projects' venv


# Bump when the way the environment is built changes.
VENV_LAYOUT = "2: bytecode compiled at install"


# What the benchmarks measure against that no generated project declares.
BENCH_ONLY_REQUIREMENTS = ["aiomysql>=0.2", "asyncpg>=0.30"]


def project_python(template: Path) -> Path:
    """The Python of one virtual environment holding everything the generated
    async PostgreSQL and MariaDB projects declare (a superset of SQLite's and
    of sync projects'), plus the drivers the benchmarks compare against
    (asyncpg, aiomysql), built once with uv and kept in the cache folder under
    a hash of the requirements."""
    declared = set(BENCH_ONLY_REQUIREMENTS)
    with tempfile.TemporaryDirectory() as scratch:
        for database in ("postgresql", "mariadb"):
            probe = copy(
                template,
                Path(scratch) / database,
                {"project_name": "Probe", "database": database, "session_api": "async"},
            )
            declared.update(project_requirements(probe))
    requirements = sorted(declared)
    key = hashlib.sha256(
        "\n".join([VENV_LAYOUT, sys.version, *requirements]).encode()
    ).hexdigest()[:12]
    venv = CACHE / f"venv-{key}"
    python = venv / "bin" / "python"
    if (venv / ".complete").exists():
        return python
    shutil.rmtree(venv, ignore_errors=True)
    venv.parent.mkdir(parents=True, exist_ok=True)
    create_environment(venv, requirements, compile_bytecode=True)
    (venv / ".complete").write_text("\n".join(requirements))
    return python


def project_environment(
    project: Path, extra: dict[str, str] | None = None
) -> dict[str, str]:
    """Variables for a generated project's code: its src/ importable, none of the
    caller's database settings, and bytecode caching on (as on a developer's
    machine; some sandboxes set PYTHONDONTWRITEBYTECODE)."""
    environment = outside_environment()
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    environment["PYTHONPATH"] = str(project / "src")
    environment.update(extra or {})
    return environment


def run_worker(
    python: Path,
    project: Path,
    worker: str,
    *args: str,
    extra_env: dict[str, str] | None = None,
) -> Any:
    """Run bench/workers/<worker> with the project's Python; it prints JSON last."""
    result = subprocess.run(
        [str(python), str(WORKERS / worker), *args],
        cwd=project, env=project_environment(project, extra_env),
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"{worker} failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def scratch_dir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"bench-{prefix}-"))


def database_dir(prefix: str) -> Path:
    """A new folder for SQLite database files, under BENCH_DB_DIR when set: it
    must be on a real disk, not tmpfs, where fsync costs what it costs."""
    return Path(
        tempfile.mkdtemp(
            prefix=f"bench-{prefix}-db-", dir=os.environ.get("BENCH_DB_DIR")
        )
    )


# ------------------------------------------------------- one-model measured projects

# The one model of the projects that time units of work.
NOTE_MODELS = {"Note": "title:str{200}"}

# The users of the projects that time inserts (bench_unit_of_work, bench_bulk_load).
USER_MODEL = "email:str:unique display_name:str{80} bio:text? joined_at:datetime"


def note_project(work: Path, name: str, **answers: Any) -> tuple[Path, Path]:
    """A project named `name` (its package: `name` with underscores) generated
    under `work` from a clone of the committed template, with NOTE_MODELS and
    `answers`; and the Python of the generated projects' environment."""
    template = template_clone(work / "template")
    project = copy(
        template,
        work / "project" / name,
        {"project_name": name.replace("-", " "), "models": NOTE_MODELS, **answers},
    )
    return project, project_python(template)


def migrate(python: Path, project: Path, database_url: str) -> None:
    """`alembic upgrade head` of `project` on `database_url`."""
    subprocess.run(
        [str(python), "-m", "alembic", "upgrade", "head"],
        cwd=project, env=project_environment(project, {"DATABASE_URL": database_url}),
        check=True, capture_output=True,
    )  # fmt: skip
