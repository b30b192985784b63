"""`copier update`: template improvements reach existing projects and no user work
is lost. Versions are git tags of a scratch copy of the template, in the manner of
Copier's own test suite."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from contextlib import closing
from pathlib import Path
from typing import Any

import copier
import pexpect
import pytest
import yaml

from tests.tooling import (
    TEMPLATE_ROOT,
    Project,
    alembic,
    clear_multiline_answer,
    copy_project,
    git,
    git_save,
    loose,
    snapshot_template,
    tree,
)

ENGINE = "template/src/{{ package_name }}/engine.py.jinja"
MODEL = (
    "template/src/{{ package_name }}/models/"
    "{% yield model from schema.models %}{{ model.module }}{% endyield %}.py.jinja"
)
# The models of the projects these tests update (the template's sample of an
# earlier version), given explicitly so that a new sample changes nothing here.
DEFAULT_MODELS = {
    "User": "email:str:unique display_name:str{80} bio:text? joined_at:datetime",
    "Post": "title:str{200} body:text published:bool author:User:cascade",
}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template at v1.0.0 (as on disk) and v1.1.0 (with template changes to a
    template-owned module, the model modules, the README and pyproject.toml)."""
    repo = snapshot_template(tmp_path_factory.mktemp("versions"))
    git(repo, "tag", "v1.0.0")
    edit(
        repo / ENGINE,
        "SQLITE_BUSY_TIMEOUT_MS = 5000",
        "SQLITE_BUSY_TIMEOUT_MS = 10_000",
    )
    edit(
        repo / MODEL,
        "stored in the {{ model.table }} table.",
        "a row of {{ model.table }}.",
    )
    edit(
        repo / "template/README.md.jinja",
        "## Run it",
        "## Release notes\n\nSee CHANGELOG.\n\n## Run it",
    )
    edit(
        repo / "template/pyproject.toml.jinja", '"alembic>=1.19.2"', '"alembic>=1.19.5"'
    )
    git_save(repo, "v1.1.0 improvements", tag="v1.1.0")
    return repo


def generate_at(
    versions: Path, destination: Path, version: str, data: dict[str, Any] | None = None
) -> Path:
    """A project generated at `version` and committed, as a user would have it."""
    answers = {"project_name": "Blog", "models": DEFAULT_MODELS, **(data or {})}
    copy_project(versions, destination, answers, vcs_ref=version)
    git_save(destination, "generated")
    return destination


def update(project: Path, version: str, data: dict[str, Any] | None = None) -> None:
    copier.run_update(
        str(project),
        data=data or {},
        defaults=True,
        overwrite=True,
        quiet=True,
        vcs_ref=version,
        conflict="inline",
    )


def as_project(root: Path, project_bin: Path) -> Project:
    return Project(root=root, bin=project_bin, package="blog")


def add_model_method(root: Path) -> None:
    """A method of the user's own in the generated Post model."""
    edit(
        root / "src/blog/models/post.py",
        '        return f"Post(id={self.id!r})"\n',
        '        return f"Post(id={self.id!r})"\n\n'
        "    def headline(self) -> str:\n"
        '        """The title, shouted."""\n'
        "        return self.title.upper()\n",
    )


def add_user_edits(root: Path, project: Project) -> None:
    """The kinds of edits users make between generation and update."""
    add_model_method(root)
    edit(root / "README.md", "# Blog\n", "# Blog\n\nOur team's blog engine.\n")
    edit(
        root / "pyproject.toml",
        '    "sqlalchemy>=2.0.36",\n',
        '    "sqlalchemy>=2.0.36",\n    "markdown>=3.7",\n',
    )
    alembic(
        project,
        f"sqlite:///{root / 'var' / 'scratch.sqlite3'}",
        "revision",
        "-m",
        "backfill titles",
    )
    shutil.rmtree(root / "var", ignore_errors=True)
    git_save(root, "user edits")


@pytest.fixture(scope="module")
def edited_then_updated(
    versions: Path, project_bin: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, bytes]]:
    """A v1.0.0 project with user edits, updated to v1.1.0; and its files before."""
    root = generate_at(versions, tmp_path_factory.mktemp("edited") / "blog", "v1.0.0")
    add_user_edits(root, as_project(root, project_bin))
    before = tree(root)
    update(root, "v1.1.0")
    return root, before


