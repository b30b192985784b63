"""Session-wide fixtures: the template snapshot, the generated projects'
environment, and the throwaway PostgreSQL and MariaDB servers. Each is built once per session."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.mariadb_server import MariaDBServer
from tests.postgres_server import PostgresServer
from tests.tooling import (
    GenerateProject,
    Project,
    copy_project,
    create_environment,
    project_requirements,
    snapshot_template,
    use_git_identity,
)


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template as it is on disk, committed into a scratch repository."""
    return snapshot_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def environment_for(
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[..., Path]:
    """The bin folder of a virtual environment holding exactly what a generated
    project declares (and `extra`: what a user adds, as docs tell them to),
    built once per distinct set of requirements: a project that imports
    something it does not declare fails its own checks here, as it would on a
    user's machine."""
    made: dict[tuple[str, ...], Path] = {}

    def environment(project: Path, extra: Iterable[str] = ()) -> Path:
        requirements = tuple(sorted({*project_requirements(project), *extra}))
        if requirements not in made:
            folder = tmp_path_factory.mktemp("venv") / "venv"
            made[requirements] = create_environment(folder, list(requirements))
        return made[requirements]

    return environment


@pytest.fixture(scope="session")
def project_bin(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One virtual environment with everything a generated project may declare
    (async projects with uuid keys on every database: a superset of every
    other), for projects whose answers change while they are tested (updates,
    the evolution walks)."""
    requirements: set[str] = set()
    for database in ("sqlite", "postgresql", "mariadb"):
        probe = copy_project(
            template,
            tmp_path_factory.mktemp("probe") / "probe",
            {
                "project_name": "Probe",
                "database": database,
                "session_api": "async",
                "primary_key": "uuid",
            },
        )
        requirements.update(project_requirements(probe))
    return create_environment(
        tmp_path_factory.mktemp("venv") / "venv", sorted(requirements)
    )


@pytest.fixture(scope="session")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mypy cache for all generated projects: third-party stubs are read once."""
    return tmp_path_factory.mktemp("mypy-cache")


@pytest.fixture(scope="session")
def generate(
    template: Path,
    environment_for: Callable[[Path], Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> GenerateProject:
    """Generate a project from answers, once per distinct name in the session."""
    made: dict[str, Project] = {}

    def make(name: str, data: dict[str, Any]) -> Project:
        if name not in made:
            package = name.replace("-", "_")
            answers = {"project_name": name.replace("_", " ").title(), **data}
            answers.setdefault("package_name", package)
            root = copy_project(template, tmp_path_factory.mktemp(name) / name, answers)
            made[name] = Project(
                root=root,
                bin=environment_for(root),
                package=answers["package_name"],
                database=answers.get("database", "sqlite"),
            )
        return made[name]

    return make


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL 15 server for the whole session, on 127.0.0.1 and a socket."""
    server = PostgresServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def mariadb() -> Iterator[MariaDBServer]:
    """A MariaDB 10.11 server for the whole session, on 127.0.0.1 and a socket."""
    server = MariaDBServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def pytest_configure(config: pytest.Config) -> None:
    use_git_identity()


def shared_setup_group(item: pytest.Item) -> str | None:
    """The module and module-scoped parameters whose fixtures `item` shares with
    other tests (e.g. "test_evolution-sqlite"), so that xdist sends them to one
    worker, which builds those fixtures once."""
    fixtures = getattr(item, "_fixtureinfo", None)
    if fixtures is None:
        return None
    shared = sorted(
        name
        for name, definitions in fixtures.name2fixturedefs.items()
        if definitions[-1].scope in ("module", "package", "class")
    )
    if not shared:
        return None
    params = getattr(getattr(item, "callspec", None), "params", {})
    values = [str(params[name]) for name in shared if name in params]
    return re.sub(r"[^\w.-]+", "_", "-".join([item.path.stem, *values]))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    for item in items:
        group = shared_setup_group(item)
        if group is not None and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(group))
    # Deep tests are deselected, not skipped, so that CI's no-skip rule holds and
    # the default run stays within its time budget; DEEP=1 runs them.
    if os.environ.get("DEEP") != "1":
        deep = [item for item in items if item.get_closest_marker("deep")]
        if deep:
            config.hook.pytest_deselected(items=deep)
            items[:] = [item for item in items if not item.get_closest_marker("deep")]
    # Database tests are never skipped: without a server they fail, loudly.
    if os.environ.get("CI"):
        for item in items:
            for marker in item.iter_markers("skip"):
                raise pytest.UsageError(f"{item.nodeid} is skipped: {marker}")
