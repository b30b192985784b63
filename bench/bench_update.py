"""Target 3: `copier update` of a generated project to a new template version costs
at most 3x a fresh `copier copy` of the same project at that version; and (3s, the
part the template controls) at most 1.3x the same update of a static template
writing the same files.

A clone of this template gets the tag v1 at its HEAD, then a commit that changes a
template file (a line added to README.md.jinja) tagged v2. A project generated at
v1 with the defaults is committed to git. Each repetition restores that committed
project (untimed) and times `run_update(vcs_ref="v2", defaults=True,
overwrite=True)` against a fresh `run_copy(vcs_ref="v2", defaults=True)` into an
empty folder, both through copier's Python API in this process.

Diagnostics: the same with copier's per-file `git config` subprocess switched
off, and the same for a "static" template that renders byte for byte the same
project without any Jinja logic (copier's own update/copy ratio for these files).
"""

from __future__ import annotations

import itertools
import shutil
from contextlib import nullcontext

import copier
from _common import (
    Row,
    commit_all,
    copy,
    git,
    interleave,
    median,
    run_benchmark,
    scratch_dir,
    static_template,
    template_clone,
    timed,
    without_per_file_git_config,
)

LIMIT = 3.0
STATIC_LIMIT = 1.3


def tag_v1_and_v2(template):
    """Tag HEAD v1, then commit a README change tagged v2."""
    git(template, "tag", "v1")
    readme = template / "template" / "README.md.jinja"
    readme.write_text(readme.read_text() + "\nThis line arrived with template v2.\n")
    commit_all(template, "v2: README line")
    git(template, "tag", "v2")
    return template


def versioned_template(destination):
    return tag_v1_and_v2(template_clone(destination))


def measure(repetitions: int) -> list[Row]:
    work = scratch_dir("update")
    numbers = itertools.count()
    try:
        template = versioned_template(work / "template")
        static = tag_v1_and_v2(
            static_template(
                work / "static", copy(template, work / "probe" / "my-app", vcs_ref="v1")
            )
        )
        pristine = {}
        for name, source in [("template", template), ("static", static)]:
            pristine[name] = copy(
                source, work / f"pristine-{name}" / "my-app", vcs_ref="v1"
            )
            git(pristine[name], "init", "--quiet", "--initial-branch=main")
            commit_all(pristine[name], "project at template v1")

        def update(patched: bool = False, kind: str = "template"):
            def run() -> float:
                project = work / f"out-{next(numbers)}" / "my-app"
                shutil.copytree(pristine[kind], project, symlinks=True)
                with without_per_file_git_config() if patched else nullcontext():
                    elapsed = timed(
                        lambda: copier.run_update(
                            project,
                            defaults=True,
                            overwrite=True,
                            quiet=True,
                            vcs_ref="v2",
                        )
                    )
                assert "template v2" in (project / "README.md").read_text()
                shutil.rmtree(project.parent)
                return elapsed

            return run

        def fresh(patched: bool = False, kind: str = "template"):
            source = template if kind == "template" else static

            def run() -> float:
                project = work / f"out-{next(numbers)}" / "my-app"
                with without_per_file_git_config() if patched else nullcontext():
                    elapsed = timed(lambda: copy(source, project, vcs_ref="v2"))
                shutil.rmtree(project.parent)
                return elapsed

            return run

        samples = interleave(
            {
                "update": update(),
                "copy": fresh(),
                "update-patched": update(patched=True),
                "copy-patched": fresh(patched=True),
                "update-static": update(kind="static"),
                "copy-static": fresh(kind="static"),
            },
            repetitions,
            warmup=1,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    t = {name: median(values) for name, values in samples.items()}
    return [
        Row("3", "`copier update` v1 -> v2 vs fresh `copier copy` at v2 (defaults)",
            "update", t["update"], "fresh copy", t["copy"], t["update"] / t["copy"], "x",
            LIMIT, repetitions=repetitions),
        Row("3 diag", "the same, copier without per-file `git config`",
            "update", t["update-patched"], "fresh copy", t["copy-patched"],
            t["update-patched"] / t["copy-patched"], "x", None, repetitions=repetitions),
        Row("3 diag", "the same for the static template (same files, no Jinja logic)",
            "update", t["update-static"], "fresh copy", t["copy-static"],
            t["update-static"] / t["copy-static"], "x", None, repetitions=repetitions),
        Row("3s", "`copier update` v1 -> v2: this template vs a static template "
            "writing the same files", "this template", t["update"], "static template",
            t["update-static"], t["update"] / t["update-static"], "x", STATIC_LIMIT,
            repetitions=repetitions),
    ]  # fmt: skip


if __name__ == "__main__":
    run_benchmark(
        __doc__.splitlines()[0],
        "Target 3: copier update vs a fresh copy",
        measure,
        repetitions=9,
    )