def test_user_edits_to_a_model_module_survive(
    edited_then_updated: tuple[Path, dict[str, bytes]],
) -> None:
    root, _ = edited_then_updated

    assert (
        "def headline(self) -> str:" in (root / "src/blog/models/post.py").read_text()
    )


def test_user_edits_to_the_readme_and_dependencies_survive(
    edited_then_updated: tuple[Path, dict[str, bytes]],
) -> None:
    root, _ = edited_then_updated

    assert "Our team's blog engine." in (root / "README.md").read_text()
    assert '"markdown>=3.7"' in (root / "pyproject.toml").read_text()


def test_a_user_migration_is_never_rewritten(
    edited_then_updated: tuple[Path, dict[str, bytes]],
) -> None:
    root, before = edited_then_updated

    migrations = [name for name in before if name.startswith("migrations/versions/")]
    assert len(migrations) == 2
    for name in migrations:
        assert (root / name).read_bytes() == before[name], name


def test_the_template_changes_land(
    edited_then_updated: tuple[Path, dict[str, bytes]],
) -> None:
    root, _ = edited_then_updated

    assert (
        "SQLITE_BUSY_TIMEOUT_MS = 10_000" in (root / "src/blog/engine.py").read_text()
    )
    assert "a row of posts." in (root / "src/blog/models/post.py").read_text()
    assert "## Release notes" in (root / "README.md").read_text()
    assert '"alembic>=1.19.5"' in (root / "pyproject.toml").read_text()
    answers = yaml.safe_load((root / ".copier-answers.yml").read_text())
    assert answers["_commit"] == "v1.1.0"


def test_no_conflict_is_left_behind(
    edited_then_updated: tuple[Path, dict[str, bytes]], project_bin: Path
) -> None:
    root, _ = edited_then_updated

    as_project(root, project_bin).run("python", "scripts/check_conflicts.py")


def test_the_generated_tests_pass_after_the_update(
    edited_then_updated: tuple[Path, dict[str, bytes]], project_bin: Path
) -> None:
    root, _ = edited_then_updated

    output = (
        as_project(root, project_bin)
        .run("pytest", "-q", "-p", "no:cacheprovider")
        .stdout
    )

    assert " passed" in output


def test_an_update_without_user_edits_equals_a_fresh_copy(
    versions: Path, tmp_path: Path
) -> None:
    updated = generate_at(versions, tmp_path / "updated" / "blog", "v1.0.0")
    fresh = copy_project(
        versions,
        tmp_path / "fresh" / "blog",
        {"project_name": "Blog", "models": DEFAULT_MODELS},
        vcs_ref="v1.1.0",
    )

    update(updated, "v1.1.0")

    assert tree(updated) == tree(fresh)


def test_a_true_conflict_is_shown_inline_and_caught_by_the_guard(
    versions: Path, project_bin: Path, tmp_path: Path
) -> None:
    root = generate_at(versions, tmp_path / "blog", "v1.0.0")
    edit(
        root / "src/blog/engine.py",
        "SQLITE_BUSY_TIMEOUT_MS = 5000",
        "SQLITE_BUSY_TIMEOUT_MS = 7000",
    )
    git_save(root, "longer timeout")

    update(root, "v1.1.0")

    engine = (root / "src/blog/engine.py").read_text()
    assert "SQLITE_BUSY_TIMEOUT_MS = 7000" in engine
    assert "SQLITE_BUSY_TIMEOUT_MS = 10_000" in engine
    assert "<<<<<<< before updating" in engine
    guard = as_project(root, project_bin).run(
        "python", "scripts/check_conflicts.py", check=False
    )
    assert guard.returncode == 1
    assert "src/blog/engine.py" in guard.stderr


@pytest.fixture(scope="module")
def with_added_model(
    versions: Path, project_bin: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Project, dict[str, bytes]]:
    """A v1.1.0 project, committed, then `copier update --data models=...` adding Tag."""
    root = generate_at(versions, tmp_path_factory.mktemp("added") / "blog", "v1.1.0")
    before = tree(root)
    update(
        root,
        "v1.1.0",
        {
            "models": {
                **DEFAULT_MODELS,
                "Tag": "label:str{40}:unique post:Post?:setnull",
            }
        },
    )
    return as_project(root, project_bin), before


