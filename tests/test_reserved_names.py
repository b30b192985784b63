"""The reserved names are proven, not hoped: no class or field name the validator
accepts can shadow a name a generated module imports, defines or uses."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import pytest

from tests.jinja_env import include_value
from tests.model_sets import MODEL_SETS
from tests.tooling import GenerateProject, Project

PASCAL_CASE = re.compile(r"[A-Z][A-Za-z0-9]*")
# What the package_name validator takes at all (includes/validate.jinja).
PACKAGE_NAME = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")
SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")


def parser_names(*names: str) -> set[str]:
    """The union of lists (or mapping keys) of reserved names the parser refuses."""
    return {item for name in names for item in include_value("reserved", name)}


def module_level_names(module: ast.Module) -> set[str]:
    """What a module imports, assigns, defines, also under `if TYPE_CHECKING:`."""
    names: set[str] = set()
    for node in ast.walk(module):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names |= {
                (alias.asname or alias.name).split(".")[0] for alias in node.names
            }
    for node in module.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        names |= {target.id for target in targets if isinstance(target, ast.Name)}
    return names


def names_used_in_classes(module: ast.Module) -> set[str]:
    """Every name a class body of the module reads, annotations included."""
    return {
        node.id
        for cls in module.body
        if isinstance(cls, ast.ClassDef)
        for node in ast.walk(cls)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }


@pytest.fixture(scope="module", params=sorted(MODEL_SETS))
def project(request: pytest.FixtureRequest, generate: GenerateProject) -> Project:
    return generate(f"sqlite_{request.param}", {**MODEL_SETS[request.param]})


def modules_importing_the_models(project: Project) -> dict[Path, ast.Module]:
    """The model modules, `__all_models.py` and the factories: the modules where
    a model class and the generated code's own names meet."""
    models = project.root / "src" / project.package / "models"
    own = {f"{name}.py" for name in parser_names("RESERVED_MODULES")} | {"__init__.py"}
    paths = [path for path in models.glob("*.py") if path.name not in own]
    paths.append(project.root / "tests" / "factories.py")
    return {path: ast.parse(path.read_text()) for path in paths}


def answer_classes(project: Project) -> set[str]:
    """The model and enum classes the answer itself defines."""
    models = project.root / "src" / project.package / "models"
    return {
        node.name
        for path in models.glob("*.py")
        for node in ast.parse(path.read_text()).body
        if isinstance(node, ast.ClassDef)
    }


def test_no_accepted_class_name_can_shadow_a_generated_name(project: Project) -> None:
    reserved = parser_names("RESERVED_CLASSES")
    own = answer_classes(project)

    for path, module in modules_importing_the_models(project).items():
        names = {
            name for name in module_level_names(module) if PASCAL_CASE.fullmatch(name)
        }
        assert names - own - reserved == set(), path.name


def test_no_accepted_field_name_can_shadow_a_name_a_model_uses(
    project: Project,
) -> None:
    reserved = parser_names("RESERVED_FIELDS", "SHADOWING_FIELDS", "REFUSED_FIELDS")

    for path, module in modules_importing_the_models(project).items():
        if path.name == "factories.py":
            continue  # field names are only keys and keywords there
        used = {
            name for name in names_used_in_classes(module) if SNAKE_CASE.fullmatch(name)
        }
        assert used - reserved == set(), path.name


def test_the_package_names_refused_are_the_imports_a_project_installs(
    project_bin: Path,
) -> None:
    # Every top-level import name of every distribution a generated project may
    # install (the superset environment) is refused as a package name, so the
    # project's package cannot shadow it.
    listed = subprocess.run(
        [
            str(project_bin / "python"),
            "-c",
            "import importlib.metadata as m; print(*m.packages_distributions())",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    installed = {name for name in listed if PACKAGE_NAME.fullmatch(name)}

    assert installed - set(include_value("validate", "TAKEN_IMPORTS")) == set()
