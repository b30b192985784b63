"""Target 6b: importing a generated package with 100 models
(`import <package>.models.__all_models`, fresh interpreter) costs at most 2x
`import sqlalchemy.orm` (fresh interpreter).

The project is generated from a clone of this template with 100 models (each with
four scalar fields and, but the first, a nullable reference to the one before it).
Both sides are `python -c "import ..."` in a fresh process of the project's
environment, with its src/ on PYTHONPATH, interleaved; bytecode caches are warm
(the first round is a warm-up and is not counted). The package import includes
`import sqlalchemy.orm` itself.

Diagnostic: the same package with 1 model, for the cost per model.
"""

from __future__ import annotations

import shutil
import subprocess

from _common import (
    Row,
    copy,
    interleave,
    many_models,
    median,
    project_environment,
    project_python,
    run_benchmark,
    scratch_dir,
    template_clone,
    timed,
)

LIMIT = 2.0


def measure(repetitions: int) -> list[Row]:
    work = scratch_dir("import")
    try:
        template = template_clone(work / "template")
        python = project_python(template)
        projects = {
            n: copy(
                template, work / f"project-{n}" / "my-app", {"models": many_models(n)}
            )
            for n in (1, 100)
        }

        def case(statement: str, models: int = 100):
            project = projects[models]
            environment = project_environment(project)
            command = [str(python), "-c", statement]

            def run() -> float:
                return timed(
                    lambda: subprocess.run(
                        command, cwd=project, env=environment, check=True
                    )
                )

            return run

        samples = interleave(
            {
                "package-100": case("import my_app.models.__all_models"),
                "package-1": case("import my_app.models.__all_models", models=1),
                "sqlalchemy.orm": case("import sqlalchemy.orm"),
                "python": case("pass"),
            },
            repetitions,
            warmup=2,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    t = {name: median(values) for name, values in samples.items()}
    return [
        Row("6b", "fresh interpreter: `import my_app.models.__all_models` (100 models) "
            "vs `import sqlalchemy.orm`",
            "100-model package", t["package-100"], "sqlalchemy.orm", t["sqlalchemy.orm"],
            t["package-100"] / t["sqlalchemy.orm"], "x", LIMIT, repetitions=repetitions),
        Row("6b diag", "the same with 1 model",
            "1-model package", t["package-1"], "sqlalchemy.orm", t["sqlalchemy.orm"],
            t["package-1"] / t["sqlalchemy.orm"], "x", None, repetitions=repetitions),
        Row("6b diag", "import cost per model: (t100 - t1) / 99",
            "100-model package", t["package-100"], "1-model package", t["package-1"],
            (t["package-100"] - t["package-1"]) / 99, "ms", None, repetitions=repetitions),
        Row("6b diag", "`import sqlalchemy.orm` vs an empty interpreter (`pass`)",
            "sqlalchemy.orm", t["sqlalchemy.orm"], "python -c pass", t["python"],
            t["sqlalchemy.orm"] / t["python"], "x", None, repetitions=repetitions),
    ]  # fmt: skip


if __name__ == "__main__":
    run_benchmark(
        __doc__.splitlines()[0],
        "Target 6b: import time of a 100-model package",
        measure,
        repetitions=15,
    )