def test_adding_a_model_writes_its_module_and_registers_it(
    with_added_model: tuple[Project, dict[str, bytes]],
) -> None:
    project, _ = with_added_model

    assert (project.root / "src/blog/models/tag.py").is_file()
    registry = (project.root / "src/blog/models/__all_models.py").read_text()
    assert "from blog.models.tag import Tag as Tag" in registry
    assert (
        "tags: Mapped[list[Tag]]"
        in (project.root / "src/blog/models/post.py").read_text()
    )


def test_a_model_the_user_registered_by_hand_survives_an_added_model(
    versions: Path, project_bin: Path, tmp_path: Path
) -> None:
    root = generate_at(versions, tmp_path / "blog", "v1.1.0")
    registry = root / "src/blog/models/__all_models.py"
    own_import = "from blog.models.zz_audit import ZzAudit as ZzAudit\n"
    registry.write_text(registry.read_text() + own_import)
    git_save(root, "a model of our own")

    update(root, "v1.1.0", {"models": {**DEFAULT_MODELS, "Zebra": "name:str"}})

    text = registry.read_text()
    assert "from blog.models.zebra import Zebra as Zebra\n" in text
    assert text.endswith(own_import)
    as_project(root, project_bin).run("python", "scripts/check_conflicts.py")


def test_a_model_added_by_update_fails_the_diagram_test_until_it_is_redrawn(
    versions: Path, project_bin: Path, tmp_path: Path
) -> None:
    # The user's own column, drawn: the page is the project's from then on.
    root = generate_at(versions, tmp_path / "blog", "v1.1.0")
    project = as_project(root, project_bin)
    edit(
        root / "src/blog/models/post.py",
        "    published: Mapped[bool]\n",
        "    published: Mapped[bool]\n    summary: Mapped[str | None]\n",
    )
    project.run("python", "-m", "blog", "diagram", "--write")
    git_save(root, "a column of our own, drawn")
    page = (root / "docs/schema.md").read_bytes()
    models = {**DEFAULT_MODELS, "Tag": "label:str{40}:unique post:Post?:setnull"}
    diagram_test = ("pytest", "-q", "-p", "no:cacheprovider", "tests/test_diagram.py")

    update(root, "v1.1.0", {"models": models})

    assert (root / "docs/schema.md").read_bytes() == page
    project.run("python", "scripts/check_conflicts.py")
    stale = project.run(*diagram_test, check=False)
    assert stale.returncode == 1
    assert "redraw it with: uv run python -m blog diagram --write" in stale.stdout

    project.run("python", "-m", "blog", "diagram", "--write")

    project.run(*diagram_test)
    redrawn = (root / "docs/schema.md").read_text()
    assert '        varchar summary "nullable"\n' in redrawn
    assert '    tags }o..o| posts : "post_id"\n' in redrawn
    printed = project.run("python", "-m", "blog", "diagram").stdout
    assert f"```mermaid\n{printed}```\n" in redrawn


def test_a_redrawn_diagram_is_the_one_a_new_project_starts_with(
    versions: Path, project_bin: Path, tmp_path: Path
) -> None:
    models = {**DEFAULT_MODELS, "Tag": "label:str{40}:unique post:Post?:setnull"}
    root = generate_at(versions, tmp_path / "updated" / "blog", "v1.1.0")
    update(root, "v1.1.0", {"models": models})
    fresh = copy_project(
        versions,
        tmp_path / "fresh" / "blog",
        {"project_name": "Blog", "models": models},
        vcs_ref="v1.1.0",
    )

    as_project(root, project_bin).run("python", "-m", "blog", "diagram", "--write")

    assert (root / "docs/schema.md").read_text() == (
        fresh / "docs/schema.md"
    ).read_text()


def test_a_stored_answer_the_next_version_refuses_stops_the_update(
    tmp_path: Path,
) -> None:
    # v1.0.0 accepts a field named self, v1.1.0 refuses it: without a guard, Copier
    # would drop the stored answer and put the sample models in its place.
    repo = snapshot_template(tmp_path / "template")
    parser = repo / "includes/reserved.jinja"
    strict = parser.read_text()
    parser.write_text(strict.replace("    'self': ", "    'former_self': "))
    git_save(repo, "self allowed", tag="v1.0.0")
    parser.write_text(strict)
    git_save(repo, "self refused", tag="v1.1.0")
    root = generate_at(
        repo, tmp_path / "blog", "v1.0.0", {"models": {"Note": "self:str"}}
    )
    before = tree(root)

    with pytest.raises(ValueError, match="no longer accepted") as error:
        update(root, "v1.1.0")

    assert "--data-file" in str(error.value)
    assert tree(root) == before


def test_adding_a_model_leaves_existing_migrations_byte_identical(
    with_added_model: tuple[Project, dict[str, bytes]],
) -> None:
    project, before = with_added_model

    for name, content in before.items():
        if name.startswith("migrations/versions/"):
            assert (project.root / name).read_bytes() == content, name


def test_autogenerating_a_revision_for_the_added_model_makes_check_pass(
    with_added_model: tuple[Project, dict[str, bytes]], tmp_path: Path
) -> None:
    project, _ = with_added_model
    url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    alembic(project, url, "upgrade", "head")

    alembic(project, url, "revision", "--autogenerate", "-m", "add tag")
    alembic(project, url, "upgrade", "head")

    assert "No new upgrade operations detected" in alembic(project, url, "check")
    new_revisions = sorted((project.root / "migrations/versions").glob("*add_tag.py"))
    assert len(new_revisions) == 1
    assert 'op.create_table(\n        "tags",' in new_revisions[0].read_text()
    project.run("ruff", "check", "--no-cache", str(new_revisions[0]))
    project.run("ruff", "format", "--check", "--no-cache", str(new_revisions[0]))


def test_removing_a_model_deletes_its_module_and_keeps_migrations(
    versions: Path, tmp_path: Path
) -> None:
    models = {**DEFAULT_MODELS, "Tag": "label:str{40}"}
    root = generate_at(versions, tmp_path / "blog", "v1.1.0", {"models": models})
    before = tree(root)

    update(root, "v1.1.0", {"models": DEFAULT_MODELS})

    assert not (root / "src/blog/models/tag.py").exists()
    assert "Tag" not in (root / "src/blog/models/__all_models.py").read_text()
    for name, content in before.items():
        if name.startswith("migrations/versions/"):
            assert (root / name).read_bytes() == content, name


def test_two_typings_of_the_same_models_update_without_spurious_changes(
    versions: Path, tmp_path: Path
) -> None:
    typed = {"Post": DEFAULT_MODELS["Post"], "User": DEFAULT_MODELS["User"]}
    root = generate_at(versions, tmp_path / "blog", "v1.1.0", {"models": typed})

    update(
        root,
        "v1.1.0",
        {"models": {"User": DEFAULT_MODELS["User"], "Post": DEFAULT_MODELS["Post"]}},
    )

    assert git(root, "status", "--porcelain") == ""


def test_renaming_a_model_replaces_its_module_and_keeps_migrations(
    versions: Path, tmp_path: Path
) -> None:
    root = generate_at(versions, tmp_path / "blog", "v1.1.0")
    before = tree(root)
    renamed = {"User": DEFAULT_MODELS["User"], "Article": DEFAULT_MODELS["Post"]}

    update(root, "v1.1.0", {"models": renamed})

    assert not (root / "src/blog/models/post.py").exists()
    assert (root / "src/blog/models/article.py").is_file()
    assert (
        "articles: Mapped[list[Article]]"
        in (root / "src/blog/models/user.py").read_text()
    )
    for name, content in before.items():
        if name.startswith("migrations/versions/"):
            assert (root / name).read_bytes() == content, name


def test_adding_a_model_at_the_update_prompts(versions: Path, tmp_path: Path) -> None:
    root = generate_at(versions, tmp_path / "blog", "v1.1.0")
    prompt = pexpect.spawn(
        sys.executable,
        ["-m", "copier", "update", "--vcs-ref", "v1.1.0"],
        cwd=root,
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 200),
    )
    try:
        for question in (
            "Human name",
            "Distribution name",
            "Import name",
            "Database engine",
            "Session API",
            "primary key",
            "created_at",
        ):
            prompt.expect(loose(question))
            prompt.send("\r")  # keep the previous answer
        prompt.expect(loose("Finish with"))
        clear_multiline_answer(prompt)
        for name, spec in {**DEFAULT_MODELS, "Tag": "label:str{40}"}.items():
            prompt.send(f'{name}: "{spec}"\r')
        prompt.send("\x1b\r")  # Esc, Enter: submit the multi-line answer
        prompt.expect(pexpect.EOF)
    finally:
        prompt.close(force=True)

    assert prompt.exitstatus == 0, prompt.before
    assert (root / "src/blog/models/tag.py").is_file()
    assert "Tag as Tag" in (root / "src/blog/models/__all_models.py").read_text()


# The questions the language extension added, as a template before it behaved:
# not asked, not stored; int keys and no timestamps.
BEFORE_KEY_QUESTIONS = {
    "primary_key": {"type": "str", "when": False, "default": "int"},
    "timestamps": {"type": "bool", "when": False, "default": False},
}


@pytest.fixture(scope="module")
def made_before_the_key_questions(
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    """The template at v1.0.0 without the primary_key and timestamps questions
    (their answers fixed as projects had them), and as it is at v2.0.0."""
    repo = snapshot_template(tmp_path_factory.mktemp("keys"))
    config_path = repo / "copier.yml"
    current = config_path.read_text()
    config = yaml.safe_load(current)
    config.update(BEFORE_KEY_QUESTIONS)
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    git_save(repo, "before the key questions", tag="v1.0.0")
    config_path.write_text(current)
    git_save(repo, "the key questions", tag="v2.0.0")
    return repo


def test_an_update_keeps_the_keys_and_timestamps_of_a_project_made_before_them(
    made_before_the_key_questions: Path, project_bin: Path, tmp_path: Path
) -> None:
    root = generate_at(made_before_the_key_questions, tmp_path / "blog", "v1.0.0")
    project = as_project(root, project_bin)
    database = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    alembic(project, database, "upgrade", "head")
    before = tree(root)

    update(root, "v2.0.0")

    answers = yaml.safe_load((root / ".copier-answers.yml").read_text())
    assert (answers["primary_key"], answers["timestamps"]) == ("int", False)
    changed = {
        path for path, content in tree(root).items() if before.get(path) != content
    }
    assert changed == {".copier-answers.yml"}
    assert "No new upgrade operations detected" in alembic(project, database, "check")


# A module of the user's own that uses the sync session API.
SYNC_REPORT = '''"""How many posts there are."""

from sqlalchemy import func, select

from blog.db_session import DbSession
from blog.models.post import Post


def count_posts() -> int:
    with DbSession.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(Post)) or 0
'''

# The same module after the edit docs/async.md asks for.
ASYNC_REPORT = '''"""How many posts there are."""

from sqlalchemy import func, select

from blog.db_session import DbSession
from blog.models.post import Post


async def count_posts() -> int:
    async with DbSession.unit_of_work() as session:
        return await session.scalar(select(func.count()).select_from(Post)) or 0
'''


@pytest.fixture(scope="module")
def switched_to_async(versions: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sync project with user edits (a model method, a module of their own),
    updated with session_api=async."""
    root = generate_at(versions, tmp_path_factory.mktemp("switch") / "blog", "v1.1.0")
    add_model_method(root)
    (root / "src/blog/report.py").write_text(SYNC_REPORT)
    git_save(root, "user edits")
    update(root, "v1.1.0", {"session_api": "async"})
    return root


def test_switching_to_async_rewrites_the_session_code_without_conflict(
    switched_to_async: Path,
) -> None:
    root = switched_to_async

    assert "async def unit_of_work" in (root / "src/blog/db_session.py").read_text()
    assert "session_api: async" in (root / ".copier-answers.yml").read_text()
    assert git(root, "diff", "--name-only", "--diff-filter=U") == ""
    assert "<<<<<<<" not in "".join(
        path.read_text() for path in root.rglob("*.py") if ".venv" not in path.parts
    )


def test_switching_to_async_keeps_user_edits_and_makes_relationships_raise(
    switched_to_async: Path,
) -> None:
    root = switched_to_async
    post = (root / "src/blog/models/post.py").read_text()

    assert "def headline(self) -> str:" in post
    assert 'lazy="raise_on_sql"' in post
    assert (root / "src/blog/report.py").read_text() == SYNC_REPORT


def test_after_switching_to_async_mypy_names_the_user_code_left_sync(
    switched_to_async: Path,
    project_bin: Path,
    mypy_cache: Path,
) -> None:
    root = switched_to_async
    project = as_project(root, project_bin)

    result = project.run("mypy", "--cache-dir", str(mypy_cache), env={}, check=False)

    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert errors
    assert {line.split(":")[0] for line in errors} == {"src/blog/report.py"}


def test_a_project_switched_to_async_passes_its_checks_once_the_user_code_awaits(
    switched_to_async: Path,
    project_bin: Path,
    mypy_cache: Path,
    tmp_path: Path,
) -> None:
    root = shutil.copytree(switched_to_async, tmp_path / "blog")
    project = as_project(root, project_bin)
    (root / "src/blog/report.py").write_text(ASYNC_REPORT)

    project.run("mypy", "--cache-dir", str(mypy_cache))
    project.run("ruff", "check", ".")
    project.run("ruff", "format", "--check", ".")
    project.run("pytest", "-q", "-p", "no:cacheprovider")
    database = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    alembic(project, database, "upgrade", "head")
    assert "No new upgrade operations detected" in alembic(project, database, "check")


# The template a fortnight before its guide left the generated README.
EARLY_RELEASE = "01d87b4"
GUIDE = "template/docs/guide.md.jinja"


@pytest.fixture(scope="module")
def early_release_then_today(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template at EARLY_RELEASE (v0.9.0), as on disk (v1.0.0), and with a
    change to its guide (v1.1.0)."""
    repo = tmp_path_factory.mktemp("early")
    archive = repo.parent / "early.tar"
    git(TEMPLATE_ROOT, "archive", "--output", str(archive), EARLY_RELEASE)
    with tarfile.open(archive) as tar:
        tar.extractall(repo, filter="data")
    git_save(repo, "early release", tag="v0.9.0")
    git(repo, "rm", "-r", "--quiet", ".")
    snapshot_template(repo)
    git(repo, "tag", "v1.0.0")
    edit(repo / GUIDE, "## Load many rows\n", "## Load many rows\n\nNew advice.\n")
    git_save(repo, "guide improved", tag="v1.1.0")
    return repo


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_an_early_project_with_its_own_readme_takes_the_new_layout_without_conflict(
    early_release_then_today: Path, tmp_path: Path, database: str
) -> None:
    root = generate_at(
        early_release_then_today, tmp_path / "blog", "v0.9.0", {"database": database}
    )
    edit(root / "README.md", "# Blog\n", "# Blog\n\nOur team's blog engine.\n")
    git_save(root, "our README")

    update(root, "v1.0.0")

    assert git(root, "diff", "--name-only", "--diff-filter=U") == ""
    readme = (root / "README.md").read_text()
    assert "Our team's blog engine." in readme
    assert "<<<<<<<" not in readme
    assert "## Load many rows" not in readme
    assert "## Load many rows" in (root / "docs/guide.md").read_text()
    replicas = root / "src/blog/replicas.py"
    assert replicas.is_file() == (database == "postgresql")


def test_a_guide_update_never_meets_the_users_readme(
    early_release_then_today: Path, tmp_path: Path
) -> None:
    root = generate_at(early_release_then_today, tmp_path / "blog", "v1.0.0")
    readme = root / "README.md"
    readme.write_text(readme.read_text() + "\nDeployed by the platform team.\n")
    git_save(root, "our README")
    ours = readme.read_text()

    update(root, "v1.1.0")

    assert readme.read_text() == ours
    assert "New advice." in (root / "docs/guide.md").read_text()
    assert git(root, "diff", "--name-only", "--diff-filter=U") == ""


# The last template commit before the key and timestamp columns became
# `Annotated` aliases and SQLite got CHECKs for str{N} lengths and enum values:
# what projects generated before them are.
BEFORE_TYPE_CHECKS = "a914f14"


@pytest.fixture(scope="module")
def before_type_checks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template at BEFORE_TYPE_CHECKS (v1.0.0) and as on disk (v1.1.0)."""
    repo = tmp_path_factory.mktemp("before-type-checks")
    archive = subprocess.run(
        ["git", "archive", BEFORE_TYPE_CHECKS],
        cwd=TEMPLATE_ROOT,
        capture_output=True,
        check=True,
    )
    subprocess.run(["tar", "-x", "-C", str(repo)], input=archive.stdout, check=True)
    git_save(repo, "before type checks", tag="v1.0.0")
    for path in repo.iterdir():
        if path.name != ".git":
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    snapshot_template(repo)
    git_save(repo, "type checks", tag="v1.1.0")
    return repo


def test_a_project_takes_the_column_aliases_without_conflict_or_schema_change(
    before_type_checks: Path, project_bin: Path, tmp_path: Path
) -> None:
    root = generate_at(before_type_checks, tmp_path / "blog", "v1.0.0")
    project = as_project(root, project_bin)
    add_model_method(root)
    git_save(root, "our method")
    database = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    alembic(project, database, "upgrade", "head")

    update(root, "v1.1.0")

    assert git(root, "diff", "--name-only", "--diff-filter=U") == ""
    assert not [
        path
        for path, content in tree(root).items()
        if any(line.startswith(b"<<<<<<< ") for line in content.splitlines())
    ]
    post = (root / "src/blog/models/post.py").read_text()
    assert "    id: Mapped[PrimaryKey]\n" in post
    assert "    created_at: Mapped[CreatedAt]\n" in post
    assert "def headline(self) -> str:" in post
    assert (
        "PrimaryKey = Annotated["
        in (root / "src/blog/models/model_base.py").read_text()
    )
    # The same release brings SQLite's type CHECKs (the next test): the only
    # operations a revision finds; the aliases themselves change nothing.
    alembic(project, database, "revision", "--autogenerate", "-m", "type checks")
    [revision] = (root / "migrations/versions").glob("*type_checks.py")
    # batch_op.f(...) marks a name as final; it is not an operation.
    operations = re.findall(r"batch_op\.(?!f\()(\w+)\(", revision.read_text())
    assert set(operations) == {"create_check_constraint", "drop_constraint"}
    alembic(project, database, "upgrade", "head")
    assert "No new upgrade operations detected" in alembic(project, database, "check")


def schema_sql(database: Path) -> list[str]:
    with closing(sqlite3.connect(database)) as connection:
        return [row[0] for row in connection.execute("SELECT sql FROM sqlite_master")]


def test_an_older_sqlite_project_gets_the_type_checks_through_one_revision(
    before_type_checks: Path, project_bin: Path, tmp_path: Path
) -> None:
    models = {
        **DEFAULT_MODELS,
        "Post": "title:str{20} status:enum{draft,live} name:str{10}:max=5",
    }
    root = generate_at(
        before_type_checks, tmp_path / "blog", "v1.0.0", {"models": models}
    )
    project = as_project(root, project_bin)
    database = tmp_path / "app.sqlite3"
    url = f"sqlite:///{database}"
    alembic(project, url, "upgrade", "head")
    with closing(sqlite3.connect(database)) as connection, connection:
        connection.executemany(
            "INSERT INTO posts (title, status, name) VALUES (?, ?, ?)",
            [("Hello", "live", "ann"), ("x" * 21, "draft", "bo"), ("Gone", "old", "")],
        )
    update(root, "v1.1.0")
    schema = schema_sql(database)
    autogenerate = ["revision", "--autogenerate", "-m", "type checks"]

    refused = project.run(
        "alembic", *autogenerate, env={"DATABASE_URL": url}, check=False
    )

    assert refused.returncode != 0
    assert "posts.title: 1 rows hold values longer than 20 characters" in refused.stderr
    assert "posts.status: 1 rows hold a value that is not one of" in refused.stderr
    assert not list((root / "migrations/versions").glob("*type_checks.py"))
    assert schema_sql(database) == schema

    decisions = ["-x", "accept_loss=posts.title", "-x", "fill=posts.status=draft"]
    alembic(project, url, *decisions, *autogenerate)
    [revision] = (root / "migrations/versions").glob("*type_checks.py")
    for commands in (["upgrade", "head"], ["downgrade", "-1"], ["upgrade", "head"]):
        alembic(project, url, *commands)

    assert "No new upgrade operations detected" in alembic(project, url, "check")
    assert 'if op.get_context().dialect.name == "sqlite":' in revision.read_text()
    with closing(sqlite3.connect(database)) as connection:
        rows = connection.execute("SELECT title, status FROM posts ORDER BY id")
        assert list(rows) == [("Hello", "live"), ("x" * 20, "draft"), ("Gone", "draft")]
        with pytest.raises(sqlite3.IntegrityError, match="ck_posts_status_enum"):
            connection.execute("UPDATE posts SET status = 'archived'")
        # Too long for both its column and its max=: the column's CHECK is the
        # one SQLite names, as PostgreSQL refuses the type first.
        with pytest.raises(sqlite3.IntegrityError, match="ck_posts_name_len"):
            connection.execute("UPDATE posts SET name = ?", ("x" * 11,))
